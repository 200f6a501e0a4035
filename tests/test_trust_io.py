"""Writes and evidence beyond the corpus (tests/test_trust_corpus.py): the atomic writer as a
library call, a data file replaced or rewritten while it is being counted, the digest taken from
the bytes read, DuckDB's extension settings, and no network or extension download for real (a
fresh process with its own home folder and a local server)."""

from __future__ import annotations

import hashlib
import json
import os
import socket
import stat
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from conftest import run_cli

sys.path.insert(0, str(Path(__file__).resolve().parent / "fixtures" / "trust"))
import make_cases

ROOT_ONLY = pytest.mark.skipif(os.geteuid() != 0, reason="device nodes need root")


# -- the atomic writer --------------------------------------------------------------------------
def _targets(tmp: Path) -> dict[str, Path]:
    (tmp / "victim.txt").write_text("keep me\n")
    out = {"symlink": tmp / "link", "fifo": tmp / "fifo", "folder": tmp / "folder", "socket": tmp / "sock"}
    out["symlink"].symlink_to(tmp / "victim.txt")
    os.mkfifo(out["fifo"])
    out["folder"].mkdir()
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(str(out["socket"]))
    sock.close()
    if os.geteuid() == 0:
        out["device"] = tmp / "null"
        os.mknod(out["device"], stat.S_IFCHR | 0o666, os.makedev(1, 3))
    return out


def test_atomic_write_replaces_only_regular_files(tmp_path):
    from cardwright._io import atomic_write
    from cardwright.errors import CardwrightError

    for kind, target in _targets(tmp_path).items():
        before = os.lstat(target)
        with pytest.raises(CardwrightError) as err:
            atomic_write(target, "new\n")
        assert err.value.findings[0].code == "output" and "not a regular file" in err.value.findings[0].message, kind
        after = os.lstat(target)
        assert (stat.S_IFMT(after.st_mode), after.st_ino) == (stat.S_IFMT(before.st_mode), before.st_ino), kind
    assert (tmp_path / "victim.txt").read_text() == "keep me\n"
    assert not [p for p in tmp_path.rglob("*.tmp")]
    atomic_write(tmp_path / "plain.txt", "one\n")
    atomic_write(tmp_path / "plain.txt", "two\n")  # a regular file is replaced
    assert (tmp_path / "plain.txt").read_text() == "two\n"


@ROOT_ONLY
def test_dev_null_stays_a_device_for_every_writer(tmp_path):
    """As root, `-o /dev/null` once turned /dev/null into a regular file; every writer refuses it."""
    from cardwright._io import atomic_write
    from cardwright.errors import CardwrightError

    null = Path("/dev/null")
    before = null.lstat()
    try:
        with pytest.raises(CardwrightError):
            atomic_write(null, "x")
        folder = tmp_path / "c"
        folder.mkdir()
        (folder / "c.model-card.yaml").write_text(make_cases.model_card(), encoding="utf-8")
        (folder / "eval.csv").write_text(make_cases.GOOD, encoding="utf-8")
        for args in (["compute", "c.model-card.yaml"], ["render", "c.model-card.yaml", "--to", "pdf"],
                     ["export", "c.model-card.yaml", "--to", "cyclonedx"], ["init", "datasheet", "--force"]):
            result = run_cli(*args, "-o", "/dev/null", cwd=folder)
            assert result.code == 1 and "character device, not a regular file" in result.err, (args, result.err)
    finally:
        if not stat.S_ISCHR(null.lstat().st_mode):  # put the device back before failing
            null.unlink()
            os.mknod(null, stat.S_IFCHR | 0o666, os.makedev(1, 3))
            os.chmod(null, 0o666)
    after = null.lstat()
    assert stat.S_ISCHR(after.st_mode) and (after.st_ino, after.st_rdev) == (before.st_ino, before.st_rdev)
    assert null.read_bytes() == b""


def test_dash_is_standard_output_for_the_library_writer(tmp_path, capsys):
    from cardwright._io import atomic_write

    atomic_write("-", "to stdout\n")
    assert capsys.readouterr().out == "to stdout\n"
    assert list(tmp_path.iterdir()) == []


# -- a data file replaced while it is counted -----------------------------------------------------
def _project(tmp: Path, fmt: str, engine: str) -> Path:
    data = "eval.parquet" if fmt == "parquet" else "eval.csv"
    (tmp / "c.model-card.yaml").write_text(make_cases.model_card(path=data, extra=f"  engine: {engine}\n"),
                                           encoding="utf-8")
    if fmt == "parquet":
        (tmp / data).write_bytes(make_cases.parquet(make_cases.frame(make_cases.rows())))
    else:
        (tmp / data).write_text(make_cases.GOOD, encoding="utf-8")
    return tmp / data


