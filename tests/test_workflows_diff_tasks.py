"""`diff` of results that name an evaluation, a class or a threshold (export_cards.py builds them
through the results schema): rows, disparities and gates that differ only in those are compared
one to one, never folded into one."""

from __future__ import annotations

import json

from cardwright._compute.api import dumps
from export_cards import CARDS, build_results, write_card


def _pair(tmp_path):
    sides = []
    for seed, side in ((0, "old"), (1, "new")):
        folder = tmp_path / side
        folder.mkdir()
        card = write_card(folder, "evaluations")
        results = build_results(CARDS["evaluations"][1], seed)
        (folder / "evaluations.model-card.results.json").write_text(dumps(results))
        sides.append((card, results))
    return sides


def _key(x) -> tuple:
    return (x.metric, tuple(sorted(x.slice.items())), x.evaluation, x.class_, x.threshold)


def test_diff_compares_each_evaluation_class_and_threshold(tmp_path, cli):
    (old_card, old), (new_card, new) = _pair(tmp_path)
    run = cli("diff", str(old_card), str(new_card), "--format", "json")
    assert run.code == 0, run.err
    d = json.loads(run.out)

    def shown(r):
        return (r.value, r.ci_low, r.ci_high, r.n, r.suppressed)

    olds = {_key(r): r for r in old.results}
    changed = [r for r in new.results if shown(r) != shown(olds[_key(r)])]
    assert len(olds) == len(old.results)  # the rows are distinct …
    assert len(d["metrics"]) == len(changed) > 0  # … and each change is listed once
    got = {(c["metric"], tuple(sorted(c["slice"].items())), c.get("evaluation"), c.get("class"), c.get("threshold"))
           for c in d["metrics"]}
    assert got == {_key(r) for r in changed}
    row = next(c for c in d["metrics"] if c.get("class") == "dog" and not c["slice"])
    assert row["label"] == "overall (evaluation benchmark; class dog)"
    # one headline disparity per evaluation, metric, class and threshold
    heads = {(x.metric, x.evaluation, x.class_, x.threshold) for x in new.disparities if x.group is None}
    assert len({(c["metric"], c.get("evaluation"), c.get("class"), c.get("threshold")) for c in d["disparities"]}) \
        == len(d["disparities"]) <= len(heads)
    # each evaluation's gate on its own
    assert [(g["evaluation"], g["threshold"]) for g in d["gates"]] == [(g.evaluation, g.threshold) for g in new.gates]
    flipped = [g for g, o in zip(new.gates, old.gates, strict=True) if o.passed and not g.passed]
    assert flipped
    assert [r for r in d["regressions"] if r.startswith("gate")] == [
        f"gate recall over sex (evaluation {g.evaluation}; threshold 0.5) now fails" for g in flipped]
    text = cli("diff", str(old_card), str(new_card)).out
    for g in new.gates:
        assert f"recall over sex (evaluation {g.evaluation}; threshold 0.5) (max_difference 0.2)" in text
