"""An OfficeDoc as a .docx in Vietnamese administrative form (Nghị định 30/2020/NĐ-CP, Phụ lục I).

What applies to an appendix or a report: A4 (portrait, or landscape for the wide tables);
margins top and bottom 20 mm, left 30 mm, right 15 mm; Times New Roman 13 pt (14 pt for the
title); the two header blocks — the issuing body in capitals with a short rule under it on the
left, the national name and motto with a rule under them on the right — then the number, and
the place-and-date line in italics; the kind of document and its title, centred and bold; page
numbers centred at the top, in Arabic numerals, not on the first page.

python-docx writes the file. It has no calls for three things this form needs, so they are
made as single elements through its own ``OxmlElement``: the page-number field, the short
rules (a paragraph's bottom border) and the table rows that repeat on every page.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from io import BytesIO

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT, WD_SECTION_START
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.section import Section as DocxSection
from docx.shared import Cm, Pt
from docx.table import _Cell
from docx.text.paragraph import Paragraph

from .model import Column, OfficeDoc, Run, Table, Value
from .text import tr
from .words import dmy, org_lines, place_date

FONT = "Times New Roman"
BODY_PT = 13
TITLE_PT = 14
TABLE_PT = 13
A4_SHORT, A4_LONG = 21.0, 29.7  # cm
MARGIN_TOP = MARGIN_BOTTOM = 2.0
MARGIN_LEFT, MARGIN_RIGHT = 3.0, 1.5

_PBDR_SUCCESSORS = ("w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap",
                    "w:overflowPunct", "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi",
                    "w:adjustRightInd", "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing",
                    "w:mirrorIndents", "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment",
                    "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr",
                    "w:pPrChange")


def render(doc: OfficeDoc) -> bytes:
    d = Document()
    _styles(d)
    props = d.core_properties
    props.title = f"{doc.kind} {doc.title}".strip()
    props.author = props.last_modified_by = doc.org
    props.created = props.modified = dt.datetime(doc.date.year, doc.date.month, doc.date.day, tzinfo=dt.UTC)
    props.language = "en-GB" if doc.lang == "en" else "vi-VN"
    props.comments = "reminderd"

    first = d.sections[0]
    _page(first, doc.landscape)
    first.different_first_page_header_footer = True  # no number on the first page
    _page_number(first)
    width = _text_width(doc.landscape)
    _header_blocks(d, doc, width)
    _title(d, doc, width)
    for text in doc.paragraphs:
        _body(d, text)

    landscape = doc.landscape
    for s in doc.sections:
        if s.landscape != landscape:
            new = d.add_section(WD_SECTION_START.NEW_PAGE)
            _page(new, s.landscape)
            new.different_first_page_header_footer = False
            landscape = s.landscape
        h = d.add_paragraph()
        h.paragraph_format.space_before = Pt(12)
        h.paragraph_format.space_after = Pt(6)
        h.paragraph_format.keep_with_next = True
        _run(h, s.heading, bold=True)
        for text in s.paragraphs:
            _body(d, text)
        if s.table is not None and s.table.rows:
            _table(d, s.table, _text_width(landscape))
        elif s.empty:
            _body(d, s.empty)
    out = BytesIO()
    d.save(out)
    return out.getvalue()


# ---- page and styles -------------------------------------------------------------------------


def _styles(d: DocxDocument) -> None:
    normal = d.styles["Normal"]
    font = normal.font  # type: ignore[attr-defined, unused-ignore]
    font.name = FONT
    font.size = Pt(BODY_PT)
    # The template's theme fonts would win over the plain names for East Asian and complex
    # scripts; name the one face for every script.
    rpr = normal.element.get_or_add_rPr()
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is not None:
        for attr in ("w:eastAsia", "w:cs"):
            rfonts.set(qn(attr), FONT)
        for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
            rfonts.attrib.pop(qn(attr), None)
    pf = normal.paragraph_format  # type: ignore[attr-defined, unused-ignore]
    pf.space_before = Pt(0)
    pf.space_after = Pt(0)
    pf.line_spacing = 1.0


def _page(section: DocxSection, landscape: bool) -> None:
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    w, h = (A4_LONG, A4_SHORT) if landscape else (A4_SHORT, A4_LONG)
    section.page_width, section.page_height = Cm(w), Cm(h)
    section.top_margin, section.bottom_margin = Cm(MARGIN_TOP), Cm(MARGIN_BOTTOM)
    section.left_margin, section.right_margin = Cm(MARGIN_LEFT), Cm(MARGIN_RIGHT)
    section.header_distance = Cm(1.0)


def _text_width(landscape: bool) -> float:
    return (A4_LONG if landscape else A4_SHORT) - MARGIN_LEFT - MARGIN_RIGHT


def _page_number(section: DocxSection) -> None:
    """A PAGE field, centred in the header of every page but the first."""
    p = section.header.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for kind, instr in (("begin", None), (None, " PAGE "), ("separate", None), (None, None), ("end", None)):
        run = p.add_run("1" if kind is None and instr is None else None)
        run.font.size = Pt(BODY_PT)
        if kind is not None:
            fld = OxmlElement("w:fldChar")
            fld.set(qn("w:fldCharType"), kind)
            run._r.append(fld)
        elif instr is not None:
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = instr
            run._r.append(el)


# ---- text ------------------------------------------------------------------------------------


def _run(p: Paragraph, text: str, *, bold: bool = False, italic: bool = False, size: float | None = None) -> None:
    r = p.add_run(text)
    r.bold = bold or None
    r.italic = italic or None
    if size is not None:
        r.font.size = Pt(size)


def _centred(container: DocxDocument | _Cell, text: str, *, bold: bool = False, italic: bool = False,
             size: float = BODY_PT, first: bool = False) -> Paragraph:
    p = container.paragraphs[0] if first else container.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(p, text, bold=bold, italic=italic, size=size)
    return p


def _body(d: DocxDocument, text: str) -> None:
    p = d.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    pf = p.paragraph_format
    pf.first_line_indent = Cm(1.0)
    pf.space_before = Pt(6)
    pf.line_spacing = 1.15
    _run(p, text)


def _text_cm(text: str, size: float, bold: bool) -> float:
    """About how wide a line of Times New Roman is (for the rules under the header lines)."""
    em = 0.0
    for ch in text:
        if ch == " ":
            em += 0.25
        elif ch.isupper():
            em += 0.72 if bold else 0.68
        else:
            em += 0.5
    return em * size / 72 * 2.54


def _rule(container: DocxDocument | _Cell, length_cm: float, box_cm: float, after: float = 8) -> None:
    """A short solid rule, centred: an empty paragraph's bottom border, narrowed by indents."""
    p = container.add_paragraph()
    side = max(0.0, (box_cm - length_cm) / 2)
    pf = p.paragraph_format
    pf.left_indent = pf.right_indent = Cm(side)
    pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    pf.line_spacing = Pt(3)
    pf.space_before = Pt(2)  # clear of the descenders above
    pf.space_after = Pt(after)
    border = OxmlElement("w:bottom")
    for k, v in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "000000")):
        border.set(qn(k), v)
    pbdr = OxmlElement("w:pBdr")
    pbdr.append(border)
    p._p.get_or_add_pPr().insert_element_before(pbdr, *_PBDR_SUCCESSORS)


