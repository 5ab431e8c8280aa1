"""The 自评表 (and the warning box) as real Word tables (WordprocessingML), merged cells included.

The table is written as XML in one pass: horizontal merges as `w:gridSpan`, vertical
ones as `w:vMerge` — what Word itself writes. python-docx's cell-merging API does the
same but re-scans the whole table on every cell access (hundreds of ms for one form),
which would make the report writer slow for batches.
"""

from __future__ import annotations

from typing import Any
from xml.sax.saxutils import escape

from jixiao.report.table_layout import Cell, CellFormat, Role, TableLayout

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
TABLE_FONT = "宋体"
TWIPS_PER_CM = 567


class WordXml(str):
    """A fragment of WordprocessingML that docxtpl inserts as is (`{{p name }}` replaces the paragraph)."""

    def __html__(self) -> str:
        return str(self)


def _run(text: str, size_half_points: int, bold: bool, font: str = TABLE_FONT, color: str | None = None) -> str:
    props = f'<w:rFonts w:eastAsia="{font}"/>' + ("<w:b/>" if bold else "")
    if color:
        props += f'<w:color w:val="{color}"/>'
    props += f'<w:sz w:val="{size_half_points}"/><w:szCs w:val="{size_half_points}"/>'
    return f'<w:r><w:rPr>{props}</w:rPr><w:t xml:space="preserve">{escape(text)}</w:t></w:r>'


def _paragraph(runs: str, align: str) -> str:
    return (
        '<w:p><w:pPr><w:spacing w:before="0" w:after="0" w:line="240" w:lineRule="auto"/>'
        f'<w:ind w:firstLine="0" w:firstLineChars="0"/><w:jc w:val="{align}"/></w:pPr>{runs}</w:p>'
    )


def _alignment(spec: Cell, text_columns: tuple[int, ...]) -> str:
    if spec.format is not CellFormat.TEXT or spec.text == "—":
        return "center"
    if spec.role is Role.VALUE and (spec.colspan > 2 or spec.col in text_columns):
        return "left"
    return "center"


def _borders(color: str = "000000") -> str:
    edges = "".join(
        f'<w:{edge} w:val="single" w:sz="4" w:space="0" w:color="{color}"/>'
        for edge in ("top", "left", "bottom", "right", "insideH", "insideV")
    )
    return f"<w:tblBorders>{edges}</w:tblBorders>"


def _tc(width: int, span: int, vmerge: str | None, body: str, no_border: bool = False) -> str:
    props = f'<w:tcW w:w="{width}" w:type="dxa"/>'
    if span > 1:
        props += f'<w:gridSpan w:val="{span}"/>'
    if vmerge == "restart":
        props += '<w:vMerge w:val="restart"/>'
    elif vmerge == "continue":
        props += "<w:vMerge/>"
    if no_border:
        props += '<w:tcBorders><w:top w:val="nil"/><w:left w:val="nil"/><w:right w:val="nil"/></w:tcBorders>'
    props += '<w:vAlign w:val="center"/>'
    return f"<w:tc><w:tcPr>{props}</w:tcPr>{body}</w:tc>"


def self_table_xml(layout: TableLayout, width_cm: float = 16.0, font_size: float = 9) -> WordXml:
    """The whole 自评表 as one `w:tbl` element."""
    scale = width_cm * TWIPS_PER_CM / sum(layout.widths)
    widths = [round(w * scale) for w in layout.widths]
    size = round(font_size * 2)
    starts = {(c.row, c.col): c for c in layout.cells}
    continues = {(r, c.col): c for c in layout.cells if c.rowspan > 1 for r in range(c.row + 1, c.row + c.rowspan)}
    rows: list[str] = []
    for r in range(layout.rows):
        tcs: list[str] = []
        col = 0
        while col < layout.columns:
            spec = starts.get((r, col))
            if spec is not None:
                width = sum(widths[col : col + spec.colspan])
                extra = 10 if spec.role is Role.TITLE else 2 if spec.role is Role.SUBTITLE else 0
                bold = spec.role in (Role.TITLE, Role.HEADER, Role.LABEL, Role.TOTAL)
                body = "".join(
                    _paragraph(_run(line, size + extra, bold), _alignment(spec, layout.text_columns))
                    for line in (spec.text.split("\n") if spec.text else [""])
                )
                vmerge = "restart" if spec.rowspan > 1 else None
                tcs.append(_tc(width, spec.colspan, vmerge, body, spec.role in (Role.TITLE, Role.SUBTITLE)))
                col += spec.colspan
                continue
            above = continues.get((r, col))
            span = above.colspan if above is not None else 1
            tcs.append(_tc(sum(widths[col : col + span]), span, "continue" if above else None, _paragraph("", "center")))
            col += span
        header = "<w:trPr><w:tblHeader/></w:trPr>" if r < layout.header_rows else ""
        rows.append(f"<w:tr>{header}{''.join(tcs)}</w:tr>")
    grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in widths)
    props = (
        f'<w:tblPr><w:tblW w:w="{sum(widths)}" w:type="dxa"/><w:jc w:val="center"/>{_borders()}'
        '<w:tblLayout w:type="fixed"/>'
        '<w:tblCellMar><w:left w:w="57" w:type="dxa"/><w:right w:w="57" w:type="dxa"/></w:tblCellMar></w:tblPr>'
    )
    return WordXml(f"<w:tbl>{props}<w:tblGrid>{grid}</w:tblGrid>{''.join(rows)}</w:tbl>")


def warning_box_xml(warnings: list[str], width_cm: float = 15.8) -> WordXml:
    """A shaded box with a red border listing the data errors a report was produced with (--allow-errors)."""
    width = round(width_cm * TWIPS_PER_CM)
    body = _paragraph(_run("⚠ 注意：数据校验发现以下错误，本报告按 --allow-errors 生成，提交前请改正：", 24, True, "黑体", "C00000"), "left")
    body += "".join(_paragraph(_run(line, 21, False), "left") for line in warnings)
    cell = (
        f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/>'
        f'<w:shd w:val="clear" w:color="auto" w:fill="FDE9E7"/></w:tcPr>{body}</w:tc>'
    )
    props = f'<w:tblPr><w:tblW w:w="{width}" w:type="dxa"/><w:jc w:val="center"/>{_borders("C00000")}</w:tblPr>'
    return WordXml(f'<w:tbl>{props}<w:tblGrid><w:gridCol w:w="{width}"/></w:tblGrid><w:tr>{cell}</w:tr></w:tbl>')


def append_xml(document: Any, fragment: str) -> None:
    """Append a WordprocessingML fragment to a python-docx Document's body (before its section)."""
    from docx.oxml import parse_xml

    element = parse_xml(fragment.replace("<w:tbl>", f'<w:tbl xmlns:w="{W_NS}">', 1))
    body = document.element.body
    sect = body.sectPr
    if sect is not None:
        sect.addprevious(element)
    else:
        body.append(element)
