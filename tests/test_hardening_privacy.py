"""Outputs hold aggregates only: unique sentinel strings planted in columns that are not
aggregated (an id, free text, a rare value of an undeclared column) never appear in the results files, the Markdown,
HTML, JSON or PDF text, the site or the Hugging Face and CycloneDX exports; and composition counts
below min_cell_size never appear in any of them."""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

import pytest
import yaml

from conftest import FIXTURES, run_cli

SENTINELS = ("ZQX-ID-", "ZQX-NOTE-", "ZQX-RARE-CATEGORY", "ZQX-SCORE-NOTE")
K = 7


def project(folder: Path) -> Path:
    rng = random.Random(5)
    rows = ["id,sex,band,region,note,y_true,y_score"]
    for i in range(300):
        sex = rng.choice(["female", "male"])
        band = rng.choice(["young", "middle", "old"])
        region = rng.choice(["north", "south"]) if i != 17 else "ZQX-RARE-CATEGORY"  # not a declared factor
        note = rng.choice(["ok", "fine", f"ZQX-NOTE-{i}"]) if i % 50 else "ZQX-SCORE-NOTE"
        rows.append(f"ZQX-ID-{i:05d},{sex},{band},{region},{note},{rng.randint(0, 1)},{rng.random():.3f}")
    rows += [f"ZQX-ID-9{i},female,lonely,north,ok,1,0.9" for i in range(K - 2)]  # a group of K-2 people
    (folder / "data.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    sheet = yaml.safe_load((FIXTURES / "valid" / "minimal.datasheet.yaml").read_text(encoding="utf-8"))
    sheet["data"] = {"path": "data.csv", "label": "y_true", "sensitive_attributes": ["sex", "band"],
                     "min_cell_size": K}
    (folder / "people.datasheet.yaml").write_text(yaml.safe_dump(sheet), encoding="utf-8")
    card = yaml.safe_load((FIXTURES / "valid" / "minimal.model-card.yaml").read_text(encoding="utf-8"))
    card["factors"] = {"evaluation_factors": [{"name": "sex"}, {"name": "band"}]}
    card["evaluation_data"] = {"datasets": [{"name": "people", "datasheet": "people.datasheet.yaml"}]}
    card["quantitative_analyses"] = {
        "data": {"path": "data.csv", "label": "y_true", "score": "y_score", "threshold": 0.5},
        "factors": ["sex", "band"], "metrics": ["count", "accuracy", "recall", "roc_auc"],
        "confidence": {"resamples": 20}, "min_group_size": K}
    (folder / "scorer.model-card.yaml").write_text(yaml.safe_dump(card), encoding="utf-8")
    (folder / ".git").mkdir()
    return folder


CARDS = ("scorer.model-card.yaml", "people.datasheet.yaml")


@pytest.fixture(scope="module")
def computed(tmp_path_factory) -> Path:
    """The project with both cards' results computed."""
    folder = project(tmp_path_factory.mktemp("privacy"))
    for card in CARDS:
        assert run_cli("compute", card, cwd=folder).code == 0
    return folder


@pytest.fixture(scope="module")
def pdf_texts(computed) -> dict[str, str]:
    """The text of each card's PDF (apart from the other outputs: PDF rendering takes seconds)."""
    from pdfminer.high_level import extract_text

    texts: dict[str, str] = {}
    for card in CARDS:
        stem = card.rsplit(".", 1)[0]
        result = run_cli("render", card, "--to", "pdf", "-o", f"{stem}.out.pdf", cwd=computed)
        assert result.code == 0, result.err
        texts[f"{stem}.pdf"] = extract_text(str(computed / f"{stem}.out.pdf"))
    return texts


@pytest.fixture(scope="module")
def outputs(computed) -> dict[str, str]:
    folder = computed
    texts: dict[str, str] = {}
    for card in CARDS:
        stem = card.rsplit(".", 1)[0]
        texts[f"{stem}.results.json"] = (folder / f"{stem}.results.json").read_text(encoding="utf-8")
        for fmt in ("md", "html", "json"):
            result = run_cli("render", card, "--to", fmt, "-o", f"{stem}.out.{fmt}", cwd=folder)
            assert result.code == 0, result.err
            texts[f"{stem}.{fmt}"] = (folder / f"{stem}.out.{fmt}").read_text(encoding="utf-8")
        for target, name in (("huggingface", f"{stem}.README.md"), ("cyclonedx", f"{stem}.cdx.json")):
            result = run_cli("export", card, "--to", target, "-o", name, cwd=folder)
            assert result.code == 0, result.err
            texts[name] = (folder / name).read_text(encoding="utf-8")
    site = folder.parent / "site"
    assert run_cli("build", str(folder), "-o", str(site)).code == 0
    for page in site.rglob("*"):
        if page.is_file():
            texts[f"site/{page.name}"] = page.read_text(encoding="utf-8", errors="replace")
    return texts


def test_every_output_was_produced(outputs):
    assert len(outputs) >= 16
    assert "female" in outputs["people.datasheet.html"] and "0.9" not in outputs["scorer.model-card.README.md"][:0]


@pytest.mark.parametrize("sentinel", SENTINELS)
def test_no_row_level_value_reaches_any_output(outputs, sentinel):
    leaks = [name for name, text in outputs.items() if sentinel in text]
    assert leaks == []


@pytest.mark.slow
def test_no_row_level_value_or_small_count_reaches_the_pdf(pdf_texts):
    assert len(pdf_texts) == 2 and all(pdf_texts.values())
    assert [(name, s) for name, text in pdf_texts.items() for s in SENTINELS if s in text] == []
    _no_small_count_near_the_small_group(pdf_texts, ["people.datasheet.pdf"])


def test_small_composition_counts_never_appear(outputs):
    results = json.loads(outputs["people.datasheet.results.json"])
    published = [*results["groups"], *(results["label_shares"] or []),
                 *(c for col in results["columns"] for c in col.get("categories") or [])]
    assert published and all(s["count"] is None or s["count"] >= K for s in published)
    lonely = [g for g in results["groups"] if g["slice"].get("band") == "lonely"]
    assert lonely and all(g["suppressed"] and g["count"] is None for g in lonely)
    # the hidden size (K - 2) is not derivable from a total either: complementary suppression
    _no_small_count_near_the_small_group(outputs, [
        "people.datasheet.md", "people.datasheet.html", "people.datasheet.json", "people.datasheet.README.md",
        "people.datasheet.cdx.json", "site/people.datasheet.html"])


def _no_small_count_near_the_small_group(texts: dict[str, str], names: list[str]) -> None:
    for name in names:
        text = texts[name]
        for match in re.finditer(r"lonely", text):
            window = text[match.start(): match.start() + 200]
            assert not re.search(rf"(?<![\d.]){K - 2}(?![\d.])", window.split("\n\n")[0]), (name, window)


def test_small_slices_publish_no_counts_or_metrics(outputs):
    results = json.loads(outputs["scorer.model-card.results.json"])
    lonely = [s for s in results["slices"] if s["slice"].get("band") == "lonely"]
    assert lonely and all(s["n"] is None and s["suppressed"] for s in lonely)  # K - 2 rows: below both thresholds
    assert all(s.get(c) is None or s[c] == 0 or s[c] >= K for s in results["slices"] for c in ("n", "tp", "fp", "tn", "fn"))
    rows = [r for r in results["results"] if r["slice"].get("band") == "lonely"]
    assert rows and all(r["value"] is None and r["n"] is None for r in rows)
