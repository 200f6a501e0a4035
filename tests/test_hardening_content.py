"""Hostile content: an XSS corpus through every prose field, the model name, group labels that
come from the data and column names, rendered to HTML and opened in headless Chromium, where no
script may run (each payload would set the sentinel ``window.__cw_pwned``); template syntax renders
literally; PDF rendering and site building fetch nothing from the network (a local HTTP server
must receive no request) and read no file outside the card's folder, and each refusal is a
warning naming the reference."""

from __future__ import annotations

import http.server
import json
import os
import re
import shutil
import subprocess
import threading
import types
import typing
from pathlib import Path

import pytest
import yaml

from cardwright.schema._base import ProseKind, Section
from cardwright.schema.model_card import ModelCard
from conftest import ROOT, run_cli

BROWSER_DIR = ROOT / "tests" / "browser"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
FLIP = "window.__cw_pwned=1"

PAYLOADS = [
    f"<script>{FLIP}</script>",
    f"<ScRiPt >{FLIP}</sCrIpT>",
    f'<img src=x onerror="{FLIP}">',
    f"<IMG SRC=x OnErRoR={FLIP}>",
    f'<svg onload="{FLIP}"><script>{FLIP}</script></svg>',
    f'<svg><a xlink:href="javascript:{FLIP}"><text>x</text></a></svg>',
    f'<body onload="{FLIP}">',
    f'<details open ontoggle="{FLIP}">x</details>',
    '<iframe srcdoc="<script>parent.__cw_pwned=1</script>"></iframe>',
    f'<object data="data:text/html,<script>{FLIP}</script>"></object>',
    f'<a href="javascript:{FLIP}">click</a>',
    f'<a href="jav&#x61;script:{FLIP}">entity</a>',
    f'<a href="&#106;avascript:{FLIP}">decimal entity</a>',
    f"[markdown link](javascript:{FLIP})",
    f"[spaced](  JaVaScRiPt:{FLIP}  )",
    "[data link](data:text/html;base64,PHNjcmlwdD53aW5kb3cuX19jd19wd25lZD0xPC9zY3JpcHQ+)",
    f'![image](x" onerror="{FLIP})',
    "![svg](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9IndpbmRvdy5fX2N3X3B3bmVkPTEiLz4=)",
    f'<div style="background:url(javascript:{FLIP})">css url</div>',
    '<div style="width:expression(window.__cw_pwned=1)">css expression</div>',
    f"<style>@import 'javascript:{FLIP}';</style>",
    f'<meta http-equiv="refresh" content="0;url=javascript:{FLIP}">',
    f"<math><mtext><table><mglyph><style><img src=x onerror={FLIP}>",
    f"&lt;script&gt;{FLIP}&lt;/script&gt;",
    f"<<script>script>{FLIP}<</script>/script>",
    f'"><script>{FLIP}</script>',
    f"'><img src=x onerror={FLIP}>",
    f"`<img src=x onerror={FLIP}>`",
    f"| a | b |\n|---|---|\n| <img src=x onerror={FLIP}> | x |",
    f"x\n# <img src=x onerror={FLIP}>",
    "{{ 'TEMPL' ~ 'ATE-RAN' }} {% for i in range(3) %}LOOP{% endfor %} {# hidden #}",
]
TEMPLATE_TEXT = PAYLOADS[-1]


