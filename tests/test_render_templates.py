"""Templates: a search path with --template-dir first, strict names, overridable blocks."""

from __future__ import annotations

import re

import pytest

from cardwright._render.api import render
from cardwright._render.view import SECTION_BLOCKS
from cardwright.errors import TemplateError
from render_helpers import TEMPLATES, example, loan, loan_results

PACKAGED = __import__("cardwright._render.env", fromlist=["PACKAGED"]).PACKAGED


@pytest.mark.parametrize("base", ["base.html.j2", "base.md.j2"])
def test_base_templates_have_a_block_per_section(base):
    text = (PACKAGED / base).read_text(encoding="utf-8")
    blocks = re.findall(r"{%-?\s*block\s+(\w+)", text)
    assert [b for b in blocks if b in SECTION_BLOCKS] == list(SECTION_BLOCKS)
    for name in ("header", "toc", "summary", "datasheets", "sections", "used_by", "footer"):
        assert name in blocks


def test_one_block_overridden_from_a_template_dir_keeps_the_rest(tmp_path):
    (tmp_path / "card.html.j2").write_text(
        '{% extends "base.html.j2" %}{% block intended_use %}<section id="mine"><h2>Use, briefly</h2></section>'
        "{% endblock %}",
        encoding="utf-8",
    )
    html = render(loan(), loan_results(), to="html", template_dir=tmp_path)
    assert "<h2>Use, briefly</h2>" in html
    assert "Ranking applications for manual review." not in html  # the replaced block
    assert '<h2 id="model-details-h">1. Model details</h2>' in html  # the rest as packaged
    assert '0.912 <span class="sub">0.899 to 0.924</span>' in html


def test_a_misspelled_name_in_a_template_is_an_error_with_file_and_line(tmp_path):
    (tmp_path / "card.md.j2").write_text(
        '{% extends "base.md.j2" %}\n{% block header %}\n# {{ view.titel }}\n{% endblock %}\n', encoding="utf-8"
    )
    with pytest.raises(TemplateError) as e:
        render(loan(), to="md", template_dir=tmp_path)
    f = e.value.findings[0]
    assert (f.code, f.path, f.line) == ("template", str(tmp_path / "card.md.j2"), 3)
    assert "titel" in f.message
    assert e.value.exit_code == 2


def test_a_template_syntax_error_names_the_file(tmp_path):
    (tmp_path / "card.html.j2").write_text('{% extends "base.html.j2" %}\n{% block header %}\n', encoding="utf-8")
    with pytest.raises(TemplateError) as e:
        render(loan(), to="html", template_dir=tmp_path)
    assert e.value.findings[0].path.endswith("card.html.j2")


@pytest.mark.parametrize(("fmt", "expression"), [
    ("md", 'cycler.__init__.__globals__.os.popen("touch {marker}").read()'),
    ("html", '"".__class__.__mro__[1].__subclasses__()'),
    ("md", 'lipsum.__globals__["os"].system("touch {marker}")'),
])
def test_an_override_template_cannot_reach_python(tmp_path, fmt, expression):
    """An override template comes with the card's repository: reaching Python's internals from
    it (and from there the shell) is refused with a template error at its line, and runs nothing."""
    marker = tmp_path / "ran"
    folder = tmp_path / "templates"
    folder.mkdir()
    (folder / f"card.{fmt}.j2").write_text(
        f'{{% extends "base.{fmt}.j2" %}}\n{{% block footer %}}\n{{{{ {expression.format(marker=marker)} }}}}\n'
        "{% endblock %}\n", encoding="utf-8")
    with pytest.raises(TemplateError) as e:
        render(loan(), to=fmt, template_dir=folder)
    f = e.value.findings[0]
    assert (f.code, f.path, f.line) == ("template", str(folder / f"card.{fmt}.j2"), 3)
    assert "is unsafe" in f.message and e.value.exit_code == 2
    assert not marker.exists()


