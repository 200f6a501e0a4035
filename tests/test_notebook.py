"""Notebooks: cards and results display as HTML, and results become a tidy pandas DataFrame."""

from __future__ import annotations

import html
import subprocess
import sys

import cardwright
from conftest import EXAMPLES, ROOT


def test_a_card_displays_as_its_render_isolated_in_an_iframe():
    card = cardwright.load(EXAMPLES / "credit" / "credit.model-card.yaml")
    shown = card._repr_html_()
    assert shown.startswith("<iframe srcdoc=") and 'sandbox=""' in shown
    page = html.unescape(shown.split('srcdoc="', 1)[1].split('" title=', 1)[0])
    assert page == cardwright.render(card, cardwright.load_results(card), to="html")


def test_results_display_provenance_gates_and_rows():
    card = cardwright.load(EXAMPLES / "credit" / "credit.model-card.yaml")
    results = cardwright.load_results(card)
    shown = results._repr_html_()
    assert "6,000 rows used of 6,000" in shown and "1 of 2 gates passed; failed warning gates (reported, not blocking): selection_rate over race." in shown
    assert shown.count("<tr>") == 41  # the header and the first 40 rows
    assert f"and {len(results.results) - 40:,} more rows" in shown


def test_results_to_frame_is_tidy_one_row_per_slice_and_metric():
    card = cardwright.load(EXAMPLES / "credit" / "credit.model-card.yaml")
    results = cardwright.load_results(card)
    frame = results.to_frame()
    assert len(frame) == len(results.results)
    assert list(frame.columns) == ["metric", "sex", "race", "age_band", "value", "ci_low", "ci_high", "n",
                                   "suppressed", "reason"]
    row = frame[(frame.metric == "accuracy") & (frame.sex == "female") & frame.race.isna() & frame.age_band.isna()]
    own = results.value("accuracy", {"sex": "female"})
    assert row[["value", "ci_low", "ci_high", "n"]].iloc[0].tolist() == [own.value, own.ci_low, own.ci_high, own.n]
    overall = frame[frame[["sex", "race", "age_band"]].isna().all(axis=1)]
    assert sorted(overall.metric) == sorted(results.settings.metrics)
    sheet = cardwright.load(EXAMPLES / "credit" / "credit.datasheet.yaml")
    shares = cardwright.load_results(sheet).to_frame()
    assert list(shares.columns)[-3:] == ["count", "share", "suppressed"] and len(shares) > 10


def test_pandas_is_imported_only_for_a_frame():
    code = ("import sys, cardwright\n"
            "card = cardwright.load('examples/credit/credit.model-card.yaml')\n"
            "results = cardwright.load_results(card)\n"
            "results._repr_html_()\n"
            "print('pandas' in sys.modules)\n"
            "results.to_frame()\n"
            "print('pandas' in sys.modules)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert out.stdout.split() == ["False", "True"], out.stderr
