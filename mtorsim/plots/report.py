"""The HTML/Markdown report written out: its figures drawn as deterministic PNG bytes (no date,
no software tag), the Markdown and the self-contained HTML."""

from __future__ import annotations

import base64
import html
import io
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from mtorsim.report.build import image_dir, output_kind
from mtorsim.util.safeio import write_atomic

if TYPE_CHECKING:
    from mtorsim.report.build import Figure, Report

PNG_META = {"Software": None}


def heatmap_png(
    values: np.ndarray, rows: Sequence[str], cols: Sequence[str], title: str, label: str, vmax: float = 1.0
) -> bytes:
    """A rows x columns heatmap (values annotated, NaN shown as n/a) as deterministic PNG bytes."""
    from matplotlib.figure import Figure as MplFigure

    from mtorsim.plots._layout import annotated_heatmap

    width = 1.8 + 0.12 * max((len(r) for r in rows), default=4) * 0.6 + 0.75 * len(cols)
    fig = MplFigure(figsize=(max(4.0, width), 1.4 + 0.3 * len(rows)), layout="constrained")
    ax = fig.add_subplot()
    im = annotated_heatmap(ax, values, rows, cols, vmax, rotation=35)
    fig.colorbar(im, ax=ax, label=label)
    ax.set_title(title, fontsize=9)
    return png_bytes(fig)


def png_bytes(fig) -> bytes:
    """A matplotlib Figure as PNG bytes, identical on every run."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=110, metadata=PNG_META)
    return buf.getvalue()


def figure_png(fig: Figure) -> bytes:
    """A report figure (its ``kind`` and ``data``) drawn as PNG bytes."""
    if fig.kind == "screen":
        from mtorsim.plots.screen import screen_figure

        d = fig.data
        return png_bytes(screen_figure(d["result"], d["title"], d["treatments"], d["titles"]))
    if fig.kind == "heatmap":
        d = fig.data
        return heatmap_png(d["values"], d["rows"], d["cols"], d["title"], d["label"])
    raise ValueError(f"unknown report figure kind {fig.kind!r}")


def _md(text: str) -> str:
    """Model text made inert in Markdown: HTML markup escaped (as the HTML report escapes it),
    so a name such as ``<img onerror=...>`` is shown, never run."""
    return html.escape(str(text), quote=False)


def _md_cell(text: str) -> str:
    return _md(text).replace("|", "\\|").replace("\n", " ")


def render_markdown(rep: Report, image_dir: str) -> tuple[str, dict[str, bytes]]:
    """Markdown text and the images to write (relative name -> PNG bytes)."""
    out = [f"# {_md(rep.title)}", "", "| setting | value |", "| --- | --- |"]
    out += [f"| {_md_cell(k)} | {_md_cell(v)} |" for k, v in rep.header]
    out += ["", "**What this model cannot tell you**", ""] + [f"- {_md(n)}" for n in rep.limits] + [""]
    out += ["", "**Notes**", ""] + [f"- {_md(n)}" for n in rep.notes] + [""]
    images = {}
    for s in rep.sections:
        out += [f"## {_md(s.title)}", ""]
        for p in s.intro:
            out += [_md(p), ""]
        for n in s.notes:
            out += [f"> note: {_md(n)}", ""]
        for f in s.figures:
            rel = f"{image_dir}/{f.name}"
            images[rel] = figure_png(f)
            out += [f"![{_md(f.caption).replace(']', '')}]({rel})", ""]
        for caption, head, rows in s.tables:
            out += [f"*{_md(caption)}*", "", "| " + " | ".join(map(_md_cell, head)) + " |", "|" + " --- |" * len(head)]
            out += ["| " + " | ".join(map(_md_cell, r)) + " |" for r in rows]
            out.append("")
    return "\n".join(out), images


CSS = """body{font-family:system-ui,-apple-system,Segoe UI,Helvetica,Arial,sans-serif;margin:2em auto;
max-width:72em;padding:0 1em;color:#222;line-height:1.4}
h1{font-size:1.5em}h2{font-size:1.2em;border-bottom:1px solid #ccc;padding-bottom:.2em;margin-top:2em}
table{border-collapse:collapse;margin:.5em 0 1.5em;font-size:.85em}
th,td{border:1px solid #ccc;padding:.25em .5em;text-align:left;vertical-align:top}
th{background:#f0f2f5}caption{caption-side:top;text-align:left;font-style:italic;padding:.3em 0}
figure{margin:1em 0}img{max-width:100%;height:auto}figcaption{font-size:.85em;color:#555}
.note{background:#fff8e1;border-left:4px solid #f0b400;padding:.3em .6em;margin:.4em 0}
.limits{background:#f3f6fb;border:1px solid #9db3d6;padding:.2em 1em;margin:1em 0}"""


def render_html(rep: Report) -> str:
    e = html.escape
    out = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        f"<title>{e(rep.title)}</title>",
        f"<style>{CSS}</style>",
        "</head>",
        "<body>",
        f"<h1>{e(rep.title)}</h1>",
        "<table>",
    ]
    out += [f"<tr><th>{e(k)}</th><td>{e(v)}</td></tr>" for k, v in rep.header]
    out += ["</table>", '<div class="limits"><h3>What this model cannot tell you</h3>', "<ul>"]
    out += [f"<li>{e(n)}</li>" for n in rep.limits] + ["</ul>", "</div>"]
    out += ["<h3>Notes</h3>", "<ul>"] + [f"<li>{e(n)}</li>" for n in rep.notes] + ["</ul>"]
    for s in rep.sections:
        out.append(f"<h2>{e(s.title)}</h2>")
        out += [f"<p>{e(p)}</p>" for p in s.intro]
        out += [f'<p class="note">note: {e(n)}</p>' for n in s.notes]
        for f in s.figures:
            data = base64.b64encode(figure_png(f)).decode("ascii")
            out.append(
                f'<figure><img alt="{e(f.caption)}" src="data:image/png;base64,{data}">'
                f"<figcaption>{e(f.caption)}</figcaption></figure>"
            )
        for caption, head, rows in s.tables:
            out += [
                "<table>",
                f"<caption>{e(caption)}</caption>",
                "<tr>" + "".join(f"<th>{e(h)}</th>" for h in head) + "</tr>",
            ]
            out += ["<tr>" + "".join(f"<td>{e(c)}</td>" for c in r) + "</tr>" for r in rows]
            out.append("</table>")
    out += ["</body>", "</html>", ""]
    return "\n".join(out)


def write_report(rep: Report, path: str | Path) -> list[Path]:
    """Write the report (HTML or Markdown by suffix); returns every file written."""
    path = Path(path)
    if output_kind(path) == "html":
        write_atomic(path, render_html(rep))
        return [path]
    folder = image_dir(path)
    text, images = render_markdown(rep, folder.name)
    folder.mkdir(exist_ok=True)
    written = []
    for rel, data in images.items():
        target = path.parent / rel
        write_atomic(target, data)
        written.append(target)
    write_atomic(path, text + "\n")
    return [path, *written]
