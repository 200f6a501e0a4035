"""The index page of a built site: every card, findable and comparable at a glance.

One row per card with its summary line, kind, version, status, owner, tags, when and from which
data its numbers were computed, its gates, and the cards it links to (a model card's datasheets,
a datasheet's model cards).  A search box, filters (kind, status, owner, tag, failing gates) and
sortable columns work in the page itself, from a few lines of inline script over the rows' data
attributes: the site stays static files.  Without script every row is shown.  The output is a
function of the cards alone, so the same cards give the same bytes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape


@dataclass(frozen=True)
class Row:
    """One card in the index."""

    href: str
    name: str
    kind: str
    version: str
    status: str
    owner: str
    tags: tuple[str, ...]
    summary: str
    computed: str
    digest: str
    gates: str
    gates_class: str
    links: tuple[tuple[str, str], ...]
    """(title, href) of the cards this one links to or is used by."""


SCRIPT = """<script>
(function () {
  var rows = Array.prototype.slice.call(document.querySelectorAll("tr.card"));
  var q = function (id) { return document.getElementById(id); };
  function apply() {
    var text = q("f-search").value.toLowerCase(), kind = q("f-kind").value, status = q("f-status").value,
        owner = q("f-owner").value, tag = q("f-tag").value, failing = q("f-failing").checked, shown = 0;
    rows.forEach(function (r) {
      var d = r.dataset;
      var ok = (!text || d.search.indexOf(text) >= 0) && (!kind || d.kind === kind) && (!status || d.status === status)
        && (!owner || d.owner === owner) && (!tag || (" " + d.tags + " ").indexOf(" " + tag + " ") >= 0)
        && (!failing || d.gates === "fail");
      r.hidden = !ok; shown += ok ? 1 : 0;
    });
    q("f-count").textContent = shown + " of " + rows.length + " cards shown";
  }
  ["f-search", "f-kind", "f-status", "f-owner", "f-tag", "f-failing"].forEach(function (id) {
    q(id).addEventListener("input", apply); q(id).addEventListener("change", apply);
  });
  Array.prototype.forEach.call(document.querySelectorAll("th button[data-key]"), function (b) {
    b.addEventListener("click", function () {
      var th = b.parentNode, up = th.getAttribute("aria-sort") !== "ascending", key = b.dataset.key;
      Array.prototype.forEach.call(document.querySelectorAll("th[aria-sort]"), function (h) { h.removeAttribute("aria-sort"); });
      th.setAttribute("aria-sort", up ? "ascending" : "descending");
      rows.sort(function (a, c) { var x = a.dataset[key], y = c.dataset[key]; return (x < y ? -1 : x > y ? 1 : 0) * (up ? 1 : -1); });
      var body = rows[0].parentNode; rows.forEach(function (r) { body.appendChild(r); });
    });
  });
  q("filters").hidden = false;
  apply();
})();
</script>"""

STYLE = """body { font-family: "DejaVu Sans", "Helvetica Neue", Arial, sans-serif; max-width: 80rem; margin: 0 auto; padding: 1.5rem; color: #1a1a1a; }
a { color: #1f4e79; }
form { display: flex; flex-wrap: wrap; gap: .5rem 1.2rem; align-items: end; margin: 1rem 0; }
label { display: flex; flex-direction: column; font-size: .85rem; color: #4d4d4d; gap: .15rem; }
label.check { flex-direction: row; align-items: center; gap: .4rem; }
input, select { font: inherit; padding: .2rem .3rem; max-width: 18rem; }
table { border-collapse: collapse; width: 100%; font-size: .92rem; }
caption { text-align: left; font-weight: bold; padding: .2rem 0; }
th, td { border: 1px solid #c8c8c8; padding: .3rem .5rem; text-align: left; vertical-align: top; }
thead th { background: #eef2f6; white-space: nowrap; }
th button { font: inherit; font-weight: bold; background: none; border: 0; padding: 0; cursor: pointer; color: inherit; }
th[aria-sort="ascending"] button::after { content: " ▲"; }
th[aria-sort="descending"] button::after { content: " ▼"; }
td.pass { color: #1d5e2b; font-weight: bold; }
td.fail { color: #8b1a1a; font-weight: bold; }
td.warn { color: #6b4400; }
.summary { display: block; color: #4d4d4d; font-size: .85rem; margin-top: .15rem; }
.digest { display: block; color: #4d4d4d; font-size: .8rem; font-family: "DejaVu Sans Mono", monospace; }
td ul { margin: 0; padding-left: 1rem; }
.table-wrap { overflow-x: auto; }"""

COLUMNS = (("name", "Name"), ("kind", "Kind"), ("version", "Version"), ("status", "Status"), ("owner", "Owner"),
           ("tags", "Tags"), ("computed", "Computed"), ("gates", "Gates"), ("", "Linked cards"))


def _options(ident: str, label: str, values: Sequence[str]) -> str:
    opts = "".join(f'<option value="{escape(v)}">{escape(v)}</option>' for v in values)
    return f'<label for="{ident}">{label}<select id="{ident}"><option value="">all</option>{opts}</select></label>'


def _row(r: Row) -> str:
    search = " ".join([r.name, r.summary, r.owner, *r.tags, r.status, r.kind]).lower()
    data = {"kind": r.kind, "status": r.status, "owner": r.owner, "tags": " ".join(r.tags), "gates": r.gates_class or "none",
            "name": r.name.lower(), "version": r.version, "computed": r.computed, "search": search}
    attrs = " ".join(f'data-{k}="{escape(v)}"' for k, v in data.items())
    links = "".join(f'<li><a href="{escape(h)}">{escape(t)}</a></li>' for t, h in r.links)
    cells = [
        f'<a href="{escape(r.href)}">{escape(r.name)}</a>'
        + (f'<span class="summary">{escape(r.summary)}</span>' if r.summary else ""),
        escape(r.kind), escape(r.version or "—"), escape(r.status), escape(r.owner or "—"),
        escape(", ".join(r.tags) or "—"),
        escape(r.computed or "—") + (f'<span class="digest" title="SHA-256 of the data">data {escape(r.digest[:12])}</span>'
                                      if r.digest else ""),
    ]
    gates = f'<td class="{r.gates_class}">{escape(r.gates)}</td>' if r.gates_class else f"<td>{escape(r.gates)}</td>"
    return (f'<tr class="card" {attrs}>' + "".join(f"<td>{c}</td>" for c in cells) + gates
            + f"<td>{'<ul>' + links + '</ul>' if links else '—'}</td></tr>")


def index_page(rows: Sequence[Row]) -> str:
    """The index page for ``rows`` (already in the order to show: model cards first, by name)."""
    n_models = sum(r.kind == "Model card" for r in rows)
    heads = "".join('<th scope="col">' + (f'<button type="button" data-key="{k}">{t}</button>' if k else t) + "</th>"
                    for k, t in COLUMNS)
    body = "\n".join(_row(r) for r in rows) or f'<tr><td colspan="{len(COLUMNS)}">No cards found.</td></tr>'
    filters = "".join([
        '<label for="f-search">Search<input id="f-search" type="search" placeholder="name, owner, tag…"></label>',
        _options("f-kind", "Kind", sorted({r.kind for r in rows})),
        _options("f-status", "Status", sorted({r.status for r in rows})),
        _options("f-owner", "Owner", sorted({r.owner for r in rows if r.owner})),
        _options("f-tag", "Tag", sorted({t for r in rows for t in r.tags})),
        '<label class="check" for="f-failing"><input id="f-failing" type="checkbox"> Only failing gates</label>',
        '<output id="f-count" aria-live="polite"></output>',
    ])
    n_sheets = len(rows) - n_models
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Model cards and datasheets</title>
<style>
{STYLE}
</style>
</head>
<body>
<main>
<h1>Model cards and datasheets</h1>
<p>{n_models} model card{"s" * (n_models != 1)} and {n_sheets} datasheet{"s" * (n_sheets != 1)}.</p>
<form id="filters" role="search" hidden>{filters}</form>
<div class="table-wrap">
<table>
<caption>Every card, model cards first</caption>
<thead><tr>{heads}</tr></thead>
<tbody>
{body}
</tbody>
</table>
</div>
</main>
{SCRIPT}
</body>
</html>
"""
