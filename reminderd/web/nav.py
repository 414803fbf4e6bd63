"""The page header's links, in order: one line each.

To add a page to the menu, add one ``NavLink`` here (its Vietnamese and English label, and
who sees it); ``page_base.html`` draws the list and marks the current page.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..webauth import Session


@dataclass(frozen=True)
class NavLink:
    href: str
    label: tuple[str, str]  # (Vietnamese, English)
    # "all", "editors" (logged-in editors), "department" (a department's link), "signed_in" (either)
    who: str = "all"
    current: str = ""  # the path prefix that marks it as the current page; default: href exactly

    def text(self, lang: str) -> str:
        return self.label[1] if lang == "en" else self.label[0]

    def shown_to(self, session: Session) -> bool:
        if self.who == "editors":
            return session.admin
        if self.who == "department":
            return session.department is not None
        if self.who == "signed_in":
            return not session.anonymous
        return True

    def is_current(self, path: str) -> bool:
        return path.startswith(self.current) if self.current else path == self.href


NAV: list[NavLink] = [
    # What everyone uses first, then the editors' pages; each label is the page's own heading.
    NavLink("/", ("Tổng quan", "Overview")),
    NavLink("/year", ("Cả năm", "Year"), current="/year"),
    NavLink("/subscribe", ("Đăng ký lịch", "Subscribe")),
    NavLink("/documents", ("Văn bản", "Documents"), who="signed_in", current="/documents"),
    NavLink("/adhoc", ("Mục bổ sung", "Ad-hoc items"), who="editors", current="/adhoc"),
    NavLink("/catalog", ("Danh mục", "Catalog"), who="editors", current="/catalog"),
    NavLink("/outbox", ("Hộp thư đi", "Outbox"), who="editors", current="/outbox"),
    NavLink("/audit", ("Nhật ký thay đổi", "Audit trail"), who="editors", current="/audit"),
]