def _header_blocks(d: DocxDocument, doc: OfficeDoc, width: float) -> None:
    """The issuing body (left) and the national name and motto (right), each with its rule;
    under them the number (left) and the place-and-date line (right)."""
    left = 7.0 if width < 20 else 9.0
    right = width - left
    t = d.add_table(rows=2, cols=2)
    t.autofit = False
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    for i, w in enumerate((left, right)):
        t.columns[i].width = Cm(w)
        for row in t.rows:
            row.cells[i].width = Cm(w)
    org_cell, nation_cell = t.rows[0].cells
    lines = org_lines(doc.org)
    for i, (line, bold) in enumerate(lines):
        _centred(org_cell, line, bold=bold, first=i == 0)
    longest = max(_text_cm(line, BODY_PT, bold) for line, bold in lines)
    _rule(org_cell, min(left * 0.8, max(2.0, longest * 0.45)), left)
    nation = tr(doc.lang, "nation")
    motto = tr(doc.lang, "motto")
    _centred(nation_cell, nation, bold=True, size=12, first=True)
    _centred(nation_cell, motto, bold=True)
    _rule(nation_cell, _text_cm(motto, BODY_PT, True), right)
    number_cell, date_cell = t.rows[1].cells
    if doc.number:
        _centred(number_cell, doc.number, first=True)
    _centred(date_cell, place_date(doc.place, doc.date, doc.lang), italic=True, first=True)


