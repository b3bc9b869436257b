"""A self-contained report of the review's clinical questions, built on the screen machinery:

1. each drug in each genotype background (heatmap of the growth readout, response and
   AKT/ERK compensation table);
2. the best drug pairs per background (ranked on the readout, with Bliss and HSA excess);
3. rapalog vs kinase inhibitor vs RapaLink on the mTORC1/mTORC2 outputs in wildtype full medium.

The output is one HTML file (inline CSS, images as base64 PNG) or one Markdown file with its
images in ``<stem>_files/`` beside it. Nothing in it depends on the time or the machine, so two
runs with the same settings write identical bytes.
"""

from __future__ import annotations

import base64
import html
import io
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from mtorsim.errors import MtorsimError
from mtorsim.network import Network
from mtorsim.screen import WILDTYPE, ScreenResult, plan, run_screen, treatment_label
from mtorsim.vocabulary import Vocabulary

RESPONSE_MARK = 0.5  # responds: untreated mean >= 0.5 and treated mean < 0.5
TOP_PAIRS = 5
CONTRAST_DRUGS = ("everolimus", "sapanisertib", "rapalink")
CONTRAST_READOUTS = ("S6K", "p4EBP1", "p4EBP1_S65", "eIF4F", "AKT_S473")
AKT_READOUTS = ("AKT_high", "AKT_S473")
ERK_READOUTS = ("ERK_high", "ERK")
TITLES = ("1. Each drug in each genotype background",
          "2. Best drug pairs per background",
          "3. Rapalog vs kinase inhibitor vs RapaLink")
PNG_META = {"Software": None}


@dataclass
class Figure:
    name: str  # file name (Markdown) / alt text
    png: bytes
    caption: str


@dataclass
class Section:
    title: str
    intro: list[str] = field(default_factory=list)
    tables: list[tuple[str, list[str], list[list[str]]]] = field(default_factory=list)  # (caption, head, rows)
    figures: list[Figure] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


@dataclass
class Report:
    title: str
    header: list[tuple[str, str]]
    notes: list[str]
    sections: list[Section]


# ---------------------------------------------------------------- helpers


def find_readout(vocab: Vocabulary, name: str) -> str | None:
    """The vocabulary's readout called ``name`` (exact first, then case-insensitive), else None."""
    if name in vocab.readouts:
        return name
    for r in vocab.readouts:
        if r.lower() == name.lower():
            return r
    return None


def default_readout(vocab: Vocabulary) -> str:
    if not vocab.readouts:
        raise MtorsimError(f"{vocab.source or 'the vocabulary'}: defines no readouts; a report needs at least one")
    return find_readout(vocab, "Growth") or next(iter(vocab.readouts))


def _fmt(v: float | None) -> str:
    return "n/a" if v is None else f"{v:.2f}"


def _signed(v: float | None) -> str:
    return "n/a" if v is None else f"{v:+.2f}"


def heatmap_png(values: np.ndarray, rows: Sequence[str], cols: Sequence[str], title: str, label: str,
                vmax: float = 1.0) -> bytes:
    """A rows x columns heatmap (values annotated, NaN shown as n/a) as deterministic PNG bytes."""
    from matplotlib.figure import Figure as MplFigure

    from mtorsim.plots._layout import annotated_heatmap

    width = 1.8 + 0.12 * max((len(r) for r in rows), default=4) * 0.6 + 0.75 * len(cols)
    fig = MplFigure(figsize=(max(4.0, width), 1.4 + 0.3 * len(rows)), layout="constrained")
    ax = fig.add_subplot()
    im = annotated_heatmap(ax, values, rows, cols, vmax, rotation=35)
    fig.colorbar(im, ax=ax, label=label)
    ax.set_title(title, fontsize=9)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=110, metadata=PNG_META)
    return buf.getvalue()


def _incomplete(res: ScreenResult) -> int:
    return sum(not c["complete"] for c in res.cells.values())


# ---------------------------------------------------------------- the sections


