"""``mtorsim report``: one self-contained, deterministic HTML or Markdown file with the three
sections; refuses to overwrite without --force."""

from __future__ import annotations

import re

from conftest import DATA

from mtorsim.report.build import TITLES

TOY = DATA / "toy" / "toy.rules"


def _report(run_cli, out, *extra, model=TOY):
    args = ["report", model, "--out", out]
    if model == TOY:
        args += ["--readout", "growth"]
    res = run_cli(*args, *extra)
    assert res.exit_code == 0, res.output + res.stderr
    return res


def test_html_is_self_contained_with_sections_and_images(run_cli, tmp_path):
    out = tmp_path / "report.html"
    _report(run_cli, out)
    text = out.read_text(encoding="utf-8")
    for title in TITLES:
        assert title in text
    assert text.count('src="data:image/png;base64,') >= 2
    assert not re.search(r"""(src|href)\s*=\s*["']?\s*https?://""", text, re.I)
    assert "http://" not in text and "https://" not in text
    assert "<style>" in text and "<link" not in text and "<script" not in text
    # toy: its [model.contrast] names everolimus, an alias of rapalog
    assert "everolimus -&gt; rapalog" in text
    assert "rapalog + torki" in text  # section 2: the pair


def test_markdown_writes_images_beside_it(run_cli, tmp_path):
    out = tmp_path / "rep.md"
    _report(run_cli, out)
    text = out.read_text(encoding="utf-8")
    folder = tmp_path / "rep_files"
    images = sorted(p.name for p in folder.iterdir())
    assert images == ["contrast.png", "singles.png"]
    for name in images:
        assert f"](rep_files/{name})" in text
        assert (folder / name).read_bytes().startswith(b"\x89PNG")
    for title in TITLES:
        assert f"## {title}" in text


def test_deterministic(run_cli, tmp_path):
    a, b = tmp_path / "a.html", tmp_path / "b.html"
    _report(run_cli, a)
    _report(run_cli, b, "--jobs", "2")
    assert a.read_bytes() == b.read_bytes()
    ma, mb = tmp_path / "a.md", tmp_path / "b.md"
    _report(run_cli, ma)
    _report(run_cli, mb)
    assert ma.read_text().replace("a_files", "X") == mb.read_text().replace("b_files", "X")
    for name in ("singles.png", "contrast.png"):
        assert (tmp_path / "a_files" / name).read_bytes() == (tmp_path / "b_files" / name).read_bytes()


def test_refuses_to_overwrite_without_force(run_cli, tmp_path):
    out = tmp_path / "report.html"
    out.write_text("keep me")
    res = run_cli("report", TOY, "--readout", "growth", "--out", out)
    assert res.exit_code == 2
    assert "already exists" in res.stderr and "--force" in res.stderr
    assert out.read_text() == "keep me"
    _report(run_cli, out, "--force")
    assert "keep me" not in out.read_text()
    md = tmp_path / "r.md"
    (tmp_path / "r_files").mkdir()
    (tmp_path / "r_files" / "singles.png").write_bytes(b"old")
    res = run_cli("report", TOY, "--readout", "growth", "--out", md)
    assert res.exit_code == 2 and "r_files" in res.stderr
    assert not md.exists()


def test_bad_suffix_and_readout(run_cli, tmp_path):
    res = run_cli("report", TOY, "--out", tmp_path / "r.txt")
    assert res.exit_code == 2 and ".html or .md" in res.stderr
    res = run_cli("report", TOY, "--out", tmp_path / "r.html", "--readout", "nope")
    assert res.exit_code == 2 and "unknown readout" in res.stderr


def test_mtor_model_contrast(run_cli, tmp_path):
    out = tmp_path / "mtor.html"
    _report(run_cli, out, "--max-combo", "1", "--background", "wildtype", "--background", "TSC2_loss", model="mtor")
    text = out.read_text(encoding="utf-8")
    section3 = text.split(TITLES[2], 1)[1]
    for drug in ("everolimus", "sapanisertib", "rapalink"):
        assert f"<td>{drug}</td>" in section3
    for readout in ("S6K", "p4EBP1 (T37/46)", "p4EBP1_S65", "eIF4F", "AKT_S473"):
        assert f"<th>{readout}</th>" in section3
    assert "no combinations screened" in text
    # ranked on the documented tumour response, in both media, with the model's limits stated
    assert "TumourGrowth = 0.5 x Proliferation + 0.5 x Survival" in text
    assert "full medium (the environment defaults)" in text and "nutrient-poor (amino_acids=0" in text
    limits = text.split("What this model cannot tell you", 1)[1].split("</div>", 1)[0]
    for word in ("pharmacokinetics", "toxicity", "microenvironment"):
        assert word in limits


