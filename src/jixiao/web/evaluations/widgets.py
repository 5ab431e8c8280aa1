"""HTML for the editing form's inputs, built in Python: the edit page has a few hundred of them, and
rendering each through a template include was most of the page's time. Every value is escaped."""

from __future__ import annotations

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from jixiao.web.evaluations.editing import Cell


def control(cell: Cell, with_id: bool = True) -> str:
    """The input, select or textarea of a cell (escaped)."""
    spec = cell.spec
    name = escape(cell.name)
    ident = f' id="f-{name}"' if with_id else f' aria-label="{escape(spec.label)}"'
    value = escape(cell.value)
    if spec.widget == "select":
        options = "".join(
            f'<option value="{escape(v)}"{" selected" if v == cell.value else ""}>{escape(label)}</option>'
            for v, label in spec.choices
        )
        return f'<select{ident} name="{name}"><option value="">—</option>{options}</select>'
    if spec.widget in ("textarea", "lines"):
        return f'<textarea{ident} name="{name}">{value}</textarea>'
    kind = "date" if spec.widget == "date" else "text"
    mode = ' inputmode="decimal"' if spec.widget in ("number", "int") else ""
    return f'<input type="{kind}"{ident} name="{name}" value="{value}"{mode}>'


def _error(cell: Cell) -> str:
    return f'<div class="err" role="alert">{escape(cell.error)}</div>' if cell.error else ""


def field(cell: Cell) -> SafeString:
    """A labelled field for the form's grid."""
    classes = " ".join(c for c in ("wide" if cell.spec.wide else "", "has-error" if cell.error else "") if c)
    html = (f'<div class="{classes}"><label for="f-{escape(cell.name)}">{escape(cell.spec.label)}</label>'
            f"{control(cell)}{_error(cell)}</div>")
    return mark_safe(html)  # built from escaped parts only


def table_cell(cell: Cell) -> SafeString:
    """A cell of the indicators/projects table (the column header is the label)."""
    html = f'<td class="{"has-error" if cell.error else ""}">{control(cell, with_id=False)}{_error(cell)}</td>'
    return mark_safe(html)  # built from escaped parts only
