"""A self-contained report of the review's clinical questions, built on the screen machinery:

1. each drug in each genotype background, in every named medium of the vocabulary (heatmap of
   the response readout, which backgrounds respond, and why a drug fails where it does: the
   vocabulary's explanations, e.g. a feedback or a bypass);
2. the best drug pairs per background (ranked on the readout, with Bliss and HSA excess, and a
   flag where cyclic attractors make the synergy an artefact of time averaging);
3. the vocabulary's drug contrast (``[model.contrast]``: drugs side by side on chosen readouts) in
   wildtype full medium.

The report states what the model cannot say (generic limits of a Boolean network, and the
model's own list). The output is one HTML file (inline CSS, images as base64 PNG) or one
Markdown file with its images in ``<stem>_files/`` beside it. Nothing in it depends on the time
or the machine, so two runs with the same settings write identical bytes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from mtorsim.errors import MtorsimError
from mtorsim.model.vocabulary import Vocabulary
from mtorsim.network import Network
from mtorsim.screening.plan import WILDTYPE, Background, ScreenPlan, plan, treatment_label
from mtorsim.screening.result import EPS, ScreenResult
from mtorsim.screening.screen import run_screen

RESPONDS, PARTIAL = 0.5, 0.1  # effect on the response readout: responds >= 0.5 > partial >= 0.1 > fails
GENERIC_LIMITS = (
    "A Boolean network: readouts are activities between 0 and 1 (probabilities over stochastic runs and levels), "
    "not concentrations or cell counts.",
    "No pharmacokinetics: a drug holds its target from the start of the treatment at a fixed efficacy; no "
    "absorption, clearance, schedules or drug-drug interactions.",
    "No toxicity: a combination that shuts the network down may be intolerable in patients; nothing here weighs "
    "benefit against harm.",
    "No tumour microenvironment: one cell in a fixed medium; no immune system, stroma, vasculature, hypoxic "
    "gradients or clonal heterogeneity beyond the environment conditions and backgrounds screened.",
)
TOP_PAIRS = 5
UNAFFECTED = 0.95
"""Viability at or above which section 4 lists a drug as having no effect."""
TITLES = (
    "1. Each drug in each genotype background",
    "2. Best drug pairs per background",
    "3. Drug contrast",
    "4. Viability at the reference dose (clinical exposure where known)",
    "5. Where the numbers come from",
    "6. Tumour vs normal tissue vs T cells",
)


@dataclass
class Figure:
    """A figure the report shows, as what to draw (``kind`` and its ``data``); the renderer
    (``plots.report``) draws it: the analysis never loads matplotlib."""

    name: str  # file name (Markdown) / alt text
    caption: str
    kind: str  # "screen" (plots.screen.screen_figure) or "heatmap" (plots.report.heatmap_png)
    data: dict = field(default_factory=dict)


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
    limits: list[str] = field(default_factory=list)


# ---------------------------------------------------------------- helpers


def describe_readout(vocab: Vocabulary, name: str) -> str:
    """``name`` in words: its formula, levels or weighted parts."""
    r = vocab.readouts[name]
    if r.combine:
        return f"{name} = " + " + ".join(f"{w:g} x {part}" for part, w in r.combine)
    if r.levels:
        return f"{name}: levels " + ", ".join(f"{lv} ({w:g})" for lv, w in zip(r.levels, r.weights))
    return f"{name} = {r.text}" if r.text and r.text != name else f"{name}: node {name}"


def _fmt(v: float | None) -> str:
    return "n/a" if v is None else f"{v:.2f}"


def _signed(v: float | None) -> str:
    return "n/a" if v is None else f"{v:+.2f}"


def _incomplete(res: ScreenResult) -> int:
    return sum(not c["complete"] for c in res.cells.values())


@dataclass(frozen=True)
class Condition:
    name: str
    env: dict[str, int]
    backgrounds: tuple[str, ...]  # screen labels, genotype|condition

    @property
    def setting(self) -> str:
        return ", ".join(f"{k}={v}" for k, v in self.env.items()) or "the environment defaults"


def genotype(label: str) -> str:
    return label.split("|", 1)[0]


def verdict(effect: float | None) -> str:
    if effect is None:
        return "n/a"
    return "responds" if effect >= RESPONDS else "partial" if effect >= PARTIAL else "fails"


NO_EFFECT = "no effect on any readout here: the target is inactive or redundant in this background and medium"


def why(
    res: ScreenResult, vocab: Vocabulary, background: str, treatment: Sequence[str], net: Network | None = None
) -> list[str]:
    """Why ``treatment`` falls short in ``background``: the escape routes computed on the exact
    attractors (``intervention.escapes``, single nodes, goal: the level at which the background
    would respond), each with the vocabulary's prose for the nodes it names; or that the drug
    changes no readout at all (by more than 0.01)."""
    base = res.cell(background, ())["readouts"]
    cell = res.cell(background, treatment)["readouts"]
    if all(
        u["mean"] is not None and cell[k]["mean"] is not None and abs(u["mean"] - cell[k]["mean"]) <= 0.01
        for k, u in base.items()
    ):
        return [NO_EFFECT]
    if net is None:
        return []
    return _escape_lines(res, vocab, net, background, treatment)


def _escape_lines(
    res: ScreenResult, vocab: Vocabulary, net: Network, background: str, treatment: Sequence[str]
) -> list[str]:
    from mtorsim.intervention.control import readout_nodes
    from mtorsim.intervention.escapes import find_escapes
    from mtorsim.intervention.goal import Goal

    b = next(x for x in res.plan.backgrounds if x.label == background)
    u = res.cell(background, ())["readouts"][res.readout]["max" if res.goal == "low" else "min"]
    if u is None:
        return []
    if res.goal == "low":
        goal = Goal(res.readout, "<=", round(u * (1 - RESPONDS), 6))
    else:
        goal = Goal(res.readout, ">=", round(u + (res.ceiling - u) * RESPONDS, 6))
    env = dict(b.env)
    e = find_escapes(net, vocab, goal, env=env, mutations=b.mutations, drugs=treatment, max_size=1, max_drugs=0)
    if e.met or not e.escapes:
        return []
    out = []
    for esc in e.escapes[:3]:
        named = set(esc.nodes) | set(esc.carries)
        prose = [
            x.text for x in vocab.explanations.values() if named & set(readout_nodes(vocab, x.readout) + [x.readout])
        ]
        carries = f", carrying {', '.join(esc.carries[:4])}" if esc.carries else ""
        out.append(f"{esc.kind}: {' + '.join(sorted(esc.nodes))}{carries}" + (f" ({prose[0]})" if prose else ""))
    return out


# ---------------------------------------------------------------- the sections


def section_singles(
    res: ScreenResult, vocab: Vocabulary, conditions: Sequence[Condition], net: Network | None = None
) -> Section:
    sec = Section(TITLES[0])
    r = res.readout
    singles = [t for t in res.plan.treatments if len(t) <= 1]
    sec.intro.append(
        f"{describe_readout(vocab, r)}; {'lower' if res.goal == 'low' else 'higher'} is better. "
        "Each value is the readout's graded mean (the stochastic estimate when it is on, else the "
        "basin-weighted mean over the exact attractors)."
    )
    sec.intro.append(
        f"Effect of a drug = its change of '{r}' as a fraction of the room the untreated cell leaves; "
        f"a background responds when the effect is >= {RESPONDS:g}, partly when >= {PARTIAL:g}, "
        f"and the drug fails below {PARTIAL:g}. Where a drug fails or acts partly, 'why' lists its "
        "escape routes, computed on the exact attractors (mtorsim explain with single nodes): the "
        "active nodes whose activity alone keeps the readout from the level at which the background "
        "would respond, as feedback (the drug switched it on through a loop it relieves), incomplete "
        "(the drug leaves it on) or bypass (a route the drug does not touch), with the vocabulary's "
        "prose where it names those nodes."
    )
    titles = {", ".join(f"{k}={v}" for k, v in sorted(c.env.items())): f"{c.name} ({c.setting})" for c in conditions}
    sec.figures.append(
        Figure(
            "singles.png",
            f"'{r}' by background (rows) and drug (columns), one panel per medium.",
            "screen",
            {
                "result": res,
                "title": f"{r}: genotype backgrounds x single drugs",
                "treatments": singles,
                "titles": titles,
            },
        )
    )
    head = ["background", f"untreated {r}", "responds", "partial", "fails", "why (partial or failed drugs)"]
    for c in conditions:
        rows = []
        for b in c.backgrounds:
            u = res.mean(b, ())
            groups: dict[str, list[str]] = {"responds": [], "partial": [], "fails": []}
            reasons: dict[str, list[str]] = {}
            for t in singles[1:]:
                e = res.effect(b, t)
                v = verdict(e)
                if v == "n/a":
                    continue
                groups[v].append(f"{t[0]} ({_fmt(res.mean(b, t))})")
                if v != "responds":
                    for text in why(res, vocab, b, t, net) or ["no single-node escape (several routes together)"]:
                        reasons.setdefault(text, []).append(t[0])
            if u is not None and (u <= EPS if res.goal == "low" else u >= res.ceiling - EPS):
                because = "untreated already at the best value: nothing to improve"
            else:
                because = "; ".join(f"{text}: {', '.join(ds)}" for text, ds in reasons.items()) or "-"
            rows.append(
                [
                    genotype(b),
                    _fmt(u),
                    ", ".join(groups["responds"]) or "-",
                    ", ".join(groups["partial"]) or "-",
                    ", ".join(groups["fails"]) or "-",
                    because,
                ]
            )
        sec.tables.append((f"{c.name} ({c.setting}): response per background", head, rows))
    return sec


def section_pairs(res: ScreenResult, conditions: Sequence[Condition]) -> Section:
    sec = Section(TITLES[1])
    r = res.readout
    combos = [t for t in res.plan.treatments if len(t) >= 2]
    if not combos:
        sec.notes.append("no combinations screened (`max_combo` below 2, or fewer than two drugs)")
        return sec
    k = max(len(t) for t in combos)
    sec.intro.append(
        f"Per background and medium, the {TOP_PAIRS} best combinations (up to {k} drugs) on the mean "
        f"of '{r}'. Means within the 95% interval of their difference are ties (marked '=', one rank), "
        "ordered by fewer drugs, then the better mean over the exact attractors, then the name. Effect = change as a fraction of the untreated room; Bliss "
        "excess = effect - (1 - prod(1 - single effects)); HSA excess = effect - best single effect; "
        "n/a when the untreated readout leaves no room. 'cycles' names treatments whose attractors "
        "oscillate: there the readout is a time average and a synergy may be an artefact of it."
    )
    head = [
        "background",
        "rank",
        "combination",
        f"mean {r}",
        "effect",
        "Bliss excess",
        "HSA excess",
        "best single",
        "cycles",
        "complete",
    ]
    used = {d for t in combos for d in t}
    for c in conditions:
        rows = []
        for b in c.backgrounds:
            syn = {tuple(s["treatment"]): s for s in res.synergy(b)}
            singles = [x for x in res.ranking(b) if len(x["treatment"]) == 1 and x["treatment"][0] in used]
            best_single = f"{singles[0]['treatment'][0]} ({_fmt(singles[0]['mean'])})" if singles else "n/a"
            ranked = [x for x in res.ranking(b) if len(x["treatment"]) >= 2][:TOP_PAIRS]
            for pos, x in enumerate(ranked, start=1):
                t = tuple(x["treatment"])
                s = syn.get(t, {})
                cyc = ", ".join(treatment_label(o) for o in s.get("oscillating", [])) or "-"
                rows.append(
                    [
                        genotype(b),
                        ("=" if pos > 1 and x["tie"] else "") + str(pos),
                        treatment_label(t),
                        _fmt(x["mean"]),
                        _fmt(x["effect"]),
                        _signed(s.get("bliss")),
                        _signed(s.get("hsa")),
                        best_single,
                        cyc,
                        "yes" if res.cell(b, t)["complete"] else "NO",
                    ]
                )
        sec.tables.append((f"{c.name} ({c.setting}): top {TOP_PAIRS} combinations per background", head, rows))
    return sec


def section_contrast(
    net: Network, vocab: Vocabulary, *, update: str, method: str, jobs: int, options: Mapping
) -> Section:
    contrast = vocab.contrast()
    if contrast is None:
        sec = Section(TITLES[2])
        sec.notes.append(
            "the vocabulary names no drugs to contrast; add a [model.contrast] table "
            '(title = "...", drugs = [...], readouts = [...])'
        )
        return sec
    sec = Section(f"{TITLES[2]}: {contrast['title']}" if contrast.get("title") else TITLES[2])
    drugs: list[str] = []
    for name in contrast["drugs"]:
        d = vocab.drug(name).name
        if d not in drugs:
            drugs.append(d)
    readouts = list(contrast["readouts"])
    label_of = contrast.get("labels", {})
    shown = ", ".join(f"{n} -> {vocab.drug(n).name}" if vocab.drug(n).name != n else n for n in contrast["drugs"])
    sec.intro.append(
        f"Wildtype, full medium (the vocabulary's default environment); drugs: {shown}. Mean of each "
        "readout (basin-weighted over attractors)."
    )
    res = run_screen(
        net,
        vocab,
        plan(vocab, drugs, [WILDTYPE], 1),
        update=update,
        method=method,
        readout=readouts[0],
        jobs=jobs,
        options=options,
    )
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
    heads = [label_of.get(n, n) for n in readouts]
    sec.tables.append(("Readout means in wildtype full medium", ["drug", *heads, "complete"], rows))
    sec.figures.append(
        Figure(
            "contrast.png",
            "Readout means (columns) under each mTOR inhibitor (rows).",
            "heatmap",
            {
                "values": values,
                "rows": labels,
                "cols": readouts,
                "title": "wildtype, full medium",
                "label": "mean activity",
            },
        )
    )
    return sec


def section_viability(
    net: Network,
    vocab: Vocabulary,
    drugs: Sequence[str],
    conditions: Sequence[Condition],
    backgrounds: Sequence[Background],
    runs: int,
) -> Section:
    """Each drug alone at its reference dose in the viability assay, ranked per background with
    95% intervals; ties named."""
    from mtorsim.response.assay import assay_of
    from mtorsim.response.curves import reference_dose
    from mtorsim.screening.screen import run_viability_screen

    sec = Section(TITLES[3])
    dosable = [d for d in drugs if _dosable(vocab, d)]
    try:
        assay = assay_of(vocab, runs=runs, bootstrap=0)
    except MtorsimError as e:
        sec.notes.append(f"no viability assay for this vocabulary: {e}")
        return sec
    refs = {d: reference_dose(vocab.drug(d)) for d in dosable}
    sec.intro.append(
        f"The simulated viability assay ({assay.assay_time:g} h of drug after {assay.burn_in:g} h untreated, "
        f"{runs} cells; see `mtorsim response`) with each drug alone at its reference dose: "
        + "; ".join(f"{d} {x:.3g} {vocab.drug(d).unit or ''} ({why})" for d, (x, why) in refs.items())
        + ". Viability is the cell count relative to untreated cells; drugs whose viabilities lie within "
        "the 95% interval of their difference share a rank (marked '=')."
    )
    skipped = [d for d in drugs if d not in dosable]
    if skipped:
        sec.notes.append(f"not dosable (an edge cut or replaced rule acts all or nothing): {', '.join(skipped)}")
    head = [
        "background",
        "drugs that lower viability, ranked: viability [95% interval]",
        f"no effect (viability >= {UNAFFECTED:g})",
    ]
    for c in conditions:
        the_plan = ScreenPlan(
            [Background(b.label, b.mutations, tuple(c.env.items())) for b in backgrounds],
            [(), *((d,) for d in dosable)],
        )
        res = run_viability_screen(net, vocab, the_plan, assay)
        rows = []
        for b in backgrounds:
            ranked = [x for x in res.ranking(b.label) if x["treatment"]]
            cells = [
                f"{'=' if x['tie'] else ''}{x['rank']}. {x['treatment'][0]} {_fmt(x['mean'])} "
                f"[{_fmt(x['interval'][0])}, {_fmt(x['interval'][1])}]"
                for x in ranked
                if x["mean"] is not None and x["mean"] < UNAFFECTED
            ]
            none = [x["treatment"][0] for x in ranked if x["mean"] is None or x["mean"] >= UNAFFECTED]
            rows.append([genotype(b.label), "; ".join(cells) or "-", ", ".join(none) or "-"])
        sec.tables.append((f"{c.name} ({c.setting}): viability at the reference dose", head, rows))
    return sec


def _dosable(vocab: Vocabulary, name: str) -> bool:
    from mtorsim.model.vocabulary import SetNode

    d = vocab.drug(name)
    return all(isinstance(p, SetNode) for p in d.perturbations) and (
        d.ic50 is not None or all(getattr(p, "ic50", None) for p in d.perturbations)
    )


def _status(*texts: object) -> str:
    """'assumption', 'recalled' or 'published' from the notes a vocabulary entry carries."""
    joined = " ".join(str(t) for t in texts if t).lower()
    if "assumption" in joined:
        return "assumption"
    if "recalled" in joined:
        return "recalled"
    return "published" if joined else "not given"


def section_provenance(vocab: Vocabulary, drugs: Sequence[str]) -> Section:
    """Per drug: each target's potency and exposure with whether the number was read in its
    source, recalled, or is an assumption; then the assay's assumptions."""
    from mtorsim.response.assay import NUMBERS, assay_of
    from mtorsim.response.curves import reference_dose

    sec = Section(TITLES[4])
    sec.intro.append(
        "Every number behind sections 1-4, as the vocabulary states it: 'published' = read in the cited "
        "source; 'recalled' = taken from memory of the source, not checked; 'assumption' = no published "
        "number, the model's choice. A drug without a clinical exposure acts at ten times its primary IC50."
    )
    rows = []
    for name in drugs:
        d = vocab.drug(name)
        targets = []
        for p in d.perturbations:
            ic50 = getattr(p, "ic50", None) or d.ic50
            info = dict(getattr(p, "notes", ()) or ())
            if ic50 is not None:
                targets.append(
                    f"{p.node}: IC50 {ic50:g} {d.unit or ''} ({_status(info.get('potency'), info.get('reference'))})"
                )
        exp = d.exposure
        ref = reference_dose(d) if targets else None
        rows.append(
            [
                name,
                "; ".join(targets) or "no potency (acts at full engagement)",
                (
                    f"free Cmax {exp['cmax'] * exp['free_fraction']:.3g} {d.unit} ({_status(exp.get('status'), exp.get('reference'))})"
                    if "cmax" in exp and "free_fraction" in exp
                    else "not given"
                ),
                "-" if ref is None else f"{ref[0]:.3g} {d.unit or ''} ({ref[1]})",
                str(d.toxicity.get("dlt", "not given")) if d.toxicity else "not given",
            ]
        )
    sec.tables.append(
        (
            "Drugs",
            ["drug", "targets and potency", "clinical exposure", "reference dose", "dose-limiting toxicity"],
            rows,
        )
    )
    try:
        assay = assay_of(vocab)
    except MtorsimError:
        return sec
    table = vocab.model.get("assay", {})
    rows = [
        [k, f"{getattr(assay, k):g}", "vocabulary [model.assay]" if k in table else "default (assumption)"]
        for k in NUMBERS
    ]
    sec.tables.append(
        (
            "The viability assay (every value an assumption of the model, stated with its reasons in the vocabulary)",
            ["parameter", "value", "from"],
            rows,
        )
    )
    return sec