def test_mtor_report_explains_failures_by_computed_escapes(run_cli, tmp_path):
    """Wildtype, full medium: each escape the report names for everolimus holds when re-run
    through `run_scenario`: its nodes switched off (with the drug) bring TumourGrowth to the
    level at which the background would respond, which the drug alone does not."""
    import mtorsim
    from mtorsim.report.build import RESPONDS

    out = tmp_path / "mtor.md"
    _report(run_cli, out, "--max-combo", "1", "--background", "wildtype", model="mtor")
    row = next(line for line in out.read_text(encoding="utf-8").splitlines() if line.startswith("| wildtype |"))
    why = row.split(" | ")[-1].replace("\\|", "|")
    model = mtorsim.load_model("mtor")

    def worst(fixed=None):
        t = mtorsim.Treatment.of(None, (), ["everolimus"], None, fixed)
        return mtorsim.run_scenario(model, treatment=t, estimate=False).readouts["TumourGrowth"]["max"]

    untreated = mtorsim.run_scenario(model, estimate=False).readouts["TumourGrowth"]["max"]
    goal = untreated * (1 - RESPONDS)
    named = [
        part.split(":")[1].split(",")[0].split("(")[0].strip()
        for part in why.split("; ")
        if part.split(":")[0] in ("feedback", "incomplete", "bypass") and "everolimus" in part.split(": ")[-1]
    ]
    assert named, why
    assert worst() > goal
    for nodes in named:
        assert worst({n.strip(): 0 for n in nodes.split("+")}) <= goal + 1e-9, nodes


def test_contrast_comes_from_the_vocabulary(tmp_path):
    """Section 3 sets side by side exactly the drugs and readouts of [model.contrast]; without
    one it says what to add."""
    from mtorsim.model import load_model
    from mtorsim.report.build import section_contrast

    model = load_model(TOY)
    sec = section_contrast(model.network, model.vocabulary, update="sync", method="auto", jobs=1, options={})
    ((_, head, rows),) = sec.tables
    assert sec.title.endswith("rapalog vs kinase inhibitor")
    assert head == ["drug", "s6k", "translation", "akt", "complete"]
    assert [r[0] for r in rows] == ["untreated", "rapalog", "torki"]
    plain = tmp_path / "toy.toml"
    plain.write_text(TOY.with_suffix(".toml").read_text().split("[model.contrast]")[0])
    model = load_model(TOY, vocabulary=plain)
    sec = section_contrast(model.network, model.vocabulary, update="sync", method="auto", jobs=1, options={})
    assert not sec.tables and "add a [model.contrast] table" in sec.notes[0]


def test_mtor_report_ranks_viability_with_ties_and_states_where_numbers_come_from():
    """Section 4 ranks the drugs by viability at their reference dose: the ranks follow the
    means, drugs within each other's interval share a rank; section 5 marks each potency and
    exposure as published, recalled or assumption, as the vocabulary says."""
    from mtorsim.model import load_model
    from mtorsim.report.build import Condition, section_provenance, section_viability
    from mtorsim.screening.plan import Background

    model = load_model("mtor")
    vocab = model.vocabulary
    drugs = ["everolimus", "alpelisib", "pictilisib", "trametinib"]
    bg = Background("PIK3CA_activating", ("PIK3CA_activating",))
    sec = section_viability(model.network, vocab, drugs, [Condition("full", {}, ("PIK3CA_activating",))], [bg], 200)
    ((_, head, rows),) = sec.tables
    ranked = rows[0][1].split("; ")
    means = [float(x.split(" ")[2]) for x in ranked]
    assert means == sorted(means) and "trametinib" in rows[0][2]  # no MEK dependence in this genotype
    ranks = [x.split(".")[0] for x in ranked]
    assert all(r.startswith("=") == (ranks.count(r) > 1) for r in ranks)
    prov = section_provenance(vocab, ["everolimus", "rapalink"])
    table = {r[0]: r for r in prov.tables[0][2]}
    assert "(recalled)" in table["everolimus"][1] and "free Cmax 6.4 nM" in table["everolimus"][2]
    assert "(assumption)" in table["rapalink"][1] and table["rapalink"][2] == "not given"


def test_markdown_escapes_model_text_as_html_does():
    from mtorsim.plots.report import render_markdown
    from mtorsim.report.build import Report, Section

    bad = ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "<svg onload=alert(1)>"]
    sec = Section(bad[0], intro=[bad[1]], tables=[(bad[2], ["node"], [[b] for b in bad])], notes=[bad[1]])
    text, _ = render_markdown(Report(bad[0], [("model", bad[1])], [bad[2]], [sec], [bad[0]]), "img")
    assert "<script" not in text and "<img" not in text and "<svg" not in text
    assert "&lt;img src=x onerror=alert(1)&gt;" in text