def _other_bytes(fmt: str) -> bytes:
    flipped = [(s, 1 - y, p) for s, y, p in make_cases.rows(seed=1)]
    return make_cases.parquet(make_cases.frame(flipped)) if fmt == "parquet" else make_cases.csv_text(flipped).encode()


def _replace(path: Path, fmt: str, how: str) -> None:
    if how == "renamed":  # a new file moved into place, as editors and `cp` to a temp + `mv` do
        fresh = path.with_name("fresh." + path.name)
        fresh.write_bytes(_other_bytes(fmt))
        os.replace(fresh, path)
    else:  # the same file (the same inode) truncated and written again
        with path.open("r+b") as fh:
            fh.truncate(0)
            fh.write(_other_bytes(fmt))


@pytest.mark.parametrize("how", ["renamed", "rewritten"])
@pytest.mark.parametrize(("fmt", "engine"), [("csv", "arrow"), ("parquet", "arrow"), ("csv", "duckdb"),
                                             ("parquet", "duckdb")])
def test_a_file_replaced_during_compute_gives_no_results(tmp_path, monkeypatch, fmt, engine, how):
    """The file is swapped at a fixed point of the count (the first decoded batch, or just before
    DuckDB's aggregate query): compute must refuse rather than pair one file's digest with the
    other's counts, and write nothing."""
    from cardwright._compute.decode import BatchDecoder

    path = _project(tmp_path, fmt, engine)
    original = BatchDecoder.decode
    done: list[bool] = []

    def swap_then_decode(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        if not done:
            done.append(True)
            _replace(path, fmt, how)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(BatchDecoder, "decode", swap_then_decode)
    result = run_cli("compute", "c.model-card.yaml", cwd=tmp_path)
    assert done, "the hook never ran"
    assert result.code == 1, result.err
    assert f"{path.name}: error[data-error]: the file changed while cardwright was reading it" in result.err
    assert "hint: run compute again" in result.err
    assert not (tmp_path / "c.model-card.results.json").exists()
    monkeypatch.undo()
    again = run_cli("compute", "c.model-card.yaml", cwd=tmp_path)  # once nothing writes it, it computes
    assert again.code == 0, again.err
    saved = json.loads((tmp_path / "c.model-card.results.json").read_text(encoding="utf-8"))
    assert saved["provenance"]["data_sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()


def test_the_digest_is_of_the_bytes_read_even_after_a_swap(tmp_path):
    """Pinned files are read through the descriptor opened first: a file moved over the name
    does not change what is hashed, and verify() reports the swap."""
    from cardwright._compute.snapshot import pin
    from cardwright.errors import DataError

    path = tmp_path / "eval.csv"
    path.write_text(make_cases.GOOD, encoding="utf-8")
    old = hashlib.sha256(path.read_bytes()).hexdigest()
    snap = pin([path], "eval.csv", hold=True)
    _replace(path, "csv", "renamed")
    reader = snap.files[0].reader()
    assert reader.read() == make_cases.GOOD.encode()
    assert snap.files[0].sha256() == old != hashlib.sha256(path.read_bytes()).hexdigest()
    with pytest.raises(DataError, match="changed while cardwright was reading it"):
        snap.digest(path)


def test_a_csv_file_is_hashed_in_the_pass_that_counts_it(tmp_path, monkeypatch):
    """The count reads the CSV file in order through the pinned descriptor; its digest comes from
    those reads, not from another read of the file."""
    from cardwright._compute import snapshot
    from cardwright._compute.engines import resolve
    from cardwright._compute.reading import open_source

    path = tmp_path / "eval.csv"
    path.write_text(make_cases.GOOD * 200, encoding="utf-8")
    inp = resolve(None, "eval.csv", None, tmp_path)
    src = open_source(path=inp.path, display="eval.csv", pinned=inp.pinned)
    rows = sum(b.num_rows for b in src.batches(["sex", "y_true"], ("sex", "y_true")))
    assert rows > 0
    extra_reads: list[int] = []
    real = snapshot._pread
    monkeypatch.setattr(snapshot, "_pread", lambda *a: extra_reads.append(1) or real(*a))
    assert inp.digest() == hashlib.sha256(path.read_bytes()).hexdigest()
    assert extra_reads == []


def test_a_parquet_file_is_hashed_from_the_pinned_descriptor(tmp_path):
    from cardwright._compute.engines import resolve

    path = tmp_path / "eval.parquet"
    path.write_bytes(make_cases.parquet(make_cases.frame(make_cases.rows())))
    inp = resolve(None, "eval.parquet", None, tmp_path)
    assert inp.digest() == hashlib.sha256(path.read_bytes()).hexdigest()


# -- DuckDB: no extension is installed or loaded behind cardwright's back -------------------------
def test_duckdb_connections_never_autoload_or_autoinstall_extensions(tmp_path):
    pytest.importorskip("duckdb")
    from cardwright._compute.engines.duckdb import DuckDBBackend

    path = tmp_path / "eval.csv"
    path.write_text(make_cases.GOOD, encoding="utf-8")
    backend = DuckDBBackend(path=str(path), fmt="csv", display="eval.csv")
    settings = backend.con.execute(
        "SELECT current_setting('autoinstall_known_extensions'), current_setting('autoload_known_extensions')"
    ).fetchone()
    assert settings == (False, False)
    loaded = backend.con.execute("SELECT extension_name FROM duckdb_extensions() WHERE loaded").fetchall()
    assert ("httpfs",) not in loaded


def test_duckdb_spills_to_a_folder_of_its_own_never_the_working_directory(tmp_path, monkeypatch):
    """Data beyond DuckDB's memory goes to a private folder in the system's temporary directory
    (DuckDB's default is ``.tmp`` in the working directory), removed when the connection closes:
    every connection cardwright opens (the count pass's and the joined inputs')."""
    pytest.importorskip("duckdb")
    from cardwright._compute.engines.duckdb import DuckDBBackend
    from cardwright._compute.engines.relations import Relations

    work = tmp_path / "project"
    work.mkdir()
    monkeypatch.chdir(work)
    (work / "eval.csv").write_text(make_cases.GOOD, encoding="utf-8")
    for con in (DuckDBBackend(path="eval.csv", fmt="csv", display="eval.csv").con, Relations("duckdb").con):
        con.execute("SET memory_limit = '64MB'")
        con.execute("SET threads = 1")
        spill = Path(con.execute("SELECT current_setting('temp_directory')").fetchone()[0])
        assert spill.parent == Path(tempfile.gettempdir()) and not spill.exists()
        con.execute("CREATE TEMP TABLE big AS SELECT i, repeat('x', 40) || i AS s FROM range(6000000) r(i)")
        assert con.execute("SELECT count(DISTINCT s) FROM big").fetchone() == (6000000,)
        assert spill.is_dir() and any(spill.iterdir())  # it did spill, there
        assert list(work.iterdir()) == [work / "eval.csv"]
        con.close()
        assert not spill.exists()


def test_no_network_and_no_extension_download_in_a_fresh_process(tmp_path):
    """Every command on a card whose data is a URL, in a fresh process whose home folder is empty:
    the local server receives nothing and DuckDB's extension folder stays empty."""
    pytest.importorskip("duckdb")

    from test_trust_corpus import _Recorder, listening

    home = tmp_path / "home"
    home.mkdir()
    with listening() as server:
        (tmp_path / "c.model-card.yaml").write_text(make_cases.model_card(path=f"{server}/eval.parquet"),
                                                    encoding="utf-8")
        env = {**os.environ, "HOME": str(home), "XDG_CONFIG_HOME": str(home)}
        for args in (["validate", "--strict"], ["compute"], ["compute", "--engine", "duckdb"],
                     ["render", "--to", "md", "-o", "-"]):
            proc = subprocess.run([sys.executable, "-m", "cardwright", args[0], "c.model-card.yaml", *args[1:]],
                                  cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
            assert proc.returncode == 1 and "Traceback" not in proc.stderr, (args, proc.stderr)
        assert _Recorder.seen == [], _Recorder.seen
    assert [p for p in home.rglob("*") if p.is_file()] == []


# -- the library calls behind the commands --------------------------------------------------------
@pytest.mark.parametrize("results", ["eval.csv", "../outside.json", "/tmp/cardwright-trust-library.json",
                                     "c.model-card.yaml"])
def test_results_for_refuses_a_results_path_that_names_an_input_or_leaves_the_project(tmp_path, results):
    """A card changed in memory after loading: `results_for(write=True)` checks the path before
    computing, as `compute` does, and writes nothing."""
    import cardwright
    from cardwright.errors import CardwrightError

    project = tmp_path / "project"
    project.mkdir()
    (project / "c.model-card.yaml").write_text(make_cases.model_card(), encoding="utf-8")
    (project / "eval.csv").write_text(make_cases.GOOD, encoding="utf-8")
    card = cardwright.load(project / "c.model-card.yaml")
    assert card.quantitative_analyses is not None and not isinstance(card.quantitative_analyses, list)
    card.quantitative_analyses.results = results
    before = {p.name: p.read_bytes() for p in project.iterdir()}
    warned: list[object] = []
    with pytest.raises(CardwrightError) as err:
        cardwright.results_for(card, write=True, on_warning=warned.append)
    assert err.value.findings[0].code in ("output", "path-outside-card")
    assert {p.name: p.read_bytes() for p in project.iterdir()} == before
    assert not (tmp_path / "outside.json").exists() and not Path("/tmp/cardwright-trust-library.json").exists()


def test_compute_reports_merged_groups_to_on_warning(tmp_path):
    import cardwright

    (tmp_path / "c.model-card.yaml").write_text(make_cases.model_card(), encoding="utf-8")
    text = make_cases.csv_text([("caf\u00e9" if i % 2 else "cafe\u0301", *r[1:]) for i, r in enumerate(make_cases.rows())])
    (tmp_path / "eval.csv").write_text(text, encoding="utf-8")
    seen = []
    results = cardwright.compute(cardwright.load(tmp_path / "c.model-card.yaml"), on_warning=seen.append)
    merged = [f for f in seen if f.code != "mostly-hidden"]  # the toy card hides most values too
    assert [f.code for f in merged] == ["merged-groups"] and merged[0].severity == "warning"
    assert {s.slice.get("sex") for s in results.slices} == {None, "caf\u00e9"}


@pytest.mark.parametrize(("raw", "shown"), [
    ("a\x1b[31mred\x1b[0m", "ared"),                       # colours (CSI)
    ("x\x1b]0;title\x07y", "xy"),                           # window title (OSC, BEL)
    ("x\x1b]8;;http://e\x1b\\link\x1b]8;;\x1b\\y", "xlinky"),  # hyperlink (OSC, ST)
    ("\x1bP1;2|data\x1b\\end", "end"),                      # device control string
    ("a\rb\x08c\x7f", "abc"),                               # carriage return, backspace, DEL
    ("c1\x9b2Jz\x9d0;t\x9cw", "c1zw"),                      # C1 CSI and OSC
    ("report\u202etxt.exe", "reporttxt.exe"),               # bidirectional override
    ("tab\tand\nnewline stay, caf\u00e9 too", "tab\tand\nnewline stay, caf\u00e9 too"),
])
def test_terminal_safe_strips_control_sequences(raw, shown):
    from cardwright.errors import Finding, terminal_safe

    assert terminal_safe(raw) == shown
    finding = Finding(raw, "data-error", raw, hint=raw)
    assert (finding.path, finding.message, finding.hint) == (shown, shown, shown)


@pytest.mark.parametrize("uri", ["file://{outside}", "FILE://{outside}", "local://{outside}"])
@pytest.mark.parametrize("command", ["validate", "compute"])
def test_a_file_uri_in_a_card_never_reads_around_the_project_check(tmp_path, uri, command):
    """`path: file:///…` is a local file named as a URI: neither validate nor compute (with the
    engine that reads URIs chosen in the card) treats it as data on the network; the file outside
    the project is never read and nothing is written."""
    outside = tmp_path / "outside.csv"
    outside.write_text(make_cases.GOOD, encoding="utf-8")
    project = tmp_path / "project"
    project.mkdir()
    path = uri.format(outside=outside.as_posix())
    card = make_cases.model_card(path=path, extra="  engine: duckdb\n")
    (project / "c.model-card.yaml").write_text(card, encoding="utf-8")
    before = sorted(p.name for p in project.iterdir())
    got = run_cli(command, "c.model-card.yaml", cwd=project)
    said = got.out + got.err
    assert got.code == 1, said
    assert "error[path-outside-card]" in said and "c.model-card.yaml:" in said, said
    assert sorted(p.name for p in project.iterdir()) == before


def test_a_file_uri_is_refused_by_the_engine_too(tmp_path):
    """Below validation: a card's own `file://` path never becomes a URI input."""
    from cardwright._compute.engines import resolve
    from cardwright.errors import DataError

    with pytest.raises(DataError):
        resolve(None, f"file://{tmp_path.as_posix()}/x.csv", None, tmp_path)