def section_singles(res: ScreenResult, vocab: Vocabulary) -> Section:
    sec = Section(TITLES[0])
    r = res.readout
    bgs = [b.label for b in res.plan.backgrounds]
    singles = [t for t in res.plan.treatments if len(t) <= 1]
    akt = [n for n in (find_readout(vocab, x) for x in AKT_READOUTS) if n] or \
        [n for n in (find_readout(vocab, "AKT"),) if n]  # plain AKT only when neither is defined
    erk = [n for n in (find_readout(vocab, x) for x in ERK_READOUTS) if n]
    sec.intro.append(f"Mean of '{r}' (basin-weighted over attractors) in each background, untreated and under "
                     f"each single drug. A background responds to a drug when the untreated mean is >= "
                     f"{RESPONSE_MARK:g} and the treated mean falls below {RESPONSE_MARK:g}. Compensation: the "
                     f"drug raises the mean of {' or '.join(akt) or '(no AKT readout)'} (AKT) or of "
                     f"{' or '.join(erk) or '(no ERK readout)'} (ERK) above untreated, in the same background.")
    if not akt:
        sec.notes.append("no AKT readout (AKT_high, AKT_S473, AKT) in the vocabulary: AKT compensation not assessed")
    if not erk:
        sec.notes.append("no ERK readout (ERK_high, ERK) in the vocabulary: ERK compensation not assessed")
    values = np.full((len(bgs), len(singles)), np.nan)
    for i, b in enumerate(bgs):
        for j, t in enumerate(singles):
            m = res.mean(b, t)
            values[i, j] = np.nan if m is None else m
    cols = ["untreated" if not t else t[0] for t in singles]
    sec.figures.append(Figure("singles.png", heatmap_png(values, bgs, cols, f"{r}: backgrounds x single drugs",
                                                         f"{r} (mean; lower is better)", max(res.ceiling, 1.0)),
                              f"'{r}' by background (rows) and drug (columns)."))
    head = ["background", f"untreated {r}", "responds", "AKT compensation", "ERK compensation", "incomplete"]
    rows = []
    for b in bgs:
        u = res.mean(b, ())
        resp, c_akt, c_erk, inc = [], [], [], []
        for t in singles:
            if not res.cell(b, t)["complete"]:
                inc.append(treatment_label(t))
            if not t:
                continue
            m = res.mean(b, t)
            if u is not None and m is not None and u >= RESPONSE_MARK and m < RESPONSE_MARK:
                resp.append(f"{t[0]} ({_fmt(m)})")
            comp = res.compensation(b, t)
            up_akt = [f"{n} +{comp[n]:.2f}" for n in akt if n in comp]
            up_erk = [f"{n} +{comp[n]:.2f}" for n in erk if n in comp]
            if up_akt:
                c_akt.append(f"{t[0]} ({', '.join(up_akt)})")
            if up_erk:
                c_erk.append(f"{t[0]} ({', '.join(up_erk)})")
        rows.append([b, _fmt(u), "; ".join(resp) or "-", "; ".join(c_akt) or "-", "; ".join(c_erk) or "-",
                     ", ".join(inc) or "-"])
    sec.tables.append((f"Response (mean {r} < {RESPONSE_MARK:g} from untreated >= {RESPONSE_MARK:g}) and "
                       "compensation per background", head, rows))
    return sec


def section_pairs(res: ScreenResult) -> Section:
    sec = Section(TITLES[1])
    r = res.readout
    combos = [t for t in res.plan.treatments if len(t) >= 2]
    if not combos:
        sec.notes.append("no combinations screened (--max-combo below 2, or fewer than two drugs)")
        return sec
    k = max(len(t) for t in combos)
    sec.intro.append(f"Per background, the {TOP_PAIRS} best combinations (up to {k} drugs) ranked on the mean of "
                     f"'{r}' (lower is better; ties broken by the larger Bliss excess, then the screen order). Effect = (untreated - treated) / "
                     "untreated; Bliss excess = effect - (1 - prod(1 - single effects)); HSA excess = effect - "
                     "best single effect; n/a when the untreated readout is 0 (no room to improve).")
    head = ["background", "rank", "combination", f"mean {r}", "effect", "Bliss excess", "HSA excess",
            "best single", "complete"]
    rows = []
    for b in res.plan.backgrounds:
        syn = {tuple(s["treatment"]): s for s in res.synergy(b.label)}
        used = {d for t in combos for d in t}
        singles = [(res.mean(b.label, (t[0],)), i, t[0]) for i, t in enumerate(res.plan.treatments)
                   if len(t) == 1 and t[0] in used]
        known = sorted(x for x in singles if x[0] is not None)
        best_single = f"{known[0][2]} ({_fmt(known[0][0])})" if known else "n/a"

        def key(x, syn=syn):
            bliss = syn.get(tuple(x["treatment"]), {}).get("bliss")
            return (x["mean"] is None, x["mean"] or 0.0, -(bliss if bliss is not None else -math.inf), x["rank"])

        ranked = sorted((x for x in res.ranking(b.label) if len(x["treatment"]) >= 2), key=key)[:TOP_PAIRS]
        for pos, x in enumerate(ranked, start=1):
            t = tuple(x["treatment"])
            s = syn.get(t, {})
            rows.append([b.label, str(pos), treatment_label(t), _fmt(x["mean"]), _fmt(x["effect"]),
                         _signed(s.get("bliss")), _signed(s.get("hsa")), best_single,
                         "yes" if res.cell(b.label, t)["complete"] else "NO"])
    sec.tables.append((f"Top {TOP_PAIRS} combinations per background", head, rows))
    return sec