def section_window(
    net: Network, vocab: Vocabulary, drugs: Sequence[str], backgrounds: Sequence[Background], runs: int
) -> Section:
    """Each drug's therapeutic window per background: where the tumour's viability halves
    against where a normal context's readout first moves by 0.2 (``mtorsim window``)."""
    from mtorsim.model.load import Model, load_model
    from mtorsim.response.assay import assay_of
    from mtorsim.response.curves import Background as Genotype
    from mtorsim.response.curves import default_doses, dose_response, drug_doses, potency_strata
    from mtorsim.scenarios.estimate import EstimateSettings
    from mtorsim.selectivity.window import assess, context_curves

    sec = Section(TITLES[5])
    named = vocab.contexts()
    if not named:
        sec.notes.append("the vocabulary names no normal contexts ([model.contexts]); no window to show")
        return sec
    try:
        assay = assay_of(vocab, runs=runs, bootstrap=0)
    except MtorsimError as e:
        sec.notes.append(f"no viability assay for this vocabulary: {e}")
        return sec
    goal, tol = 0.5, 0.2
    watched = "; ".join(k + ": " + ", ".join(v["readouts"]) for k, v in named.items())
    sec.intro.append(
        "Each drug alone over its dose grid: the tumour responds from the dose at which its viability falls to "
        f"{1 - goal:g}; normal tissue is harmed from the dose at which a watched readout of a normal context "
        f"({watched}) moves more than {tol:g} "
        "from untreated. Window = the doses between the two; selectivity = harm dose / response dose "
        "('>' when nothing is harmed on the grid). The contexts share the tumour's drugs: a drug whose targets "
        "a context lacks by biology leaves it alone; one whose target is not in the context's model is not "
        "assessed there (its harm is unknown, not nil). `mtorsim window` draws one."
    )
    contexts = {k: (load_model(v["model"]), v["readouts"], v["env"]) for k, v in named.items()}
    strata = list(potency_strata(assay))
    settings = EstimateSettings(runs=runs, seed=assay.seed)
    model = Model(net, vocab, "tumour", Path(vocab.source or "."))
    head = ["drug", "first harm (context: readout, dose)", *[genotype(b.label) for b in backgrounds]]
    rows = []
    for d in (x for x in drugs if _dosable(vocab, x)):
        grid = default_doses(vocab.drug(d))
        doses_at = [drug_doses(vocab, [d], x) for x in grid]
        curves = {
            k: context_curves(k, m, [d], doses_at, grid, r, e, settings, strata, tol)
            for k, (m, r, e) in contexts.items()
        }
        res = dose_response(
            model.network, vocab, [Genotype(b.label, b.mutations) for b in backgrounds], [[d]], assay, grid
        )
        cells, harm = [], "none on the grid"
        for c in res.curves:
            eff, cens, toxic, limiting, window, sel = assess(c, curves, goal)
            if toxic is not None:
                harm = f"{limiting} at {toxic:.3g} {c.unit}"
            if eff is None:
                cells.append("no response" if cens == ">" else "responds at the lowest dose")
            elif window is None:
                cells.append(f"responds from {eff:.3g}; no window (selectivity {sel:.2g})")
            elif toxic is None and all(c.not_assessed for cs in curves.values() for c in cs):
                cells.append(f"responds from {eff:.3g}; harm not assessed")
            elif toxic is None:
                cells.append(f"window from {eff:.3g} (selectivity > {grid[-1] / eff:.2g})")
            else:
                cells.append(f"window {eff:.3g}-{toxic:.3g} (selectivity {sel:.2g})")
        unknown = sorted({k for k, cs in curves.items() for c in cs if c.not_assessed})
        if unknown:
            harm += f" (not assessed in {', '.join(unknown)}: a target is not in that model)"
        rows.append([d, harm, *cells])
    sec.tables.append(("Therapeutic window per drug and background (doses in nM; full medium)", head, rows))
    return sec


