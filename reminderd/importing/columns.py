"""Which column is which, from the headers a plan's table uses.

Headers vary from plan to plan (*Nội dung / Tên hoạt động / Nhiệm vụ*; *Thời gian / Thời
gian thực hiện / Ngày*; *Đơn vị chủ trì / Chủ trì / Cơ quan chủ trì*; *Đơn vị phối hợp /
Phối hợp*; *Ghi chú*); they are compared without diacritics or case. A country table
(*Tên nước*, *Ngày Quốc khánh*) is recognised too.
"""

from __future__ import annotations

from collections.abc import Sequence

from .text import fold

# In the order they are tried: the more specific first ("thời gian thực hiện" is a time,
# not a "thực hiện" department; "ngày quốc khánh" is not the time column).
HEADERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("national_day", ("ngay quoc khanh", "quoc khanh")),
    ("country", ("ten nuoc", "nuoc", "quoc gia", "doi tac")),
    ("stt", ("stt", "tt", "so tt", "so thu tu")),
    ("time", ("thoi gian", "thoi han", "tien do", "ngay", "moc thoi gian")),
    ("support", ("phoi hop",)),
    ("owner", ("chu tri", "don vi thuc hien", "co quan thuc hien", "don vi", "co quan")),
    ("note", ("ghi chu",)),
    ("content", ("noi dung", "ten hoat dong", "hoat dong", "nhiem vu", "cong viec", "ten su kien", "su kien")),
)
EXACT_ONLY = {"stt", "country"}
MAX_HEADER = 60  # "tt", "nước" only as the whole header, not inside another


def field_of(header: str) -> str | None:
    h = fold(header).strip(" :.")
    if not h:
        return None
    for name, variants in HEADERS:
        for v in variants:
            if h == v or (name not in EXACT_ONLY and (h.startswith(v + " ") or f" {v} " in f" {h} ")):
                return name
    return None


def header(cells: Sequence[str]) -> dict[str, int] | None:
    """{field: column} if ``cells`` is a header row (content with a time or a department, or a
    country with its national day); None otherwise."""
    found: dict[str, int] = {}
    for i, c in enumerate(cells):
        if len(c) > MAX_HEADER:
            continue  # a task's text mentions "hoạt động", "cơ quan" …: headers are short
        name = field_of(c)
        if name is not None and name not in found:
            found[name] = i
    if "content" in found and ("time" in found or "owner" in found):
        return found
    if "country" in found and "national_day" in found:
        return found
    return None


def kind(columns: dict[str, int]) -> str:
    return "countries" if "national_day" in columns and "content" not in columns else "tasks"


def same_header(cells: Sequence[str], head: Sequence[str]) -> bool:
    """``cells`` repeats the header row (a printed table turning a page)."""
    a = [fold(c) for c in cells if c.strip()]
    return bool(a) and a == [fold(c) for c in head if c.strip()]
