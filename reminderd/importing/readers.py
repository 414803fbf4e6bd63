"""Reading the tables of a plan appendix: ``.xlsx`` (openpyxl), ``.docx`` (python-docx), ``.csv``.

Every table of the file comes back as rows of text cells, each row with the number a
person finds it under (the spreadsheet's row, the CSV's line, the Word table's row).
Merged cells read as people see them: a cell merged across columns (a section heading)
keeps its text in the first column only; one merged down several rows (a department
leading several tasks) repeats its text in each.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from dataclasses import dataclass, field
from typing import Any

from ..errors import ReminderdError
from .text import cell

SUFFIXES = (".xlsx", ".csv", ".docx")
MAX_BYTES = 10 * 1024 * 1024


class ReadError(ReminderdError):
    """The file cannot be read as a table; the message names the file and says what to do."""


@dataclass
class Table:
    name: str  # the sheet's name, or "bảng 2" for a Word document's second table
    rows: list[tuple[int, list[str]]] = field(default_factory=list)  # (row number, cells)


def read(filename: str, data: bytes) -> list[Table]:
    """Every table in the file, by its extension; ReadError with a one-line reason otherwise."""
    lower = filename.lower()
    if len(data) > MAX_BYTES:
        raise ReadError(f"{filename}: tệp lớn hơn {MAX_BYTES // (1024 * 1024)} MB; một phụ lục kế hoạch "
                        "thường chỉ vài chục KB")
    if lower.endswith(".xls"):
        raise ReadError(f"{filename}: tệp Excel 97–2003 (.xls); hãy mở bằng Excel hoặc LibreOffice và lưu lại "
                        "thành .xlsx")
    if lower.endswith(".doc"):
        raise ReadError(f"{filename}: tệp Word 97–2003 (.doc); hãy lưu lại thành .docx")
    try:
        if lower.endswith(".xlsx"):
            tables = _xlsx(data)
        elif lower.endswith(".docx"):
            tables = _docx(data)
        elif lower.endswith(".csv"):
            tables = [_csv(data, filename)]
        else:
            raise ReadError(f"{filename}: chỉ nhập được tệp .xlsx, .csv hoặc .docx (bảng trong Word)")
    except ReadError:
        raise
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as e:
        kind = "bảng tính Excel" if lower.endswith(".xlsx") else "văn bản Word"
        raise ReadError(f"{filename}: không đọc được tệp như một {kind} ({type(e).__name__}: {e}); "
                        "tệp có bị hỏng, hoặc là định dạng khác mang đuôi này?") from None
    tables = [t for t in tables if any(any(c for c in cells) for _, cells in t.rows)]
    if not tables:
        raise ReadError(f"{filename}: không có bảng nào có nội dung")
    return tables


def _text(value: Any) -> str:
    if isinstance(value, dt.datetime):
        value = value.date() if value.time() == dt.time() else value
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return f"{value.day:02d}/{value.month:02d}/{value.year}"
    return cell(value)


def _xlsx(data: bytes) -> list[Table]:
    import openpyxl

    wb = openpyxl.load_workbook(io.BytesIO(data), data_only=True)  # not read_only: merged ranges
    tables = []
    for ws in wb.worksheets:
        grid: dict[tuple[int, int], str] = {}
        for row in ws.iter_rows():
            for c in row:
                if c.value is not None:
                    grid[(c.row, c.column)] = _text(c.value)
        for rng in ws.merged_cells.ranges:
            top = grid.get((rng.min_row, rng.min_col), "")
            for r in range(rng.min_row, rng.max_row + 1):
                # Across columns: the first column only; down rows: repeated in each row.
                grid[(r, rng.min_col)] = top
                for col in range(rng.min_col + 1, rng.max_col + 1):
                    grid.pop((r, col), None)
        if not grid:
            continue
        ncols = max(c for _, c in grid)
        t = Table(ws.title)
        for r in range(1, max(r for r, _ in grid) + 1):
            t.rows.append((r, [grid.get((r, col), "") for col in range(1, ncols + 1)]))
        tables.append(t)
    wb.close()
    return tables


def _docx(data: bytes) -> list[Table]:
    import docx

    document = docx.Document(io.BytesIO(data))
    tables = []
    for n, table in enumerate(document.tables, 1):
        t = Table(f"bảng {n}")
        for r, row in enumerate(table.rows, 1):
            cells: list[str] = []
            previous: Any = None
            # python-docx gives a cell merged across columns once per column it covers, and one
            # merged down rows as itself in each row (its text repeated, as we want).
            for c in row.cells:
                cells.append("" if c._tc is previous else _text(c.text))
                previous = c._tc
            t.rows.append((r, cells))
        tables.append(t)
    return tables


def _csv(data: bytes, filename: str) -> Table:
    for encoding in ("utf-8-sig", "utf-16", "cp1258"):
        try:
            text = data.decode(encoding)
            if encoding == "utf-16" and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
                continue
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ReadError(f"{filename}: không đọc được chữ trong tệp CSV (cần UTF-8); trong Excel chọn "
                        "\"CSV UTF-8\" khi lưu")
    try:
        dialect: Any = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    t = Table(filename.rsplit("/", 1)[-1])
    reader = csv.reader(io.StringIO(text), dialect)
    for cells in reader:
        t.rows.append((reader.line_num, [cell(c) for c in cells]))
    return t
