"""Matching attribution rows with evaluation rows by id: the keyed match agrees with the exact one
(a dictionary of every id) on random ids, whatever the keys' collisions."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pytest

from cardwright._compute import attribution_ids
from cardwright._compute.attribution_ids import exact_match, match, text_keys
from cardwright.errors import DataError


def _ids(rng: np.random.Generator, n: int) -> list[str]:
    alphabet = list("ab7_é✓ ")
    out: set[str] = set()
    while len(out) < n:
        out.add("".join(rng.choice(alphabet, size=int(rng.integers(0, 9)))))
    return sorted(out)


@pytest.mark.parametrize("seed", range(6))
def test_shuffled_ids_are_matched_as_the_exact_match_does(seed: int) -> None:
    rng = np.random.default_rng(seed)
    ids = _ids(rng, int(rng.integers(1, 400)))
    perm = rng.permutation(len(ids))
    e, a = pa.array(ids), pa.array([ids[i] for i in perm])
    got = match(e, a, "a.csv", None)
    assert got is not None and got.tolist() == exact_match(e, a, "a.csv", None).tolist() == perm.tolist()


def test_the_same_ids_in_the_same_order_pair_rows_by_position() -> None:
    ids = pa.array(["x", "", "y", "zz"])
    assert match(ids, pa.array(["x", "", "y", "zz"]), "a.csv", None) is None
    assert match(pa.array([3, 1, 2]), pa.array([3, 1, 2], pa.int32()), "a.csv", None) is None


def test_text_keys_of_equal_ids_are_equal_wherever_the_ids_lie() -> None:
    plain = pa.array(["r1", "", "r22", "é✓", "r1"])
    sliced = pa.array(["pad", "r1", "", "r22", "é✓", "r1"]).slice(1)
    wide = plain.cast(pa.large_string())
    for other in (sliced, wide):
        assert text_keys(plain).tolist() == text_keys(other).tolist()
    k = text_keys(plain)
    assert k[0] == k[4] and len(set(k[:4].tolist())) == 4


@pytest.mark.parametrize("seed", range(4))
def test_colliding_keys_never_pair_different_ids(monkeypatch: pytest.MonkeyPatch, seed: int) -> None:
    """Keys that collide all the time (the length of the id alone) still give the exact match,
    and the exact errors."""
    monkeypatch.setattr(attribution_ids, "text_keys",
                        lambda ids: np.asarray([len(str(v)) for v in ids.to_pylist()], dtype=np.uint64))
    rng = np.random.default_rng(seed)
    ids = _ids(rng, 60)
    perm = rng.permutation(len(ids))
    e, a = pa.array(ids), pa.array([ids[i] for i in perm])
    got = attribution_ids.match(e, a, "a.csv", None)
    assert got is not None and got.tolist() == perm.tolist()
    # one key on each side, equal, of two different ids: the ids are compared, so no pairing
    with pytest.raises(DataError, match="1 attribution ids are not in the evaluation data, the first 'c'"):
        attribution_ids.match(pa.array(["a", "bb"]), pa.array(["bb", "c"]), "a.csv", None)


@pytest.mark.parametrize(("eval_ids", "attr_ids", "message"), [
    (["a", "b", "a"], ["a", "b", "c"], "1 ids appear more than once in the evaluation data, the first 'a' \\(2 times\\)"),
    (["a", "b", "c"], ["c", "c", "a"], "1 ids appear more than once in the attribution file, the first 'c'"),
    (["a", "b", "c"], ["a", "b", "c", "d"], "has 4 rows and the evaluation data 3; 1 attribution ids are not in"),
    (["a", "b", "c"], ["b", "a"], "1 evaluation ids have no attribution row, the first 'c'"),
    (["a", None, "c"], ["a", "b", "c"], "1 rows have no id"),
    ([1, 2, 2], [1, 2, 2], "ids appear more than once in the evaluation data, the first '2'"),
    ([1, 2, 3], ["1", "2", "03"], "the first '03'"),
])
def test_ids_that_do_not_pair_one_to_one_are_refused_naming_the_first(eval_ids, attr_ids, message) -> None:
    with pytest.raises(DataError, match=message):
        match(pa.array(eval_ids), pa.array(attr_ids), "a.csv", None)


def test_integer_ids_match_text_ids_by_their_decimal_text() -> None:
    got = match(pa.array([10, 2, 3]), pa.array(["3", "10", "2"]), "a.csv", None)
    assert got is not None and got.tolist() == [2, 0, 1]


def test_a_long_id_costs_memory_in_proportion_to_its_bytes() -> None:
    """A CSV field may hold megabytes: the keys of one 400,000-character id are computed with
    temporary arrays of a few bytes per byte of the id (a table of words per position and byte
    value would take 800 MB for it), and such ids still pair."""
    import tracemalloc

    long = ["a" * 400_000 + tail for tail in ("x", "y", "")]
    tracemalloc.start()
    try:
        keys = text_keys(pa.array(long))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 64 << 20 and len(set(keys.tolist())) == 3
    got = match(pa.array(long), pa.array(long[::-1]), "a.csv", None)
    assert got is not None and got.tolist() == [2, 1, 0]


def test_ids_that_differ_beyond_the_table_of_positions_have_different_keys() -> None:
    """Bytes past the table's positions wrap around it rotated: two ids that swap bytes one
    table length apart, or differ only in their last byte, keep distinct keys."""
    span = attribution_ids._POSITIONS
    base = "".join(chr(ord("a") + i % 26) for i in range(3 * span + 5))
    swapped = list(base)
    swapped[3], swapped[3 + span] = base[3 + span], base[3]
    ids = [base, "".join(swapped), base[:-1] + "!", base + "?"]
    assert len(set(ids)) == 4 and len(set(text_keys(pa.array(ids)).tolist())) == 4


def test_keys_are_the_same_whatever_the_step_splitting_the_ids(monkeypatch: pytest.MonkeyPatch) -> None:
    rng = np.random.default_rng(5)
    ids = pa.array(["".join(rng.choice(list("ab✓"), size=int(rng.integers(0, 300)))) for _ in range(200)])
    whole = text_keys(ids)
    monkeypatch.setattr(attribution_ids, "_CHUNK_BYTES", 97)
    assert text_keys(ids).tolist() == whole.tolist()
