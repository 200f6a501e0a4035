"""The trust corpus: writes only where asked, results files as evidence, no internal errors on
real data (issue 16, items 1, 4 and 5), one case per folder under tests/fixtures/trust/.

Each case is a folder written by tests/fixtures/trust/make_cases.py: the files git can hold (cards,
data) and ``case.yaml``, which says what to build that git cannot hold (links, FIFOs, device
nodes, sparse files, edited results files), the commands to run, and which files they may write.
Every command goes through the real command line and must end with its pinned exit status and
output (``expected`` beside the case), no traceback, no ``internal error``, no temporary file, and
no file written, changed or removed but those the case lists, inside the case or outside it.
Cases with ``server: true`` get a local HTTP server (``{server}`` in their files) that must
receive no request.  Cases that make device nodes run only as root.

Refresh the pins with ``pytest tests/test_trust_corpus.py --update-golden`` and review the diff.
"""

from __future__ import annotations

import contextlib
import hashlib
import http.server
import json
import os
import re
import shutil
import stat
import subprocess
import sys
import threading
import typing
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import FIXTURES, run_cli

TRUST = FIXTURES / "trust"
CASES = sorted(p.name for p in TRUST.iterdir() if p.is_dir() and (p / "case.yaml").is_file())
ROOT_ONLY = ("device",)


class _Recorder(http.server.BaseHTTPRequestHandler):
    seen: typing.ClassVar[list[str]] = []

    def _record(self) -> None:
        _Recorder.seen.append(f"{self.command} {self.path}")
        self.send_response(404)
        self.end_headers()

    do_GET = do_HEAD = do_POST = _record

    def log_message(self, *args: object) -> None:
        pass


@contextlib.contextmanager
def listening() -> Iterator[str]:
    _Recorder.seen = []
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


def _entry(path: Path) -> tuple[str, str]:
    """What a snapshot records of one path: its kind and content (or link target)."""
    st = path.lstat()
    if stat.S_ISLNK(st.st_mode):
        return "link", os.readlink(path)
    if stat.S_ISREG(st.st_mode):
        if st.st_size > 64 << 20:  # a sparse file made by the case: its size and time say enough
            return "big", f"{st.st_size}:{st.st_mtime_ns}"
        return "file", hashlib.sha256(path.read_bytes()).hexdigest()
    if stat.S_ISDIR(st.st_mode):
        return "dir", ""
    return "special", f"{stat.S_IFMT(st.st_mode)}:{st.st_rdev}"


def snapshot(root: Path) -> dict[str, tuple[str, str]]:
    out = {}
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames + filenames:
            path = Path(dirpath) / name
            out[path.relative_to(root).as_posix()] = _entry(path)
    return out


def _json_path(data: Any, keys: list[Any]) -> tuple[Any, Any]:
    for key in keys[:-1]:
        data = data[key]
    return data, keys[-1]


