"""HTML for the editing form's inputs, built in Python: the edit page has a few hundred of them, and
rendering each through a template include was most of the page's time. Every value is escaped."""

from __future__ import annotations

from html import escape as _escape

from django.utils.safestring import SafeString, mark_safe

from jixiao.web.evaluations.editing import Cell, Choices, Row


def escape(value: object) -> str:
    """HTML-escaped text, as Django's `escape` gives it, without its lazy-string wrapper (called tens
    of thousands of times on a 500-row form: the wrapper was a fifth of the page's time)."""
    return _escape(str(value), quote=True)


# Each select's options, escaped once per list of choices (the choices are module constants).
_OPTIONS: dict[int, tuple[Choices, list[str], list[str]]] = {}


def _options(choices: Choices, chosen: str) -> str:
    cached = _OPTIONS.get(id(choices))
    if cached is None or cached[0] is not choices:
        plain = [f'<option value="{escape(v)}">{escape(label)}</option>' for v, label in choices]
        selected = [f'<option value="{escape(v)}" selected>{escape(label)}</option>' for v, label in choices]
        cached = _OPTIONS[id(choices)] = (choices, plain, selected)
    _, plain, selected = cached
    return "".join(selected[i] if v == chosen else plain[i] for i, (v, _) in enumerate(choices))


def control(cell: Cell, in_table: bool = False) -> str:
    """The input, select or textarea of a cell (escaped), with the id findings and return reasons link
    to. A table cell has no <label>: its column header names it for sight, its aria-label for a screen
    reader (a cell with a return reason lost it once, axe select-name)."""
    spec = cell.spec
    name = escape(cell.name)
    ident = f' id="f-{name}"' + (f' aria-label="{escape(spec.label)}"' if in_table else "")
    value = escape(cell.value)
    if cell.locked:
        return _locked_control(cell, ident, name, value)
    if spec.widget == "select":
        options = _options(spec.choices, cell.value)
        return f'<select{ident} name="{name}"><option value="">—</option>{options}</select>'
    if spec.widget in ("textarea", "lines"):
        return f'<textarea{ident} name="{name}">{value}</textarea>'
    kind = "date" if spec.widget == "date" else "text"
    mode = ' inputmode="decimal"' if spec.widget in ("number", "int") else ""
    return f'<input type="{kind}"{ident} name="{name}" value="{value}"{mode}>'


def _locked_control(cell: Cell, ident: str, name: str, value: str) -> str:
    """A value the page shows but does not let change; it is still posted, so live scoring sees it
    (a disabled select would not be posted, hence the hidden twin)."""
    title = f' title="{escape(cell.locked)}"'
    if cell.spec.widget == "select":
        label = next((text for v, text in cell.spec.choices if v == cell.value), cell.value)
        return (f'<input type="hidden" name="{name}" value="{value}">'
                f'<input type="text"{ident} value="{escape(label)}" class="locked" readonly aria-readonly="true"{title}>')
    if cell.spec.widget in ("textarea", "lines"):
        return f'<textarea{ident} name="{name}" class="locked" readonly aria-readonly="true"{title}>{value}</textarea>'
    return f'<input type="text"{ident} name="{name}" value="{value}" class="locked" readonly aria-readonly="true"{title}>'


def _error(cell: Cell) -> str:
    error = f'<div class="err" role="alert">{escape(cell.error)}</div>' if cell.error else ""
    note = f'<div class="return-note">退回意见：{escape(cell.note)}</div>' if cell.note else ""
    return error + note


def _classes(cell: Cell, *more: str) -> str:
    return " ".join(c for c in (*more, "has-error" if cell.error else "", "returned" if cell.note else "") if c)


def field(cell: Cell) -> SafeString:
    """A labelled field for the form's grid."""
    classes = _classes(cell, "wide" if cell.spec.wide else "")
    html = (f'<div class="{classes}"><label for="f-{escape(cell.name)}">{escape(cell.spec.label)}</label>'
            f"{control(cell)}{_error(cell)}</div>")
    return mark_safe(html)  # built from escaped parts only


def table_cell(cell: Cell) -> SafeString:
    """A cell of the indicators/projects table (the column header is the label)."""
    html = f'<td class="{_classes(cell)}">{control(cell, in_table=True)}{_error(cell)}</td>'
    return mark_safe(html)  # built from escaped parts only


def table_row(row: Row, prefix: str) -> SafeString:
    """One row of the indicators/projects table: its cells, then its "more" fields folded away.

    Built here rather than by including a template per row: Django's template engine costs a few
    hundred microseconds per include, and the edit page has one row per indicator and project."""
    key = escape(row.key)
    cells = "".join(table_cell(c) for c in row.cells)
    details = "".join(field(c) for c in row.details)
    if row.fixed:  # a row from the approved targets: neither moved nor deleted here
        why = escape(row.fixed)
        moves, remove = "", f'<span class="row-fixed" title="{why}" aria-label="{why}">目标</span>'
    else:
        moves = ('    <button type="button" title="上移" data-move-row="-1">↑</button>'
                 '<button type="button" title="下移" data-move-row="1">↓</button>')
        remove = '<button type="button" title="删除此行" data-remove-row>✕</button>'
    html = (
        f'<tbody class="row{" fixed" if row.fixed else ""}" data-key="{key}">\n<tr>\n'
        f'  <td><input type="hidden" name="{prefix}-row" value="{key}">'
        f'<input type="hidden" name="{prefix}-{key}-orig" value="{escape(row.orig)}">\n'
        f'{moves}</td>\n'
        f'  {cells}\n'
        f'  <td>{remove}</td>\n'
        '</tr>\n'
        + (f'<tr><td></td><td colspan="{len(row.cells) + 1}"><details{" open" if row.has_error else ""}>'
           '<summary>更多</summary><div class="grid">\n'
           f'  {details}</div></details></td></tr>\n' if row.details else '')
        + '</tbody>\n'
    )
    return mark_safe(html)  # built from escaped parts only; prefix is one of the fixed table prefixes