# ---------------------------------------------------------------- building and writing


def conditions_of(vocab: Vocabulary) -> list[tuple[str, dict[str, int]]]:
    """The media a report shows: the vocabulary's ``[model.conditions]``, else its defaults."""
    return list(vocab.conditions().items()) or [("default medium", {})]


def build_report(
    net: Network,
    vocab: Vocabulary,
    model_name: str,
    *,
    update: str = "sync",
    method: str = "auto",
    readout: str | None = None,
    backgrounds: Sequence[str] | None = None,
    drugs: Sequence[str] | None = None,
    max_combo: int = 2,
    jobs: int = 1,
    options: Mapping | None = None,
    progress=None,
) -> Report:
    """Screen every drug (and combinations up to ``max_combo``) over ``backgrounds`` in each
    medium, and build the report; ``progress(n, total)`` is called as screen cells finish."""
    from mtorsim.screening.plan import check_readout

    options = dict(options or {})
    if not vocab.drugs:
        raise MtorsimError(f"{vocab.source or 'the vocabulary'}: defines no drugs; a report needs at least one")
    readout = check_readout(vocab, readout)
    drugs = [vocab.drug(d).name for d in drugs] if drugs else vocab.report_drugs()
    backgrounds = backgrounds or vocab.report_backgrounds()
    base = plan(vocab, drugs, backgrounds, max_combo)
    conditions, bgs = [], []
    for name, env in conditions_of(vocab):
        env = dict(sorted(env.items()))
        labels = tuple(f"{b.label}|{name}" for b in base.backgrounds)
        conditions.append(Condition(name, env, labels))
        bgs += [Background(label, b.mutations, tuple(env.items())) for label, b in zip(labels, base.backgrounds)]
    the_plan = ScreenPlan(bgs, base.treatments)
    total = len(the_plan.cells())
    res = run_screen(
        net,
        vocab,
        the_plan,
        update=update,
        method=method,
        readout=readout,
        jobs=jobs,
        options=options,
        progress=None if progress is None else lambda n: progress(n, total),
    )
    sections = [
        section_singles(res, vocab, conditions, net),
        section_pairs(res, conditions),
        section_contrast(net, vocab, update=update, method=method, jobs=jobs, options=options),
        section_viability(
            net, vocab, drugs, conditions, base.backgrounds, int((options.get("estimate") or {}).get("runs", 1000))
        ),
        section_provenance(vocab, drugs),
        section_window(net, vocab, drugs, base.backgrounds, int((options.get("estimate") or {}).get("runs", 1000))),
    ]
    notes = []
    inc = _incomplete(res)
    if inc:
        notes.append(
            f"{inc} of {len(res.cells)} screen cell(s) have an incomplete attractor search (method "
            f"'{method}'); their readouts may miss attractors"
        )
    for s in sections:
        notes += [f"section {s.title.split('.')[0]}: {n}" for n in s.notes]
    if not notes:
        notes.append("all attractor searches complete")
    est = options.get("estimate")
    header = [
        ("model", model_name),
        ("nodes", str(len(net))),
        ("update", update),
        ("method", method),
        ("response readout", describe_readout(vocab, readout)),
        (
            "graded mean",
            "off: means over the exact attractors"
            if est is None
            else f"continuous-time estimate, {est.get('runs', 1000)} runs, seed {est.get('seed', 0)}, burn-in "
            f"{est.get('burn_in', 20.0):g}, treatment {est.get('treatment', 40.0):g} (second half averaged)",
        ),
        ("backgrounds", str(len(base.backgrounds))),
        ("media", "; ".join(f"{c.name}: {c.setting}" for c in conditions)),
        ("drugs", f"{len(drugs)} of the vocabulary's {len(vocab.drugs)}: {', '.join(drugs)}"),
        ("largest combination", str(max_combo)),
        ("screen cells", str(len(the_plan.cells()))),
        (
            "environment defaults",
            ", ".join(f"{k}={'free' if d is None else d}" for k, d in vocab.medium().items()) or "-",
        ),
    ]
    limits = list(GENERIC_LIMITS) + vocab.limitations()
    return Report(f"mtorsim report: {model_name}", header, notes, sections, limits)


def output_kind(path: str | Path) -> str:
    suffix = Path(path).suffix.lower()
    if suffix in (".html", ".htm"):
        return "html"
    if suffix in (".md", ".markdown"):
        return "md"
    raise MtorsimError(
        f"cannot write a report to '{path}': unsupported file type '{Path(path).suffix or '(none)'}'; use .html or .md"
    )


def image_dir(path: str | Path) -> Path:
    p = Path(path)
    return p.parent / f"{p.stem}_files"
