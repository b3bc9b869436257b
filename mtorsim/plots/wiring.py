"""Wiring diagram of a network: nodes in layers from the inputs, signed edges.

The figure records a fingerprint of the signed edge list (PNG text chunk / SVG and PDF
metadata), so a committed diagram can be checked against the model it was drawn from.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from mtorsim.errors import MtorsimError
from mtorsim.network import Network

COLORS = {"+": "#2e7d32", "-": "#c62828", "±": "#6a1b9a", "0": "#9e9e9e"}
FORMATS = (".png", ".svg", ".pdf")
MAX_ROW = 12


def fingerprint(net: Network) -> str:
    """sha256 of the node list and the signed edges, in model order."""
    text = "\n".join(net.nodes) + "\n" + "\n".join(f"{e.source} {e.sign} {e.target}" for e in net.edges())
    return hashlib.sha256(text.encode()).hexdigest()


def layers(net: Network) -> list[int]:
    """Layer of each node: longest path from the sources after dropping DFS back edges."""
    n = len(net)
    succ: list[list[int]] = [[] for _ in range(n)]
    for i, regs in enumerate(net.regulators):
        for j in regs:
            if j != i:
                succ[j].append(i)
    state = [0] * n  # 0 new, 1 on stack, 2 done
    order: list[int] = []
    back: set[tuple[int, int]] = set()
    for root in range(n):
        if state[root]:
            continue
        stack = [(root, iter(succ[root]))]
        state[root] = 1
        while stack:
            v, it = stack[-1]
            for w in it:
                if state[w] == 0:
                    state[w] = 1
                    stack.append((w, iter(succ[w])))
                    break
                if state[w] == 1:
                    back.add((v, w))
            else:
                stack.pop()
                state[v] = 2
                order.append(v)
    layer = [0] * n
    for v in reversed(order):  # topological order of the acyclic part
        for w in succ[v]:
            if (v, w) not in back:
                layer[w] = max(layer[w], layer[v] + 1)
    return layer


def plot_wiring(net: Network, path: str | Path, title: str | None = None) -> None:
    """Draw the wiring diagram (.png, .svg or .pdf)."""
    path = Path(path)
    if path.suffix.lower() not in FORMATS:
        raise MtorsimError(f"{path}: unsupported image format '{path.suffix}'; use one of {', '.join(FORMATS)}")
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D

    layer = layers(net)
    depth = max(layer) + 1
    rows: list[list[int]] = [[] for _ in range(depth)]
    for i in range(len(net)):
        rows[layer[i]].append(i)
    # Barycentre ordering, two sweeps, to keep edges short.
    pos_x = {}
    for r in rows:
        for k, i in enumerate(r):
            pos_x[i] = k - (len(r) - 1) / 2
    for _ in range(2):
        for r in rows[1:]:

            def bary(i):
                xs = [pos_x[j] for j in net.regulators[i] if layer[j] < layer[i]]
                return sum(xs) / len(xs) if xs else pos_x[i]

            r.sort(key=lambda i: (bary(i), net.nodes[i]))
            for k, i in enumerate(r):
                pos_x[i] = k - (len(r) - 1) / 2
    # Wide layers wrap onto several lines of at most MAX_ROW nodes.
    lines: list[list[int]] = []
    for r in rows:
        lines.extend(r[k : k + MAX_ROW] for k in range(0, len(r), MAX_ROW))
    xy = {}
    for y, line in enumerate(lines):
        for k, i in enumerate(line):
            xy[i] = (k - (len(line) - 1) / 2, -y)
    width = max(len(line) for line in lines)
    depth = len(lines)
    fig = Figure(figsize=(max(6, 1.35 * width), max(4, 0.75 * depth + 1)))
    ax = fig.add_subplot()
    for e in net.edges():
        s, t = net.index(e.source), net.index(e.target)
        if s == t:
            continue
        style = "-|>" if e.sign == "+" else "-[" if e.sign == "-" else "-"
        ax.annotate(
            "",
            xy=xy[t],
            xytext=xy[s],
            zorder=1,
            arrowprops={
                "arrowstyle": style,
                "color": COLORS[e.sign],
                "lw": 0.7,
                "alpha": 0.75,
                "shrinkA": 9,
                "shrinkB": 9,
                "connectionstyle": "arc3,rad=0.08",
            },
        )
    font = 7 if len(net) <= 60 else 5.5
    for i, (x, y) in xy.items():
        ax.text(
            x,
            y,
            net.nodes[i],
            ha="center",
            va="center",
            fontsize=font,
            zorder=2,
            bbox={"boxstyle": "round,pad=0.25", "fc": "#eceff1", "ec": "#607d8b", "lw": 0.6},
        )
    ax.set_xlim(-width / 2 - 0.7, width / 2 + 0.7)
    ax.set_ylim(-depth + 0.4, 0.6)
    ax.axis("off")
    ax.legend(
        handles=[
            Line2D([], [], color=COLORS[s], label=lab)
            for s, lab in (("+", "activates"), ("-", "inhibits"), ("±", "both"))
        ],
        loc="upper right",
        fontsize=7,
        frameon=False,
    )
    ax.set_title(
        title
        or f"{Path(net.source or 'model').parent.name or 'model'}: {len(net)} nodes, "
        f"{len(net.edges())} edges (layers from the inputs; feedback edges point upwards)",
        fontsize=9,
    )
    fig.tight_layout()
    stamp = f"mtorsim wiring sha256={fingerprint(net)}"
    meta = {
        ".png": {"Description": stamp},
        ".svg": {"Description": stamp, "Date": None},
        ".pdf": {"Subject": stamp, "CreationDate": None},
    }[path.suffix.lower()]
    from mtorsim.util.safeio import save_figure

    save_figure(fig, path, format=path.suffix.lower()[1:], dpi=130, metadata=meta)


def recorded_fingerprint(path: str | Path) -> str | None:
    """The fingerprint stored in a PNG drawn by :func:`plot_wiring` (None if absent)."""
    from PIL import Image

    with Image.open(path) as im:
        text = im.info.get("Description", "")
    return text.split("sha256=", 1)[1] if "sha256=" in text else None