def _title(d: DocxDocument, doc: OfficeDoc, width: float) -> None:
    """The kind of document and its name, centred and bold, a short rule under them. An
    appendix writes "Phụ lục" in ordinary letters and its name in capitals (as built)."""
    first = _centred(d, doc.kind, bold=True, size=TITLE_PT)
    first.paragraph_format.space_before = Pt(18)
    _centred(d, doc.title, bold=True, size=TITLE_PT)
    for line in doc.subtitle:
        _centred(d, line, italic=line.startswith("("))
    _rule(d, 4.0, width, after=12)


# ---- tables ----------------------------------------------------------------------------------


def _runs(value: Value) -> tuple[Run, ...]:
    if value is None:
        return ()
    if isinstance(value, tuple):
        return value
    if isinstance(value, dt.date):
        return ((dmy(value), ""),)
    return ((str(value), ""),)


def _fill(cell: _Cell, value: Value, col: Column, *, bold: bool = False) -> None:
    p = cell.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER if (col.align == "center" or (bold and col.key == "stt")) \
        else WD_ALIGN_PARAGRAPH.LEFT
    for text, style in _runs(value):
        _run(p, text, bold=bold or "b" in style, italic="i" in style, size=TABLE_PT)


def _row_flag(row: object, tag: str, successors: tuple[str, ...]) -> None:
    tr_pr = row._tr.get_or_add_trPr()  # type: ignore[attr-defined]
    el = OxmlElement(tag)
    el.set(qn("w:val"), "true")
    tr_pr.insert_element_before(el, *successors)


def _table(d: DocxDocument, table: Table, width: float) -> None:
    cols = table.shown("docx")
    scale = width / sum(c.width for c in cols)
    widths = [Cm(c.width * scale) for c in cols]
    # What each row of the .docx table holds: an occasion's heading, a task, the totals.
    items: list[tuple[str, Mapping[str, Value]]] = []
    previous: object = None
    for row in table.rows:
        key = row.get("_group_key", row.get("_group"))
        if table.grouped and key != previous:
            items.append(("group", row))
            previous = key
        items.append(("row", row))
    if table.total:
        items.append(("total", table.total))
    t = d.add_table(rows=1 + len(items), cols=len(cols))
    t.style = d.styles["Table Grid"]
    t.autofit = False
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    for i, w in enumerate(widths):
        t.columns[i].width = w
    for r_i, row in enumerate(t.rows):
        for c_i, cell in enumerate(row.cells):
            cell.width = widths[c_i]
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER if r_i == 0 \
                else WD_CELL_VERTICAL_ALIGNMENT.TOP
        # a task's row is never split between pages; the header row repeats on each page
        _row_flag(row, "w:cantSplit", ("w:trHeight", "w:tblHeader", "w:tblCellSpacing", "w:jc", "w:hidden",
                                       "w:ins", "w:del", "w:trPrChange"))
    _row_flag(t.rows[0], "w:tblHeader", ("w:tblCellSpacing", "w:jc", "w:hidden", "w:ins", "w:del",
                                         "w:trPrChange"))
    for c_i, col in enumerate(cols):
        cell = t.rows[0].cells[c_i]
        cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
        _run(cell.paragraphs[0], col.title, bold=True, size=TABLE_PT)
    for r_i, (kind, values) in enumerate(items, 1):
        cells = t.rows[r_i].cells
        if kind == "group":
            merged = cells[0].merge(cells[-1])
            p = merged.paragraphs[0]
            p.paragraph_format.keep_with_next = True  # not alone at the foot of a page
            for text, style in _runs(values.get("_group")):
                _run(p, text, bold="b" in style, italic="i" in style, size=TABLE_PT)
            continue
        for c_i, col in enumerate(cols):
            _fill(cells[c_i], values.get(col.key), col, bold=kind == "total")
