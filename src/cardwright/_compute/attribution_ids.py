"""Matching attribution rows with evaluation rows by an id column.

Ids are compared as text (as DuckDB and Spark compare ``CAST(id AS STRING)``), integers as
integers when both columns hold them (the same thing: an integer's decimal text names it alone).
Every id must appear once in each file and the two files must hold the same ids; anything else is
an error naming the first id that differs (:func:`exact_match`).

Text ids are not put through a hash table of strings: each is reduced to a 64-bit tabulation
hash (:func:`text_keys`: one random word per byte value and position, combined with exclusive or,
and a mix of its length; positions past the table's 64 wrap around it, rotated), computed over the Arrow
buffers in numpy, a bounded number of bytes at a time.  The keys serve two decisions:

* every key distinct in a file means every id distinct (equal ids have equal keys); a repeated
  key (a repeated id, or two ids whose keys collide) sends the match to :func:`exact_match`;
* a key matched across the files is confirmed by comparing the two ids themselves, so a
  collision can never pair two different ids: it, too, ends in :func:`exact_match`.

When both files list the same ids in the same order (the usual case: attributions computed on the
evaluation table itself) the match is the identity, found by one comparison of the two columns;
:func:`match` then returns ``None`` and the rows are paired by position.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .attribution_read import error_at
from .reading import Locate

_SEED = 0x5EED_CA2D  # fixed: the keys, and so the work done, are the same on every run
_CHUNK = 1 << 20  # ids per step of the key computation (bounds its temporary arrays)
_CHUNK_BYTES = 1 << 24  # bytes of ids per step (its temporary arrays take 24 bytes per byte of ids)
_POSITIONS = 64  # positions of the table of words: longer ids wrap around it, rotated


def match(eval_ids: Any, attr_ids: Any, display: str, locate: Locate | None) -> np.ndarray | None:
    """For every attribution row, the evaluation row with the same id; ``None`` when that is the
    row in the same place for every row.  Errors when ids repeat, are missing, or the two files'
    ids differ."""
    import pyarrow as pa
    import pyarrow.compute as pc

    nulls = eval_ids.null_count + attr_ids.null_count
    if nulls:
        raise error_at(display, f"{nulls:,} rows have no id", "every row of both files needs an id", locate, ("id",))
    # integers as integers when both fit int64 (the same match as by their decimal text); an
    # unsigned 64-bit column may not, and is compared by its text
    integers = all(pa.types.is_integer(t) and t != pa.uint64() for t in (eval_ids.type, attr_ids.type))
    if integers:
        e_ids, a_ids = eval_ids.cast(pa.int64()), attr_ids.cast(pa.int64())
    else:
        e_ids, a_ids = _text(eval_ids), _text(attr_ids)
        if e_ids.type != a_ids.type:
            e_ids, a_ids = e_ids.cast(pa.large_string()), a_ids.cast(pa.large_string())
    keys = (lambda ids: ids.to_numpy(zero_copy_only=False)) if integers else text_keys

    if len(e_ids) != len(a_ids):
        return exact_match(eval_ids, attr_ids, display, locate)  # names the ids that differ
    if len(e_ids) == 0 or pc.all(pc.equal(e_ids, a_ids)).as_py():
        if _distinct(keys(e_ids)):
            return None  # the same ids in the same order, none repeated
        return exact_match(eval_ids, attr_ids, display, locate)
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(2) as pool:  # numpy releases the GIL: each side on its own core
        e_keys, a_keys = pool.map(keys, (e_ids, a_ids))
        # both sides' keys in order (two sorts: a binary search of every key in the other side's
        # sorted keys misses the cache at every step and costs several times more)
        e_order, a_order = pool.map(np.argsort, (e_keys, a_keys))
    e_sorted = e_keys[e_order]
    if len(e_sorted) > 1 and bool((e_sorted[1:] == e_sorted[:-1]).any()):
        return exact_match(eval_ids, attr_ids, display, locate)  # a repeated id, or colliding keys
    if not bool((e_sorted == a_keys[a_order]).all()):
        return exact_match(eval_ids, attr_ids, display, locate)  # ids that differ, or repeat in the attributions
    # the same distinct keys on both sides: the k-th smallest attribution key meets the k-th smallest evaluation key
    matched = np.empty(len(a_keys), dtype=np.int64)
    matched[a_order] = e_order
    if len(matched) and not pc.all(pc.equal(a_ids, e_ids.take(pa.array(matched)))).as_py():
        return exact_match(eval_ids, attr_ids, display, locate)  # a collision of keys: compare the ids
    return np.asarray(matched, dtype=np.int64)


def _text(ids: Any) -> Any:
    import pyarrow as pa

    if hasattr(ids, "combine_chunks"):
        ids = ids.combine_chunks()
    if pa.types.is_large_string(ids.type) or pa.types.is_string(ids.type):
        return ids
    return ids.cast(pa.string())


def _distinct(keys: np.ndarray) -> bool:
    ordered = np.sort(keys)
    return not bool((ordered[1:] == ordered[:-1]).any())


def text_keys(ids: Any) -> np.ndarray:
    """A 64-bit key of every id of a text array without nulls: equal texts, equal keys.

    The table holds one word per byte value for :data:`_POSITIONS` positions only: a byte further
    on takes the word of its position modulo :data:`_POSITIONS`, rotated by how many times the
    positions wrapped, so an id of any length (a CSV field may hold megabytes) costs no more
    memory than its own bytes, and each step reads ids of at most :data:`_CHUNK_BYTES` bytes."""
    import pyarrow as pa

    wide = pa.types.is_large_string(ids.type)
    buffers = ids.buffers()
    offsets = np.frombuffer(buffers[1], dtype=np.int64 if wide else np.int32)[ids.offset:ids.offset + len(ids) + 1]
    offsets = offsets.astype(np.int64)
    data = np.frombuffer(buffers[2], dtype=np.uint8) if buffers[2] is not None else np.zeros(0, np.uint8)
    lengths = np.diff(offsets)
    longest = int(lengths.max()) if len(lengths) else 0
    rng = np.random.default_rng(_SEED)
    table = rng.integers(0, np.iinfo(np.uint64).max, size=_POSITIONS * 256, dtype=np.uint64, endpoint=True)
    out = np.empty(len(ids), dtype=np.uint64)
    s = 0
    while s < len(ids):
        # at most _CHUNK ids and _CHUNK_BYTES bytes per step (one id at least, whatever its length)
        e = int(np.searchsorted(offsets, offsets[s] + _CHUNK_BYTES, side="right")) - 1
        e = min(max(e, s + 1), s + _CHUNK, len(ids))
        o = offsets[s:e + 1]
        starts, n = o[:-1] - o[0], lengths[s:e]
        chunk = data[o[0]:o[-1]]
        position = np.arange(len(chunk), dtype=np.int64) - np.repeat(starts, n)
        if longest <= _POSITIONS:
            words = table[position * 256 + chunk]
        else:  # rotate the words of wrapped positions: a byte's word depends on its position
            words = table[(position % _POSITIONS) * 256 + chunk]
            turns = (position // _POSITIONS % 64).astype(np.uint64)
            words = (words << turns) | (words >> ((np.uint64(64) - turns) % np.uint64(64)))
        key = _mixed(n.astype(np.uint64))
        some = n > 0
        if some.any():
            key[some] ^= np.bitwise_xor.reduceat(words, starts[some])
        out[s:e] = key
        s = e
    return out


def _mixed(x: np.ndarray) -> np.ndarray:
    """SplitMix64's finaliser of every value (a key of an id's length, with no table)."""
    with np.errstate(over="ignore"):
        z = x + np.uint64(0x9E3779B97F4A7C15)
        z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        out: np.ndarray = z ^ (z >> np.uint64(31))
    return out


def exact_match(eval_ids: Any, attr_ids: Any, display: str, locate: Locate | None) -> np.ndarray:
    """The match through one dictionary of every id, and the error naming the first id that
    differs when the files' ids are not the same set of distinct ids."""
    import pyarrow as pa
    import pyarrow.compute as pc

    both = pa.concat_arrays([eval_ids.cast(pa.string()), attr_ids.cast(pa.string())])
    if both.null_count:
        raise error_at(display, f"{both.null_count:,} rows have no id", "every row of both files needs an id",
                       locate, ("id",))
    encoded = pc.dictionary_encode(both)
    codes = encoded.indices.to_numpy(zero_copy_only=False).astype(np.int64)
    n_eval = len(eval_ids)
    e, a = codes[:n_eval], codes[n_eval:]
    size = len(encoded.dictionary)

    def named(code: int) -> str:
        text = str(encoded.dictionary[int(code)].as_py())
        return repr(text if len(text) <= 40 else text[:40] + "…")

    for name, c in (("evaluation data", e), ("attribution file", a)):
        counts = np.bincount(c, minlength=size)
        if (counts > 1).any():
            first = int(c[np.flatnonzero(counts[c] > 1)[0]])
            raise error_at(display, f"{int((counts > 1).sum()):,} ids appear more than once in the {name}, the first "
                           f"{named(first)} ({int(counts[first]):,} times)", "every id must name one row", locate, ("id",))
    position = np.full(size, -1, dtype=np.int64)
    position[e] = np.arange(n_eval)
    matched = position[a]
    extra = int((matched < 0).sum())
    if extra or len(a) != n_eval:
        unmatched = e[np.bincount(a, minlength=size)[e] == 0]
        differ = [f"{extra:,} attribution ids are not in the evaluation data, the first "
                  f"{named(a[np.flatnonzero(matched < 0)[0]])}"] if extra else []
        if len(unmatched):
            differ.append(f"{len(unmatched):,} evaluation ids have no attribution row, the first {named(unmatched[0])}")
        raise error_at(display, f"the attribution file has {len(a):,} rows and the evaluation data {n_eval:,}; "
                       + "; ".join(differ),
                       "give one attribution row for every evaluation row, with the same ids", locate, ("id",))
    return np.asarray(matched, dtype=np.int64)