def section_contrast(net: Network, vocab: Vocabulary, *, update: str, method: str, jobs: int,
                     options: Mapping) -> Section:
    sec = Section(TITLES[2])
    drugs, missing = [], []
    for name in CONTRAST_DRUGS:
        try:
            d = vocab.drug(name).name
        except MtorsimError:
            missing.append(name)
            continue
        if d not in drugs:
            drugs.append(d)
    readouts = [n for n in (find_readout(vocab, x) for x in CONTRAST_READOUTS) if n]
    absent = [x for x in CONTRAST_READOUTS if find_readout(vocab, x) is None]
    if missing:
        sec.notes.append(f"drug(s) not in the vocabulary, skipped: {', '.join(missing)}")
    if absent:
        sec.notes.append(f"readout(s) not in the vocabulary, skipped: {', '.join(absent)}")
    if not drugs or not readouts:
        sec.notes.append("nothing to compare: " + ("no drugs" if not drugs else "no readouts") + " left")
        return sec
    shown = ", ".join(f"{n} -> {vocab.drug(n).name}" if vocab.drug(n).name != n else n
                      for n in CONTRAST_DRUGS if n not in missing)
    sec.intro.append(f"Wildtype, full medium (the vocabulary's default environment); drugs: {shown}. Mean of each "
                     "readout (basin-weighted over attractors).")
    res = run_screen(net, vocab, plan(vocab, drugs, [WILDTYPE], 1), update=update, method=method,
                     readout=readouts[0], jobs=jobs, options=options)
    ts = res.plan.treatments
    labels = ["untreated" if not t else t[0] for t in ts]
    values = np.full((len(ts), len(readouts)), np.nan)
    rows = []
    for i, t in enumerate(ts):
        cell = res.cell(WILDTYPE, t)
        row = [labels[i]]
        for j, n in enumerate(readouts):
            m = cell["readouts"][n]["mean"]
            values[i, j] = np.nan if m is None else m
            row.append(_fmt(m))
        rows.append(row + ["yes" if cell["complete"] else "NO"])
        if not cell["complete"]:
            sec.notes.append(f"{labels[i]}: incomplete attractor search; readouts may miss attractors")
    heads = ["p4EBP1 (T37/46)" if n == "p4EBP1" else n for n in readouts]
    sec.tables.append(("Readout means in wildtype full medium", ["drug", *heads, "complete"], rows))
    sec.figures.append(Figure("contrast.png", heatmap_png(values, labels, readouts, "wildtype, full medium",
                                                          "mean activity"),
                              "Readout means (columns) under each mTOR inhibitor (rows)."))
    return sec


# ---------------------------------------------------------------- building and writing


def build_report(net: Network, vocab: Vocabulary, model_name: str, *, update: str = "sync", method: str = "auto",
                 readout: str | None = None, backgrounds: Sequence[str] | None = None, max_combo: int = 2,
                 jobs: int = 1, options: Mapping | None = None) -> Report:
    from mtorsim.screen import check_readout

    options = dict(options or {})
    if not vocab.drugs:
        raise MtorsimError(f"{vocab.source or 'the vocabulary'}: defines no drugs; a report needs at least one")
    readout = check_readout(vocab, readout) if readout else default_readout(vocab)
    the_plan = plan(vocab, None, backgrounds, max_combo)
    res = run_screen(net, vocab, the_plan, update=update, method=method, readout=readout, jobs=jobs,
                     options=options)
    sections = [section_singles(res, vocab), section_pairs(res),
                section_contrast(net, vocab, update=update, method=method, jobs=jobs, options=options)]
    notes = []
    inc = _incomplete(res)
    if inc:
        notes.append(f"{inc} of {len(res.cells)} screen cell(s) have an incomplete attractor search (method "
                     f"'{method}'); their readouts may miss attractors")
    for s in sections:
        notes += [f"section {s.title.split('.')[0]}: {n}" for n in s.notes]
    if not notes:
        notes.append("all attractor searches complete")
    header = [("model", model_name), ("nodes", str(len(net))), ("update", update), ("method", method),
              ("readout", readout), ("backgrounds", str(len(the_plan.backgrounds))),
              ("drugs", str(len(vocab.drugs))), ("largest combination", str(max_combo)),
              ("screen cells", str(len(the_plan.cells()))),
              ("environment", ", ".join(f"{k}={d}" for k, (_, d) in vocab.environment.items()) or "-")]
    return Report(f"mtorsim report: {model_name}", header, notes, sections)


