"""What a document is, before it is a file: header, title, sections of tables.

``plan_appendix`` and ``results_report`` build an :class:`OfficeDoc`; ``docx_form`` and
``xlsx`` render any of them. Cells hold typed values (dates stay dates for the
spreadsheet) or runs of styled text for the .docx.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

Style = Literal["", "b", "i"]
Run = tuple[str, Style]
Value = str | int | dt.date | tuple[Run, ...] | None


@dataclass(frozen=True)
class Column:
    key: str
    title: str
    width: float  # centimetres; the .docx scales a table's columns to the page's width
    align: Literal["left", "center"] = "left"
    show: Literal["both", "docx", "xlsx"] = "both"
    optional: bool = False  # left out when no row has a value in it


@dataclass(frozen=True)
class Table:
    columns: tuple[Column, ...]
    rows: tuple[Mapping[str, Value], ...]
    # The .docx puts a full-width heading row (the occasion, its date) before each run of rows
    # with the same row["_group"]; a spreadsheet keeps every row whole, to be sorted and filtered.
    grouped: bool = False
    total: Mapping[str, Value] | None = None  # a bold last row

    def shown(self, where: Literal["docx", "xlsx"]) -> tuple[Column, ...]:
        return tuple(c for c in self.columns
                     if c.show in ("both", where)
                     and not (c.optional and not any(r.get(c.key) not in (None, "", ()) for r in self.rows)))


@dataclass(frozen=True)
class Section:
    heading: str  # "I. NGÀY QUỐC KHÁNH CÁC NƯỚC"
    sheet: str  # the spreadsheet's tab (at most 31 characters)
    table: Table | None
    paragraphs: tuple[str, ...] = ()  # before the table
    empty: str = ""  # said instead of an empty table
    landscape: bool = True


@dataclass(frozen=True)
class OfficeDoc:
    lang: str
    org: str  # the issuing body as configured ("UBND tỉnh Bắc Giang")
    place: str  # for the place-and-date line ("Bắc Giang"); "" when it cannot be told
    date: dt.date  # the date on that line
    number: str | None  # "Số:      /BC-UBND", or None (an appendix carries its plan's number)
    kind: str  # "Phụ lục" / "BÁO CÁO"
    title: str  # the name line(s) under the kind
    subtitle: tuple[str, ...]  # italic lines under the title ("(Kèm theo Kế hoạch số …)")
    paragraphs: tuple[str, ...]  # before the first section
    sections: tuple[Section, ...]
    filename: str  # without extension
    appendix: bool  # "Phụ lục" layout (kind in lower case, name in capitals) or a report's
    landscape: bool  # the first page's orientation
