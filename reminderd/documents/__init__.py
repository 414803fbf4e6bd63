"""The documents the office writes from the plan: the plan appendix for a year and the results
report for a period, as .docx (Vietnamese administrative form) and .xlsx.

``plan_appendix.build`` and ``results_report.build`` make an :class:`~.model.OfficeDoc`
(pure; the report's rows come from the acknowledgements through ``results_report.gather``);
``render`` writes one as either kind of file. ``reminderd document`` and the page's
downloads (``web/documents.py``) both come through here.
"""

from __future__ import annotations

from typing import Literal

from .model import OfficeDoc

Format = Literal["docx", "xlsx"]
FORMATS: tuple[Format, ...] = ("docx", "xlsx")
MEDIA_TYPES: dict[str, str] = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def render(doc: OfficeDoc, fmt: Format) -> bytes:
    """The document as the bytes of a .docx or .xlsx file."""
    if fmt == "docx":
        from .docx_form import render as docx
        return docx(doc)
    from .xlsx import render as xlsx
    return xlsx(doc)
