"""An OfficeDoc as a workbook: one sheet per section, each a plain table people can sort and
filter — dates are dates, counts are numbers, no merged cells in the table. A few title rows
above each table say what it is; the header row is frozen and repeats when printed.
"""

from __future__ import annotations

import datetime as dt
from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from .model import Column, OfficeDoc, Value

FONT = "Times New Roman"
_THIN = Side(style="thin", color="000000")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_BAD_SHEET_CHARS = str.maketrans({c: " " for c in "[]:*?/\\"})


def _plain(value: Value) -> str | int | dt.date | None:
    if isinstance(value, tuple):
        return "".join(text for text, _ in value).strip()
    return value


def sheet_name(name: str, taken: set[str]) -> str:
    """A tab name Excel accepts: at most 31 characters, none of []:*?/\\, unique."""
    base = " ".join(name.translate(_BAD_SHEET_CHARS).split())[:31] or "Sheet"
    out, n = base, 2
    while out.lower() in taken:
        suffix = f" ({n})"
        out, n = base[:31 - len(suffix)] + suffix, n + 1
    taken.add(out.lower())
    return out


def render(doc: OfficeDoc) -> bytes:
    wb = Workbook()
    wb.remove(wb.active)  # type: ignore[arg-type, unused-ignore]
    wb.properties.title = f"{doc.kind} {doc.title}".strip()
    wb.properties.creator = doc.org
    wb.properties.created = dt.datetime(doc.date.year, doc.date.month, doc.date.day, tzinfo=dt.UTC)
    wb.properties.language = "en-GB" if doc.lang == "en" else "vi-VN"
    taken: set[str] = set()
    head = [(doc.org.upper(), True, False), (f"{doc.kind} — {doc.title}", True, False),
            *((line, False, True) for line in doc.subtitle)]
    sections = doc.sections or ()
    if not sections:  # an empty document still opens, and says why it is empty
        ws = wb.create_sheet(sheet_name(doc.kind, taken))
        for r, (text, bold, italic) in enumerate(head + [(p, False, False) for p in doc.paragraphs], 1):
            ws.cell(r, 1, text).font = Font(name=FONT, size=12, bold=bold, italic=italic)
    for n, s in enumerate(sections):
        ws = wb.create_sheet(sheet_name(s.sheet, taken))
        said = (*doc.paragraphs, *s.paragraphs) if n == 0 else s.paragraphs  # the preamble once
        lines = [*head, (s.heading, True, False), *((p, False, False) for p in said)]
        for r, (text, bold, italic) in enumerate(lines, 1):
            c = ws.cell(r, 1, text)
            c.font = Font(name=FONT, size=12, bold=bold, italic=italic)
        start = len(lines) + 2
        table = s.table
        cols: tuple[Column, ...] = table.shown("xlsx") if table is not None else ()
        if table is None or not table.rows:
            ws.cell(start, 1, s.empty).font = Font(name=FONT, size=12, italic=True)
            continue
        for i, col in enumerate(cols, 1):
            c = ws.cell(start, i, col.title)
            c.font = Font(name=FONT, size=12, bold=True)
            c.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
            c.border = _BOX
            ws.column_dimensions[get_column_letter(i)].width = max(6.0, col.width * 4.6)
        rows = list(table.rows) + ([table.total] if table.total else [])
        for r, values in enumerate(rows, start + 1):
            total = table.total is not None and r == start + len(rows)
            for i, col in enumerate(cols, 1):
                v = _plain(values.get(col.key))
                c = ws.cell(r, i, v if v != "" else None)
                c.font = Font(name=FONT, size=12, bold=total)
                c.border = _BOX
                c.alignment = Alignment(vertical="top", wrap_text=True,
                                        horizontal="center" if col.align == "center" else "left")
                if isinstance(v, dt.date):
                    c.number_format = "DD/MM/YYYY"
        last = start + len(table.rows)
        ws.freeze_panes = ws.cell(start + 1, 1)
        ws.auto_filter.ref = f"A{start}:{get_column_letter(len(cols))}{last}"
        ws.print_title_rows = f"{start}:{start}"
        ws.page_setup.orientation = "landscape" if s.landscape else "portrait"
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True  # type: ignore[union-attr, unused-ignore]
    out = BytesIO()
    wb.save(out)
    return out.getvalue()