@pytest.mark.parametrize(("expression", "said"), [
    ("1 / 0", "the template stopped: ZeroDivisionError: division by zero"),
    ("'a' + 1", "the template stopped: TypeError: "),
    ("range(10 ** 7) | list | length", "the template stopped: OverflowError: "),
    ("[1][5]", "list object has no element 5"),
])
def test_an_override_template_that_fails_while_rendering_is_a_template_error_at_its_line(tmp_path, expression, said):
    """A runtime mistake in an override template is the template's, said at its line (it was an
    internal error with a traceback)."""
    folder = tmp_path / "templates"
    folder.mkdir()
    (folder / "card.html.j2").write_text(
        f'{{% extends "base.html.j2" %}}\n{{% block footer %}}\n{{{{ {expression} }}}}\n{{% endblock %}}\n',
        encoding="utf-8")
    with pytest.raises(TemplateError) as e:
        render(loan(), to="html", template_dir=folder)
    f = e.value.findings[0]
    assert (f.code, f.path, f.line) == ("template", str(folder / "card.html.j2"), 3)
    assert f.message.startswith(said) and f.hint


def test_a_missing_template_dir_is_a_template_error(tmp_path):
    with pytest.raises(TemplateError) as e:
        render(loan(), to="html", template_dir=tmp_path / "nowhere")
    assert e.value.findings[0].message == "the template folder does not exist"


def test_html_is_autoescaped_and_markdown_is_not_html_escaped():
    html = render(loan(), loan_results(), to="html")
    assert "term | months" in html and "&lt;" not in html.split("<body>")[1].split("Overview")[0]
    md = render(loan(), loan_results(), to="md")
    assert "term | months" in md.replace("\\|", "|")
    assert "&lt;" not in md


def test_worked_example_branded_header():
    html = render(loan(), to="html", template_dir=TEMPLATES / "branded-header")
    assert "Fernhill Bank · Model Risk Management" in html
    assert 'aria-label="Fernhill Bank logo"' in html
    assert ":root { --accent: #7a1f5c; }" in html and "border-collapse: collapse" in html  # super() kept
    assert "1. Model details" in html


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_worked_example_reordered_sections_keeps_every_section(fmt):
    card, results = example("model-card")
    default = render(card, results, to=fmt)
    moved = render(card, results, to=fmt, template_dir=TEMPLATES / "reordered")

    def pos(text, title):
        return text.index(f"## {title}\n" if fmt == "md" else f">{title}</h2>")

    assert pos(moved, "7. Quantitative analyses") < pos(moved, "1. Model details")
    assert pos(default, "1. Model details") < pos(default, "7. Quantitative analyses")
    for s in ("8. Ethical considerations", "9. Caveats and recommendations", "Approvals"):
        assert (s in default) == (s in moved)
    assert len(moved) == len(default)


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_worked_example_extra_section_from_extensions(fmt):
    card = loan().model_copy(
        update={
            "extensions": {
                "deployment": {
                    "risk_tier": "high",
                    "regions": ["US", "CA"],
                    "monitoring_dashboard": "https://dash.example.com/x",
                }
            }
        }
    )
    text = render(card, to=fmt, template_dir=TEMPLATES / "extra-section")
    assert "Deployment" in text and "US, CA" in text and "https://dash.example.com/x" in text
    assert text.index("Deployment") > text.index("9. Caveats and recommendations")
    plain = render(loan(), to=fmt, template_dir=TEMPLATES / "extra-section")
    assert "Risk tier" not in plain


def test_the_packaged_templates_render_from_their_compiled_form_when_it_is_current(monkeypatch, tmp_path):
    import shutil

    import jinja2

    from cardwright._render import env as env_module

    loaders = env_module.make_env("html").loader.loaders
    assert any(isinstance(loader, jinja2.ModuleLoader) for loader in loaders)  # compiled, current
    # a stale compiled form (sources edited since) is never used: the sources are
    stale = tmp_path / "compiled"
    shutil.copytree(env_module.COMPILED, stale)
    (stale / "html" / "STAMP").write_text("0" * 64 + "\n")
    monkeypatch.setattr(env_module, "COMPILED", stale)
    loaders = env_module.make_env("html").loader.loaders
    assert not any(isinstance(loader, jinja2.ModuleLoader) for loader in loaders)
    assert render(loan(), loan_results(), to="html") == render(loan(), loan_results(), to="html")
