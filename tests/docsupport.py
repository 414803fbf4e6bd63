"""Reading the generated office files back: the .docx with python-docx, the .xlsx with openpyxl
(and the .docx once more through LibreOffice's PDF, in test_documents.py)."""

from __future__ import annotations

import io
from dataclasses import dataclass

import docx
from docx.table import Table as DocxTable
from docx.text.paragraph import Paragraph
from openpyxl import load_workbook


@dataclass
class DocxRead:
    paragraphs: list[str]
    tables: list[list[list[str]]]  # table → row → cell text (a merged cell once)
    lines: list[str]  # the whole body in order, tables as "a | b | c" rows
    document: docx.document.Document


def _cells(row) -> list[str]:  # type: ignore[no-untyped-def]
    out, seen = [], set()
    for cell in row.cells:
        if id(cell._tc) in seen:
            continue
        seen.add(id(cell._tc))
        out.append(cell.text)
    return out


def read_docx(data: bytes) -> DocxRead:
    d = docx.Document(io.BytesIO(data))
    paragraphs: list[str] = []
    tables: list[list[list[str]]] = []
    lines: list[str] = []
    for block in d.iter_inner_content():
        if isinstance(block, Paragraph):
            paragraphs.append(block.text)
            if block.text.strip():
                lines.append(block.text)
        elif isinstance(block, DocxTable):
            rows = [_cells(r) for r in block.rows]
            tables.append(rows)
            lines += [" | ".join(c.replace("\n", " / ") for c in r) for r in rows]
    return DocxRead(paragraphs, tables, lines, d)


def table_with(read: DocxRead, *header: str) -> list[list[str]]:
    """The first table whose header row starts with ``header``."""
    for t in read.tables:
        if t and t[0][:len(header)] == list(header):
            return t
    raise AssertionError(f"no table with header {header}; headers: {[t[0] for t in read.tables]}")


def read_xlsx(data: bytes) -> dict[str, list[tuple[object, ...]]]:
    wb = load_workbook(io.BytesIO(data))
    return {ws.title: [tuple(r) for r in ws.iter_rows(values_only=True)] for ws in wb.worksheets}


def xlsx_table(rows: list[tuple[object, ...]], first: str = "STT") -> list[dict[str, object]]:
    """A sheet's table as dicts keyed by its header row (the row that starts with ``first``)."""
    start = next(i for i, r in enumerate(rows) if r and r[0] == first)
    head = [str(h) for h in rows[start]]
    return [dict(zip(head, r, strict=False)) for r in rows[start + 1:] if any(v is not None for v in r)]