def _md_cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render_markdown(rep: Report, image_dir: str) -> tuple[str, dict[str, bytes]]:
    """Markdown text and the images to write (relative name -> PNG bytes)."""
    out = [f"# {rep.title}", "", "| setting | value |", "| --- | --- |"]
    out += [f"| {_md_cell(k)} | {_md_cell(v)} |" for k, v in rep.header]
    out += ["", "**Notes**", ""] + [f"- {n}" for n in rep.notes] + [""]
    images = {}
    for s in rep.sections:
        out += [f"## {s.title}", ""]
        for p in s.intro:
            out += [p, ""]
        for n in s.notes:
            out += [f"> note: {n}", ""]
        for f in s.figures:
            rel = f"{image_dir}/{f.name}"
            images[rel] = f.png
            out += [f"![{f.caption}]({rel})", ""]
        for caption, head, rows in s.tables:
            out += [f"*{caption}*", "", "| " + " | ".join(map(_md_cell, head)) + " |",
                    "|" + " --- |" * len(head)]
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
.note{background:#fff8e1;border-left:4px solid #f0b400;padding:.3em .6em;margin:.4em 0}"""


def render_html(rep: Report) -> str:
    e = html.escape
    out = ["<!DOCTYPE html>", '<html lang="en">', "<head>", '<meta charset="utf-8">',
           f"<title>{e(rep.title)}</title>", f"<style>{CSS}</style>", "</head>", "<body>", f"<h1>{e(rep.title)}</h1>",
           "<table>"]
    out += [f"<tr><th>{e(k)}</th><td>{e(v)}</td></tr>" for k, v in rep.header]
    out += ["</table>", "<h3>Notes</h3>", "<ul>"] + [f"<li>{e(n)}</li>" for n in rep.notes] + ["</ul>"]
    for s in rep.sections:
        out.append(f"<h2>{e(s.title)}</h2>")
        out += [f"<p>{e(p)}</p>" for p in s.intro]
        out += [f'<p class="note">note: {e(n)}</p>' for n in s.notes]
        for f in s.figures:
            data = base64.b64encode(f.png).decode("ascii")
            out.append(f'<figure><img alt="{e(f.caption)}" src="data:image/png;base64,{data}">'
                       f"<figcaption>{e(f.caption)}</figcaption></figure>")
        for caption, head, rows in s.tables:
            out += ["<table>", f"<caption>{e(caption)}</caption>",
                    "<tr>" + "".join(f"<th>{e(h)}</th>" for h in head) + "</tr>"]
            out += ["<tr>" + "".join(f"<td>{e(c)}</td>" for c in r) + "</tr>" for r in rows]
            out.append("</table>")
    out += ["</body>", "</html>", ""]
    return "\n".join(out)


def output_kind(path: str | Path) -> str:
    suffix = Path(path).suffix.lower()
    if suffix in (".html", ".htm"):
        return "html"
    if suffix in (".md", ".markdown"):
        return "md"
    raise MtorsimError(f"cannot write a report to '{path}': unsupported file type '{Path(path).suffix or '(none)'}'"
                       "; use .html or .md")


def image_dir(path: str | Path) -> Path:
    p = Path(path)
    return p.parent / f"{p.stem}_files"


def write_report(rep: Report, path: str | Path) -> list[Path]:
    """Write the report (HTML or Markdown by suffix); returns every file written."""
    path = Path(path)
    if output_kind(path) == "html":
        path.write_text(render_html(rep), encoding="utf-8")
        return [path]
    folder = image_dir(path)
    text, images = render_markdown(rep, folder.name)
    folder.mkdir(exist_ok=True)
    written = []
    for rel, data in images.items():
        target = path.parent / rel
        target.write_bytes(data)
        written.append(target)
    path.write_text(text + "\n", encoding="utf-8")
    return [path, *written]