def edit_json(path: Path, step: dict[str, Any]) -> None:
    """A results file edited as a person (or an attacker) would: set or delete values, then
    optionally reseal it (recompute its content digest, as a careful attacker would)."""
    from cardwright._compute.results_file import content_digest

    data = json.loads(path.read_text(encoding="utf-8"))
    for keys, value in step.get("set", []):
        parent, key = _json_path(data, keys)
        parent[key] = value
    for keys in step.get("delete", []):
        parent, key = _json_path(data, keys)
        del parent[key]
    if step.get("reseal"):
        data["content_sha256"] = content_digest(data)
    indent = step.get("indent", 2)
    path.write_text(json.dumps(data, indent=indent, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8")


@dataclass
class Step:
    """One setup step: its target path, its keys, the case folder and the server's address."""

    path: Path
    keys: dict[str, Any]
    folder: Path
    server: str | None


def _symlink(s: Step) -> None:
    s.path.parent.mkdir(parents=True, exist_ok=True)
    s.path.symlink_to(s.keys["to"])


def _sparse(s: Step) -> None:
    with s.path.open("wb") as fh:
        fh.truncate(int(s.keys["bytes"]))


def _write(s: Step) -> None:
    s.path.parent.mkdir(parents=True, exist_ok=True)
    s.path.write_text(str(s.keys["text"]), encoding="utf-8")


def _append(s: Step) -> None:
    with s.path.open("a", encoding="utf-8") as fh:
        fh.write(str(s.keys["text"]))


def _run(s: Step) -> None:
    args = [a.replace("{server}", s.server or "") for a in s.keys["run"]]
    result = run_cli(*args, cwd=s.folder / s.keys.get("cwd", "."))
    assert result.code == s.keys.get("exit", 0), (args, result.err)


def _sha256_into(s: Step) -> None:
    """A file's digest written into a JSON file (a forged manifest)."""
    source = s.folder / s.keys["of"]
    manifest = json.loads(s.path.read_text(encoding="utf-8"))
    manifest.setdefault(s.keys["key"], {})[s.keys["name"]] = hashlib.sha256(source.read_bytes()).hexdigest()
    s.path.write_text(json.dumps(manifest, indent=2), encoding="utf-8")


SETUP: dict[str, Callable[[Step], None]] = {
    "symlink": _symlink,
    "fifo": lambda s: os.mkfifo(s.path),
    "device": lambda s: os.mknod(s.path, stat.S_IFCHR | 0o666, os.makedev(1, 3)),  # a null device
    "sparse": _sparse,
    "nested": lambda s: s.path.write_text("[" * int(s.keys["depth"]) + "]" * int(s.keys["depth"]), encoding="utf-8"),
    "write": _write,
    "append": _append,
    "remove": lambda s: s.path.unlink(),
    "run": _run,
    "json": lambda s: edit_json(s.path, s.keys),
    "sha256_into": _sha256_into,
}


def build(folder: Path, setup: list[dict[str, Any]], server: str | None) -> None:
    """Make what git cannot hold (see make_cases.py for the vocabulary)."""
    for keys in setup:
        kind, target = next(iter(keys.items()))
        assert kind in SETUP, f"unknown setup step {kind!r}"
        SETUP[kind](Step(folder / str(target) if isinstance(target, str) else folder, keys, folder, server))


WATCHDOG_SECONDS = float(os.environ.get("CARDWRIGHT_FIFO_WATCHDOG", "60"))
_UNBLOCK = """
import os, sys, time
from pathlib import Path
time.sleep(float(sys.argv[2]))
while True:  # until killed: a command may open a FIFO again after the first one was freed
    for path in (p for p in Path(sys.argv[1]).rglob("*") if p.is_fifo()):
        try:
            reader = os.open(path, os.O_RDONLY | os.O_NONBLOCK)  # frees a writer waiting for a reader
            try:
                os.close(os.open(path, os.O_WRONLY | os.O_NONBLOCK))  # frees a reader: it reads nothing
            finally:
                os.close(reader)
        except OSError:
            pass
    time.sleep(0.2)
"""


@contextlib.contextmanager
def fifo_watchdog(root: Path, seconds: float = WATCHDOG_SECONDS) -> Iterator[None]:
    """If a command is still blocked on one of the FIFOs under ``root`` after ``seconds`` (a
    regression), a separate process opens their other ends, so the case fails instead of hanging
    the suite (a thread could not: a blocked open may hold the interpreter lock)."""
    if not any(p.is_fifo() for p in root.rglob("*")):
        yield
        return
    watchdog = subprocess.Popen([sys.executable, "-c", _UNBLOCK, str(root), str(seconds)])
    try:
        yield
    finally:
        watchdog.kill()
        watchdog.wait()


def _restore_dev_null() -> None:
    """If a broken writer ever turned /dev/null into a file, put the device back (as root)."""
    null = Path("/dev/null")
    if not stat.S_ISCHR(null.lstat().st_mode) and os.geteuid() == 0:
        null.unlink()
        os.mknod(null, stat.S_IFCHR | 0o666, os.makedev(1, 3))
        os.chmod(null, 0o666)


def shown_stdout(out: str) -> str:
    """What of standard output is pinned: findings in full; of a results file, its groups and their
    sizes (what the cases are about); of a render, only that there was one (its pages have their
    own golden tests)."""
    try:
        data = json.loads(out)
    except ValueError:
        data = None
    if isinstance(data, dict) and "provenance" in data:
        lines = [f"results ({data['kind']}): rows_used {data['provenance']['rows_used']}"]
        for s in data.get("slices", []):
            lines.append(f"  slice {json.dumps(s['slice'], ensure_ascii=False)}: n {s['n']}")
        for g in data.get("groups", []):
            lines.append(f"  group {json.dumps(g['slice'], ensure_ascii=False)}: count {g['count']}")
        return "\n".join(lines) + "\n"
    if out.startswith(("# ", "<!DOCTYPE", "{\n  \"$schema\"", "---\n")):
        return "(a rendered card, not pinned here)\n"
    return out + ("" if out.endswith("\n") else "\n")


def transcript(args: list[str], code: int, out: str, err: str, tmp: Path, server: str | None) -> str:
    text = f"$ cardwright {' '.join(args)}\n[exit {code}]\n"
    if out:
        text += "--- stdout\n" + shown_stdout(out)
    if err:
        text += "--- stderr\n" + err + ("" if err.endswith("\n") else "\n")
    for real in {str(tmp), str(tmp.resolve())}:
        text = text.replace(real, "<tmp>")
    if server:
        text = text.replace(server, "<server>").replace(server.split("//", 1)[1], "<server>")
    return text


def load_case(name: str) -> dict[str, Any]:
    spec = yaml.safe_load((TRUST / name / "case.yaml").read_text(encoding="utf-8"))
    assert spec["rule"] and spec["about"] and spec["run"], name
    return spec


def test_the_corpus_is_large_and_every_case_names_its_rule():
    rules = {load_case(c)["rule"].split(":")[0] for c in CASES}
    assert len(CASES) >= 90
    assert rules == {"writes", "results", "data"}
    safety = (FIXTURES.parent.parent / "docs" / "safety.md").read_text(encoding="utf-8")
    for rule in {load_case(c)["rule"] for c in CASES}:
        assert f"`{rule}`" in safety, f"docs/safety.md does not state rule {rule!r}"


@pytest.mark.parametrize("case", CASES)
def test_case(case: str, tmp_path: Path, pinned: Callable[[Path, str], None]) -> None:
    spec = load_case(case)
    setup = spec.get("setup", [])
    if any(next(iter(s)) in ROOT_ONLY for s in setup) and os.geteuid() != 0:
        pytest.skip("device nodes need root")
    folder = tmp_path / "case"
    shutil.copytree(TRUST / case, folder, ignore=shutil.ignore_patterns("case.yaml", "expected"))
    with contextlib.ExitStack() as stack:
        server = stack.enter_context(listening()) if spec.get("server") else None
        if server:
            for p in folder.rglob("*"):
                if p.is_file() and p.suffix in (".yaml", ".yml"):
                    p.write_text(p.read_text(encoding="utf-8").replace("{server}", server), encoding="utf-8")
        build(folder, setup, server)
        allowed = set(spec.get("writes", []))
        before = snapshot(tmp_path)
        devices = {a: Path(a).lstat().st_mode for run in spec["run"] for a in run if a.startswith("/dev/")}
        codes = spec["exit"] if isinstance(spec["exit"], list) else [spec["exit"]] * len(spec["run"])
        text = ""
        try:
            stack.enter_context(fifo_watchdog(tmp_path))
            for args, code in zip(spec["run"], codes, strict=True):
                args = [a.replace("{server}", server or "") for a in args]
                result = run_cli(*args, cwd=folder / spec.get("cwd", "."))
                text += transcript(args, result.code, result.out, result.err, tmp_path, server)
                assert result.code == code, (args, result.out, result.err)
                for stream in (result.out, result.err):
                    assert "Traceback" not in stream and "internal error" not in stream, stream
                    assert not re.search(r"[\x1b\x9b]", stream), "a terminal escape reached the output"
        finally:
            _restore_dev_null()
        for device, mode in devices.items():
            assert Path(device).lstat().st_mode == mode, f"{device} is no longer what it was"
        if server:
            assert _Recorder.seen == [], f"the network was used: {_Recorder.seen}"
    after = snapshot(tmp_path)
    prefix = "case/" + (spec.get("cwd", ".") + "/" if spec.get("cwd") else "")
    changed = {k for k in before.keys() | after.keys() if before.get(k) != after.get(k)}
    changed = {k for k in changed if not any(k == prefix + a or k.startswith(prefix + a + "/") for a in allowed)}
    assert not {k for k in changed if k.endswith(".tmp")}, "a temporary file was left behind"
    assert changed == set(), f"files written, changed or removed that the case does not allow: {sorted(changed)}"
    for name in spec.get("must_write", []):
        assert (folder / spec.get("cwd", ".") / name).exists(), f"{name} was not written"
    for name in spec.get("gone", []):
        assert not os.path.lexists(folder / spec.get("cwd", ".") / name), f"{name} was not removed"
    pinned(TRUST / case / "expected", text)
