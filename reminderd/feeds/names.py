"""A feed's name (``all``, ``department/<id>``, ``country/<CC>``, ``tag/<tag>``, in one of two
layouts), the feeds a config and catalog can serve, and the installation's UID domain."""

from __future__ import annotations

import functools
import ipaddress
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal
from urllib.parse import urlsplit

from ..config import Config
from ..plan import event_active
from ..runtime import Runtime

FEED_KINDS = ("all", "department", "country", "tag")
LAYOUTS = ("days", "bars")
_VALUE_RE = {"department": re.compile(r"^[a-z0-9][a-z0-9-]*$"),
             "tag": re.compile(r"^[a-z0-9][a-z0-9-]*$"),
             "country": re.compile(r"^[A-Z]{2}$")}
Role = Literal["owner", "support"]
Entry = Literal["due", "open"]


class FeedNameError(ValueError):
    """A feed name that is not ``all``, ``department/<id>``, ``country/<CC>`` or ``tag/<tag>``."""


@dataclass(frozen=True, order=True)
class FeedName:
    kind: str
    value: str = ""
    layout: str = "days"  # "bars": one entry per task over its whole window (``?layout=bars``)

    def __str__(self) -> str:
        base = self.kind if self.kind == "all" else f"{self.kind}/{self.value}"
        return base if self.layout == "days" else f"{base}?layout={self.layout}"

    @property
    def base(self) -> FeedName:
        """The feed in the default layout: what a token's scope names."""
        return self if self.layout == "days" else FeedName(self.kind, self.value)

    @property
    def scope(self) -> str:
        """The UID suffix: ``all``, ``department-so-ngoai-vu``, ``country-jp``, ``all.bars``."""
        base = "all" if self.kind == "all" else f"{self.kind}-{self.value.lower()}"
        return base if self.layout == "days" else f"{base}.{self.layout}"

    @property
    def path(self) -> str:
        """The short URL path below the token: ``all.ics``, ``department/so-ngoai-vu.ics``."""
        return f"{self.base}.ics"


def parse_feed_name(text: str) -> FeedName:
    """``"department/so-ngoai-vu"`` → FeedName; a clear FeedNameError otherwise."""
    name = text.strip().removesuffix(".ics")
    if name == "all":
        return FeedName("all")
    kind, sep, value = name.partition("/")
    if not sep or kind not in _VALUE_RE:
        raise FeedNameError(f"{text!r}: tên lịch phải là all, department/<mã đơn vị>, "
                            "country/<mã nước>, hoặc tag/<nhãn>, ví dụ \"department/so-ngoai-vu\"")
    if kind == "country":
        value = value.upper()
    if not _VALUE_RE[kind].match(value):
        want = "mã ISO 3166-1 hai chữ cái, ví dụ JP" if kind == "country" else "dạng [a-z0-9][a-z0-9-]*"
        raise FeedNameError(f"{text!r}: {kind} cần {want}")
    return FeedName(kind, value)


def with_layout(name: FeedName, layout: str) -> FeedName:
    if layout not in LAYOUTS:
        raise FeedNameError(f"layout={layout!r}: cần một trong {', '.join(LAYOUTS)}")
    return FeedName(name.kind, name.value, layout)


def available_feeds(runtime: Runtime) -> list[FeedName]:
    """Every feed this config and catalog can serve: all, each department, country and tag."""
    cfg = runtime.config
    events = [e for e in runtime.catalog.events if event_active(e, cfg)]
    names = {FeedName("all")}
    names.update(FeedName("department", d.id) for d in cfg.departments)
    names.update(FeedName("country", e.country) for e in events if e.country)
    names.update(FeedName("tag", tag) for e in events for tag in e.tags)
    return sorted(names)


def public_feeds(runtime: Runtime, names: Sequence[FeedName] | None = None
                 ) -> tuple[set[str], list[str], list[str]]:
    """The config's ``[feeds] public`` names: (valid names, malformed entries, entries that
    match no department, country or tag of this catalog). ``check`` reports both lists."""
    known = {str(n) for n in (available_feeds(runtime) if names is None else names)}
    public: set[str] = set()
    errors: list[str] = []
    for text in runtime.config.get("feeds", "public"):
        try:
            public.add(str(parse_feed_name(text)))
        except ValueError as e:
            errors.append(f"[feeds] public: {e}")
    unmatched = [f"[feeds] public: {p!r}: không có lịch này (không đơn vị, nước hay nhãn nào khớp)"
                 for p in sorted(public - known)]
    return public, errors, unmatched


# ---- the installation's UID domain ---------------------------------------------------------

def _slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text.replace("đ", "d").replace("Đ", "D"))
    ascii_text = ascii_text.encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")[:60] or "reminderd"


@functools.lru_cache(maxsize=64)
def _uid_domain(base_url: str, org: str) -> str:
    host = (urlsplit(base_url).hostname or "").lower().rstrip(".")
    try:
        ipaddress.ip_address(host)
        is_address = True
    except ValueError:
        is_address = False
    if host and "." in host and not is_address and not host.endswith((".localhost", ".local")):
        return host
    # An address or localhost is no name for the installation: two provinces can both run on
    # 10.0.0.5. The organisation's name is theirs alone.
    return f"{_slug(org)}.reminderd"


def uid_domain(runtime: Runtime | Config) -> str:
    """What every UID of this installation ends in (after ``@``): the host of ``[http]
    base_url`` when it is a DNS name, else ``<organisation-name-slug>.reminderd``."""
    cfg = runtime if isinstance(runtime, Config) else runtime.config
    return _uid_domain(str(cfg.get("http", "base_url")), cfg.org_name)