def prose_fields(cls: type, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    """Every Markdown prose field of a card model and its nested sections (lists excluded)."""
    out = []
    for name, field in cls.model_fields.items():
        ann = field.annotation
        if any(isinstance(m, ProseKind) for m in field.metadata):
            out.append((*prefix, name))
            continue
        union = typing.get_origin(ann) in (typing.Union, types.UnionType)
        options = [a for a in typing.get_args(ann) if a is not type(None)] if union else [ann]
        if len(options) == 1 and isinstance(options[0], type) and issubclass(options[0], Section):
            out += prose_fields(options[0], (*prefix, name))
    return out


def hostile_card(folder: Path, extra: str = "") -> Path:
    """A model card with a payload in every prose field and the name, computed from a CSV whose
    group labels and one column name are payloads too."""
    card: dict = {"kind": "model-card", "schema_version": 1}
    for i, path in enumerate(prose_fields(ModelCard)):
        node = card
        for part in path[:-1]:
            node = node.setdefault(part, {})
        node[path[-1]] = PAYLOADS[i % len(PAYLOADS)] + extra
    for section in ("intended_use", "factors", "metrics", "evaluation_data", "training_data",
                    "ethical_considerations", "caveats_and_recommendations"):
        card.setdefault(section, {})
    card.pop("quantitative_analyses", None)
    column = f'<img src=x onerror="{FLIP}">'
    card["model_details"].update(name=f"<script>{FLIP}</script> {{{{ 'TEMPL' ~ 'ATE-RAN' }}}}", version="1.0")
    card["factors"]["evaluation_factors"] = [{"name": "group"}, {"name": column}]
    card["quantitative_analyses"] = {
        "data": {"path": "eval.csv", "label": "y", "score": "s", "threshold": 0.5},
        "factors": ["group", column], "metrics": ["accuracy", "recall", "roc_auc"],
        "confidence": {"resamples": 10}, "min_group_size": 1,
    }
    labels = [PAYLOADS[0], PAYLOADS[2], PAYLOADS[8], TEMPLATE_TEXT, "SAFE"]
    lines = ["group,y,s," + f'"{column.replace(chr(34), chr(34) * 2)}"']
    for i in range(100):
        label = labels[i % len(labels)].replace('"', '""').replace("\n", " ")
        lines.append(f'"{label}",{i % 2},{(i % 10) / 10},"{labels[(i // 3) % len(labels)][:10].replace(chr(34), "")}"')
    (folder / "eval.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    path = folder / "hostile.model-card.yaml"
    path.write_text(yaml.safe_dump(card, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("hostile")
    card = hostile_card(folder)
    out = {}
    for fmt in ("html", "md", "json"):
        result = run_cli("render", card.name, "--to", fmt, cwd=folder)
        assert result.code == 0, result.err
        out[fmt] = folder / f"hostile.model-card.{fmt}"
    control = folder / "control.html"
    control.write_text(f'<!DOCTYPE html><html lang="en"><head><title>c</title></head><body>'
                       f'<img src=x onerror="{FLIP}"></body></html>', encoding="utf-8")
    out["control"] = control
    return out


def test_every_prose_field_is_covered():
    fields = prose_fields(ModelCard)
    assert len(fields) >= 30
    assert ("model_details", "overview") in fields and ("ethical_considerations", "risks_and_harms") in fields


def test_payloads_from_the_data_reach_the_page_as_text(rendered):
    html = rendered["html"].read_text(encoding="utf-8")
    assert "&lt;script&gt;window.__cw_pwned=1&lt;/script&gt;" in html  # a group label, escaped
    assert "&lt;img src=x onerror=" in html  # the column name, escaped
    lowered = html.lower()
    assert "<script" not in lowered and "<iframe" not in lowered and "<object" not in lowered
    tags = re.findall(r"<[a-z][^>]*>", lowered)  # real tags; escaped payloads are text
    assert [t for t in tags if re.search(r"\son\w+\s*=", t)] == []  # no event handler
    assert [t for t in tags if re.search(r"(?:href|src)\s*=\s*[\"']?\s*(?:javascript|vbscript|data:text)", t)] == []


@pytest.mark.slow
def test_no_script_runs_in_chromium(rendered):
    if not (shutil.which("node") and Path(CHROMIUM).exists() and (BROWSER_DIR / "node_modules").is_dir()):
        if os.environ.get("CI"):
            pytest.fail("node, chromium or tests/browser/node_modules is missing")
        pytest.skip("node, chromium or tests/browser/node_modules is missing")
    pages = [str(rendered["html"]), str(rendered["control"])]
    proc = subprocess.run(["node", str(BROWSER_DIR / "check.mjs"), *pages], capture_output=True, text=True,
                          timeout=300, cwd=BROWSER_DIR, env={**os.environ, "CHROMIUM": CHROMIUM})
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout)
    control = report[pages[1]]
    assert control["dom"]["sentinel"] == "1"  # the check sees a payload that runs
    page = report[pages[0]]
    assert page["dom"]["sentinel"] is None
    assert page["dialogs"] == [] and page["errors"] == [] and page["requests"] == []
    assert page["dom"]["scripts"] == 0 and page["dom"]["handlers"] == []
    assert page["dom"]["jsLinks"] == [] and page["dom"]["iframes"] == 0


def test_template_syntax_renders_literally(rendered):
    for fmt in ("html", "md", "json"):
        text = rendered[fmt].read_text(encoding="utf-8")
        assert "LOOPLOOPLOOP" not in text and "TEMPLATE-RAN" not in text
        assert "ATE-RAN" in text and "{% for i in range(3) %}" in text and "{# hidden #}" in text


class Recorder(http.server.BaseHTTPRequestHandler):
    seen: typing.ClassVar[list[str]] = []

    def do_GET(self) -> None:
        Recorder.seen.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def server():
    Recorder.seen = []
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def fetching_card(folder: Path, url: str) -> tuple[Path, Path]:
    """A card whose prose points at the server, at /etc/passwd, at a file above its folder and at
    a symlink leaving it; and override templates whose CSS does the same."""
    folder.mkdir(parents=True)
    (folder.parent / "secret.png").write_bytes(b"\x89PNG\r\n\x1a\nSECRET-OUTSIDE")
    (folder / "link.png").symlink_to(folder.parent / "secret.png")
    refs = (f"![remote]({url}/prose.png) ![passwd](file:///etc/passwd) ![up](../secret.png) "
            f"![link](link.png) [remote link]({url}/page)")
    card = {"kind": "model-card", "schema_version": 1,
            "model_details": {"name": "Fetcher", "version": "1", "overview": refs},
            "intended_use": {"primary_uses": f'<img src="{url}/raw.png">'}, "factors": {}, "metrics": {},
            "evaluation_data": {}, "training_data": {}, "ethical_considerations": {},
            "caveats_and_recommendations": {}}
    path = folder / "fetch.model-card.yaml"
    path.write_text(yaml.safe_dump(card, sort_keys=False), encoding="utf-8")
    templates = folder.parent / "templates"
    templates.mkdir()
    css = (f'@import url("{url}/import.css");\nbody {{ background: url("{url}/bg.png"); }}\n'
           '@font-face { font-family: x; src: url("file:///etc/passwd"); }\n'
           'h1 { background: url("../secret.png"); }\n')
    (templates / "card.css").write_text(css, encoding="utf-8")
    return path, templates


@pytest.mark.slow
def test_pdf_render_fetches_nothing_and_names_each_refusal(tmp_path, server):
    card, templates = fetching_card(tmp_path / "card", server)
    result = run_cli("render", card.name, "--to", "pdf", "--template-dir", str(templates), "-o", "out.pdf",
                     cwd=card.parent)
    assert result.code == 0, result.err
    assert Recorder.seen == []
    pdf = (card.parent / "out.pdf").read_bytes()
    assert pdf.startswith(b"%PDF") and b"SECRET-OUTSIDE" not in pdf and b"root:x:0" not in pdf
    warned = [line for line in result.err.splitlines() if "warning[blocked-resource]" in line]
    # (raw `<img src=…>` HTML is escaped as text and `file:` links are not links: nothing to fetch)
    for ref in (f"{server}/prose.png", "../secret.png", "link.png"):
        assert any(ref in line for line in warned), (ref, result.err)
    for ref in (f"{server}/import.css", f"{server}/bg.png"):
        assert any(ref in line for line in warned), (ref, result.err)


def test_markdown_render_names_each_image_it_leaves_out(tmp_path, server):
    """Markdown keeps a refused image as text (its alt text, or the escaped reference), and says
    so as the HTML render does."""
    card, _ = fetching_card(tmp_path / "card", server)
    result = run_cli("render", card.name, "--to", "md", "-o", "out.md", cwd=card.parent)
    assert result.code == 0, result.err
    assert Recorder.seen == []
    text = (card.parent / "out.md").read_text(encoding="utf-8")
    assert "SECRET-OUTSIDE" not in text and "passwd" in text
    warned = [line for line in result.err.splitlines() if "warning[blocked-resource]" in line]
    for ref in (f"{server}/prose.png", "file:///etc/passwd", "../secret.png", "link.png"):
        assert any(ref in line for line in warned), (ref, result.err)


def test_site_build_fetches_nothing_and_names_each_refusal(tmp_path, server):
    card, _ = fetching_card(tmp_path / "cards", server)
    result = run_cli("build", str(card.parent), "-o", str(tmp_path / "site"))
    assert result.code == 0, result.err
    assert Recorder.seen == []
    page = (tmp_path / "site" / next(p.name for p in (tmp_path / "site").glob("*.html") if p.name != "index.html"))
    html = page.read_text(encoding="utf-8")
    assert "SECRET-OUTSIDE" not in html
    assert re.findall(r"<(?:img|link|script|iframe)\b[^>]*>", html) == []
    for ref in (f"{server}/prose.png", "../secret.png", "link.png"):
        assert any(ref in line and "blocked-resource" in line for line in result.err.splitlines()), (ref, result.err)


def test_datasheet_reference_outside_the_project_is_refused(tmp_path):
    project = tmp_path / "project"
    (project / ".git").mkdir(parents=True)
    shutil.copy(ROOT / "tests" / "fixtures" / "valid" / "minimal.datasheet.yaml", tmp_path / "outside.datasheet.yaml")
    card = {"kind": "model-card", "schema_version": 1, "model_details": {"name": "M", "version": "1"},
            "intended_use": {}, "factors": {}, "metrics": {},
            "evaluation_data": {"datasets": [{"name": "x", "datasheet": "../outside.datasheet.yaml"}]},
            "training_data": {}, "ethical_considerations": {}, "caveats_and_recommendations": {}}
    (project / "m.model-card.yaml").write_text(yaml.safe_dump(card), encoding="utf-8")
    for args in (["validate", "m.model-card.yaml"], ["render", "m.model-card.yaml", "--to", "html"]):
        result = run_cli(*args, cwd=project)
        assert result.code == 1
        assert "../outside.datasheet.yaml" in result.out + result.err
        assert "error[path-outside-card]" in result.out + result.err
    assert not (project / "m.model-card.html").exists()


def test_bidirectional_controls_are_shown_not_obeyed(tmp_path):
    """A group label, a column name and prose with bidirectional controls (Trojan Source): the
    Markdown, HTML (and so PDF) pages show each control as its code point instead of letting it
    reorder the text; the JSON render keeps the text exactly."""
    rlo, pdi = "\u202e", "\u2069"
    card = yaml.safe_load(hostile_card(tmp_path).read_text(encoding="utf-8"))
    card["model_details"]["overview"] = f"Safe for {rlo}nerdlihc{pdi} and adults."
    card["quantitative_analyses"]["factors"] = ["group"]
    card["factors"]["evaluation_factors"] = [{"name": "group"}]
    (tmp_path / "eval.csv").write_text("group,y,s\n" + "".join(
        f"{('ma' + rlo + 'le') if i % 2 else 'female'},{i % 3 % 2},{(i % 10) / 10}\n" for i in range(80)),
        encoding="utf-8")
    (tmp_path / "hostile.model-card.yaml").write_text(yaml.safe_dump(card, allow_unicode=True, sort_keys=False),
                                                      encoding="utf-8")
    texts = {}
    for fmt in ("md", "html", "json"):
        got = run_cli("render", "hostile.model-card.yaml", "--to", fmt, cwd=tmp_path)
        assert got.code == 0, got.err
        texts[fmt] = (tmp_path / f"hostile.model-card.{fmt}").read_text(encoding="utf-8")
    for fmt in ("md", "html"):
        assert not re.search("[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]", texts[fmt]), fmt
        assert "ma⟨U+202E⟩le" in texts[fmt] and "⟨U+202E⟩nerdlihc⟨U+2069⟩" in texts[fmt], fmt
    assert "ma\\u202ele" in texts["json"].lower() or f"ma{rlo}le" in texts["json"]
