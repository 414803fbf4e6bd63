"""The config file: one schema from which defaults, validation and docs come.

``SCHEMA`` lists every section and key with its type, default and help text.
``load_config`` reads a TOML file, reports every problem at once (file, section,
key, what would be right) and returns an immutable :class:`Config`. Relative
paths resolve against the config file's own directory.
"""

from __future__ import annotations

import datetime as dt
import functools
import ipaddress
import os
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .errors import Problem, ValidationError

DEFAULT_CONFIG = "config/reminderd.toml"
ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")
EMAIL_RE = re.compile(r"^[^@\s<>,;]+@[^@\s<>,;]+\.[^@\s<>,;]+$")
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


@dataclass(frozen=True)
class Key:
    type: str  # str, int, bool, list[str], list[date], path, list[path], time, enum:a|b; T? = optional
    default: Any
    help: str


# One schema for validation, defaults and docs (docs/CONFIG.md is generated from it).
SCHEMA: dict[str, dict[str, Key]] = {
    "organization": {
        "name": Key("str", "UBND tỉnh", "Tên cơ quan, hiện trên lịch, thư và trang web."),
        "timezone": Key("tz", "Asia/Ho_Chi_Minh", "Múi giờ của tổ chức (IANA)."),
        "language": Key("enum:vi|en", "vi", "Ngôn ngữ hiển thị: vi (mặc định) hoặc en."),
    },
    "catalog": {
        "paths": Key("list[path]", ["../calendars"], "Thư mục (mọi *.toml bên trong) hoặc tệp."),
        "all_countries": Key(
            "bool", False,
            "Hiện ngày lễ của mọi nước trong danh mục, kể cả nước không có trong [partners].",
        ),
        "allow_empty": Key(
            "bool", False,
            "Cho phép danh mục không có sự kiện nào (chỉ dùng mục bổ sung trên trang web). Mặc định "
            "danh mục trống là lỗi: thường do sao chép sai hoặc thiếu quyền đọc.",
        ),
    },
    "workdays": {
        "country": Key("str", "VN", "Mã quốc gia của gói holidays (mặc định VN)."),
        "extra_days_off": Key("list[date]", [], "Ngày nghỉ Chính phủ quyết định thêm."),
        "extra_working_days": Key("list[date]", [], "Ngày làm bù (thứ Bảy đi làm)."),
        "confirmed_through": Key(
            "int?", None, "Năm cuối cùng đã có lịch nghỉ chính thức; năm sau là tạm tính."
        ),
    },
    "partners": {},  # tier name → list of ISO country codes; free-form, validated below
    "national_days": {},  # ISO country code → the catalog event chosen as its national day; below
    "database": {
        "url": Key("str", "", "SQLAlchemy URL (mặc định: tệp reminderd.db trong thư mục trạng thái); "
                   "sqlite:///đường/dẫn tương đối theo tệp cấu hình; hoặc postgresql+psycopg://…"),
    },
    "state": {
        "directory": Key("path", "../state", "Thư mục trạng thái (CSDL SQLite, khóa bí mật); tạo với quyền 0700."),
        "key_file": Key(
            "path?", None,
            "Tệp khóa bí mật (ký liên kết xác nhận trong thư, mã CSRF, liên kết lịch riêng trên trang "
            "đăng ký); quyền 0600, không bao giờ nằm trong CSDL. Mặc định: reminderd.key trong thư mục "
            "trạng thái, tự tạo lần chạy đầu. Hai dịch vụ dùng chung CSDL phải có cùng một tệp. Dưới "
            "systemd có thể là credential: \"/run/credentials/reminderd.service/key\" (docs/DEPLOY.md).",
        ),
    },
    "smtp": {
        "transport": Key("enum:auto|smtp|maildir", "auto",
                         "Cách giao thư: `smtp` gửi qua máy chủ SMTP; `maildir` chỉ ghi mỗi thư thành một tệp "
                         "`.eml` trong thư mục `maildir` (không gửi đi; mở được bằng mọi ứng dụng thư); `auto` "
                         "(mặc định): `smtp` nếu cấu hình có khóa `host`, không có thì `maildir`."),
        "host": Key("str", "localhost", "Máy chủ SMTP. Khi `transport = \"auto\"`, đặt khóa này là bật gửi thư "
                    "thật; không đặt thì thư chỉ được ghi vào thư mục `maildir`."),
        "port": Key("int", 587, "Cổng SMTP."),
        "tls": Key("enum:starttls|implicit|none", "starttls", "starttls (mặc định), implicit hoặc none."),
        "user": Key("str", "", "Tên đăng nhập SMTP (để trống: không AUTH)."),
        "password_file": Key("path?", None, "Tệp chứa mật khẩu SMTP."),
        "password_env": Key("str", "", "Biến môi trường chứa mật khẩu SMTP."),
        "sender": Key("str", "Nhắc việc đối ngoại <reminderd@example.gov.vn>", "Địa chỉ gửi."),
        "timeout": Key("int", 30, "Thời gian chờ SMTP (giây): cho mỗi bước, và tổng cho việc mở một kết nối "
                        "(TLS, AUTH) hoặc gửi một thư (MAIL…DATA)."),
        "concurrency": Key("int", 2, "Số kết nối SMTP song song tối đa."),
        "ca_file": Key("path?", None, "Tệp CA để xác thực máy chủ SMTP (mặc định: CA hệ thống)."),
        "validate_certs": Key("bool", True, "Kiểm tra chứng chỉ TLS của máy chủ."),
        "maildir": Key("path?", None, "Thư mục Maildir nhận thư khi không gửi qua SMTP (mặc định: `mail` trong "
                       "thư mục trạng thái); thư mới nằm trong `new/`, mỗi thư một tệp `.eml`."),
    },
    "http": {
        "bind": Key("str", "127.0.0.1:8080", "Địa chỉ:cổng máy chủ HTTP."),
        "base_url": Key("str", "http://127.0.0.1:8080",
                        "URL công khai dùng trong liên kết. Bắt đầu bằng https://: mọi cookie có cờ Secure."),
        "trusted_proxies": Key(
            "list[str]", ["127.0.0.1", "::1"],
            "Địa chỉ (hoặc mạng, vd. \"10.0.0.0/8\") của reverse proxy được tin: chỉ từ đó mới đọc "
            "X-Forwarded-For / X-Forwarded-Proto (địa chỉ người dùng cho việc chặn đăng nhập sai, nhật ký).",
        ),
        "monitoring_addresses": Key(
            "list[str]", ["127.0.0.0/8", "::1"],
            "Địa chỉ hoặc mạng được đọc /metrics và chi tiết /healthz khi gọi thẳng (không qua proxy). "
            "Nơi khác chỉ thấy trạng thái /healthz, trừ người biên tập (đăng nhập hoặc mã biên tập).",
        ),
    },
    "reminders": {
        "send_at": Key("time", "08:00", "Giờ gửi nhắc việc (giờ của tổ chức)."),
        "digest_day": Key("weekday", "monday", "Ngày gửi bản tổng hợp hằng tuần."),
        "enabled": Key("bool", True, "Gửi thư nhắc việc."),
        "ack_link_days": Key("int", 60, "Số ngày liên kết xác nhận hoàn thành còn hiệu lực."),
        "secret_file": Key("path?", None,
                           "Tệp khóa HMAC riêng cho liên kết xác nhận, như các bản cũ (mặc định: để trống, "
                           "khóa suy ra từ [state] key_file)."),
    },
    "feeds": {
        "public": Key("list[str]", [], "Các lịch công khai, không cần mã, ví dụ \"tag/ngay-le\"."),
        "horizon_past_years": Key("int", 1, "Số năm quá khứ trong lịch."),
        "horizon_future_years": Key("int", 2, "Số năm tương lai trong lịch."),
        "refresh_hours": Key("int", 6, "Gợi ý chu kỳ làm mới cho ứng dụng lịch (giờ)."),
        "support_alarms": Key("bool", False,
                              "Lịch của đơn vị có cả lời nhắc (VALARM) cho các việc đơn vị phối hợp, "
                              "không chỉ các việc đơn vị chủ trì."),
    },
    "daemon": {
        "plan_at": Key("time", "07:30", "Giờ chạy lượt lập kế hoạch hằng ngày (trước giờ gửi send_at)."),
        "dispatch_interval": Key("int", 60, "Chu kỳ (giây) kiểm tra hàng đợi thư đến hạn gửi."),
        "shutdown_timeout": Key("int", 20, "Thời gian tối đa (giây) chờ thư đang gửi khi dừng dịch vụ."),
        "dispatch_deadline": Key("int", 120, "Thời gian tối đa (giây) của một lượt gửi: hết giờ thì không bắt "
                                 "đầu gửi thư mới (thư đang gửi thêm tối đa [smtp] timeout); thư còn lại để lượt "
                                 "sau. Máy chủ SMTP chậm hay im lặng không giữ lượt gửi hàng giờ."),
        "pid_file": Key("path?", None,
                        "Tệp PID cho `reminderd reload` (mặc định: reminderd.pid trong thư mục trạng thái)."),
    },
    "logging": {
        "format": Key("enum:keyvalue|json", "keyvalue", "Định dạng nhật ký: keyvalue hoặc json."),
        "level": Key("enum:debug|info|warning|error", "info", "Mức nhật ký."),
    },
    "web": {
        "admin_password_hash": Key("str", "", "Băm mật khẩu quản trị (reminderd admin set-password)."),
        "public_read": Key(
            "bool", True,
            "Ai mở trang cũng xem được lịch tổng quan và cả năm (chỉ xem). Tắt: cần liên kết đơn vị "
            "hoặc đăng nhập.",
        ),
    },
}

DEPARTMENT_KEYS = {
    "id": Key("str", None, "Mã đơn vị: [a-z0-9][a-z0-9-]*"),
    "name": Key("str", None, "Tên đơn vị (tiếng Việt)."),
    "name_en": Key("str", "", "Tên tiếng Anh (tùy chọn)."),
    "email": Key("list[str]", [], "Danh sách địa chỉ thư."),
    "escalate_to": Key("str", "", "Đơn vị nhận thông báo quá hạn (tùy chọn)."),
    "replaced_by": Key(
        "str", "",
        "Đơn vị này đã được sáp nhập vào / thay bằng đơn vị có mã này (tùy chọn): việc, lịch và thư của "
        "đơn vị chuyển sang đơn vị mới; giữ lại mục này (tên cũ) để lịch sử vẫn đọc được tên cũ.",
    ),
}


@dataclass(frozen=True)
class Department:
    id: str
    name: str
    email: tuple[str, ...] = ()
    escalate_to: str | None = None
    name_en: str = ""
    replaced_by: str | None = None  # the department that does its work now (config `replaced_by`)

    def display(self, language: str = "vi") -> str:
        return self.name_en if language == "en" and self.name_en else self.name


@dataclass(frozen=True)
class Config:
    path: Path
    sections: Mapping[str, Mapping[str, Any]]
    departments: tuple[Department, ...]
    partners: Mapping[str, tuple[str, ...]]
    raw: Mapping[str, Any] = field(repr=False, default_factory=dict)
    national_days: Mapping[str, str] = field(default_factory=dict)  # country → chosen event id

    # Convenience accessors for the keys every module reads.
    def get(self, section: str, key: str) -> Any:
        return self.sections[section][key]

    @property
    def language(self) -> str:
        return str(self.get("organization", "language"))

    @property
    def org_name(self) -> str:
        return str(self.get("organization", "name"))

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.get("organization", "timezone"))

    @property
    def catalog_paths(self) -> tuple[Path, ...]:
        return tuple(self.get("catalog", "paths"))

    @property
    def state_dir(self) -> Path:
        return Path(self.get("state", "directory"))

    @property
    def database_url(self) -> str:
        return str(self.get("database", "url"))

    @property
    def department_ids(self) -> frozenset[str]:
        return frozenset(d.id for d in self.departments)

    def department(self, dep_id: str) -> Department:
        for d in self.departments:
            if d.id == dep_id:
                return d
        raise KeyError(dep_id)

    def department_name(self, dep_id: str | None, language: str | None = None) -> str:
        """The department's name for people; its id if the config no longer has it (a row
        planned before the department was renamed or removed), "" for none."""
        if not dep_id:
            return ""
        try:
            return self.department(dep_id).display(language or self.language)
        except KeyError:
            return dep_id

    def current_department(self, dep_id: str) -> str:
        """The department that does ``dep_id``'s work now: itself, or the end of its
        ``replaced_by`` chain (validated acyclic at load)."""
        seen = 0
        while seen < len(self.departments):
            try:
                nxt = self.department(dep_id).replaced_by
            except KeyError:
                return dep_id
            if not nxt:
                return dep_id
            dep_id, seen = nxt, seen + 1
        return dep_id

    @property
    def active_departments(self) -> tuple[Department, ...]:
        """The departments not replaced by another."""
        return tuple(d for d in self.departments if not d.replaced_by)

    def tier_of(self, country: str | None) -> str | None:
        """The partner tier a country belongs to, or None."""
        if not country:
            return None
        for tier, countries in self.partners.items():
            if country in countries:
                return tier
        return None


def parse_iso_date(text: str) -> dt.date:
    """An ISO date; the ValueError says whether the form is wrong or the day does not exist."""
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text.strip()):
        raise ValueError(f"{text!r}: cần ngày dạng YYYY-MM-DD, ví dụ 2025-01-29")
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(f"{text!r}: không có ngày này (tháng 01–12, ngày có thật trong tháng)") from None


def _resolve(base: Path, value: str) -> Path:
    p = Path(os.path.expanduser(value))
    return p if p.is_absolute() else (base / p).resolve()


def _resolve_db_url(base: Path, url: str) -> str:
    """A relative sqlite path resolves against the config file's directory."""
    prefix = "sqlite:///"
    if url.startswith(prefix) and not url.startswith("sqlite:////"):
        rest = url[len(prefix):]
        if rest and rest != ":memory:":
            return prefix + str(_resolve(base, rest))
    return url



def _check_value(typ: str, value: Any, base: Path) -> tuple[Any, str | None]:
    """Return (normalised value, error message or None)."""
    if typ.endswith("?"):
        if value in (None, ""):
            return None, None
        typ = typ[:-1]
    if typ == "str":
        return (value, None) if isinstance(value, str) else (value, "cần một chuỗi")
    if typ == "int":
        ok = isinstance(value, int) and not isinstance(value, bool)
        return (value, None) if ok else (value, "cần một số nguyên")
    if typ == "bool":
        return (value, None) if isinstance(value, bool) else (value, "cần true hoặc false")
    if typ == "path":
        return (_resolve(base, value), None) if isinstance(value, str) else (value, "cần đường dẫn")
    if typ.startswith("enum:"):
        allowed = typ[5:].split("|")
        ok = value in allowed
        return (value, None) if ok else (value, f"cần một trong: {', '.join(allowed)}")
    if typ == "tz":
        try:
            ZoneInfo(str(value))
            return value, None
        except (ZoneInfoNotFoundError, ValueError):
            return value, "múi giờ IANA không hợp lệ, ví dụ \"Asia/Ho_Chi_Minh\""
    if typ == "time":
        if isinstance(value, dt.time):
            return value, None
        try:
            return dt.time.fromisoformat(str(value)), None
        except ValueError:
            return value, "cần giờ dạng \"HH:MM\", ví dụ \"08:00\""
    if typ == "weekday":
        v = str(value).lower()
        return (v, None) if v in WEEKDAYS else (value, f"cần một trong: {', '.join(WEEKDAYS)}")
    if typ.startswith("list["):
        if not isinstance(value, list):
            return value, "cần một danh sách [...]"
        inner = typ[5:-1]
        out = []
        for item in value:
            if inner == "date":
                if isinstance(item, dt.date):
                    out.append(item)
                    continue
                try:
                    out.append(parse_iso_date(str(item)))
                except ValueError as e:
                    return value, str(e)
            else:
                v, err = _check_value(inner, item, base)
                if err:
                    return value, f"{item!r}: {err}"
                out.append(v)
        return out, None
    raise AssertionError(typ)


def load_config(path: str | os.PathLike[str], text: str | None = None) -> Config:
    """Read and validate a config file; raise ValidationError listing every problem.

    ``text``: the file's text, already read (the compiled-catalog cache hashes those bytes)."""
    path = Path(path)
    fname = str(path)
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8") if text is None else text)
    except FileNotFoundError:
        raise ValidationError([Problem(fname, "", "", "không tìm thấy tệp cấu hình")]) from None
    except IsADirectoryError:
        raise ValidationError([Problem(fname, "", "", "đây là một thư mục; --config cần đường dẫn tới "
                                       "tệp cấu hình, ví dụ /etc/reminderd/reminderd.toml")]) from None
    except PermissionError:
        raise ValidationError([Problem(fname, "", "", "không có quyền đọc tệp cấu hình (chạy với người "
                                       "dùng của dịch vụ, hoặc chmod/chown tệp)")]) from None
    except OSError as e:
        raise ValidationError([Problem(fname, "", "", f"không đọc được tệp cấu hình: "
                                       f"{e.strerror or e}")]) from None
    except tomllib.TOMLDecodeError as e:
        raise ValidationError([Problem(fname, "", "", f"TOML không hợp lệ: {e}")]) from None
    except UnicodeDecodeError:
        raise ValidationError([Problem(fname, "", "", "tệp không phải UTF-8")]) from None
    return parse_config(raw, path)


def parse_config(raw: Mapping[str, Any], path: Path) -> Config:
    fname = str(path)
    base = path.resolve().parent
    problems: list[Problem] = []
    sections: dict[str, dict[str, Any]] = {}
    known = set(SCHEMA) | {"department"}
    for name in raw:
        if name not in known:
            problems.append(Problem(fname, f"[{name}]", "", "mục không hợp lệ; các mục hợp lệ: "
                                    + ", ".join(sorted(known))))
    for sec, keys in SCHEMA.items():
        given = raw.get(sec, {})
        if not isinstance(given, dict):
            problems.append(Problem(fname, f"[{sec}]", "", "cần một bảng [mục]"))
            given = {}
        values: dict[str, Any] = {}
        if sec not in ("partners", "national_days"):
            for k in given:
                if k not in keys:
                    problems.append(Problem(fname, f"[{sec}]", k, "khóa không hợp lệ; "
                                            "các khóa hợp lệ: " + ", ".join(keys)))
        for k, spec in keys.items():
            v = given.get(k, spec.default)
            if k in given or spec.type in ("path", "list[path]"):
                v, err = _check_value(spec.type, v, base)
                if err:
                    problems.append(Problem(fname, f"[{sec}]", k, err))
            elif spec.type == "time":
                v = dt.time.fromisoformat(v)
            values[k] = v
        sections[sec] = values

    # [partners]: tier → countries
    partners: dict[str, tuple[str, ...]] = {}
    seen_country: dict[str, str] = {}
    praw = raw.get("partners", {})
    if isinstance(praw, dict):
        for tier, countries in praw.items():
            if not ID_RE.match(tier.replace("_", "-")):
                problems.append(Problem(fname, "[partners]", tier, "tên hạng phải là chữ thường"))
            if not isinstance(countries, list) or not all(isinstance(c, str) for c in countries):
                problems.append(Problem(fname, "[partners]", tier, "cần danh sách mã nước, ví dụ [\"JP\", \"KR\"]"))
                continue
            for c in countries:
                if not re.fullmatch(r"[A-Z]{2}", c) or not _known_country(c):
                    problems.append(Problem(fname, "[partners]", tier,
                                            f"{c!r}: không phải mã nước ISO 3166-1 alpha-2 đã biết "
                                            "(viết hoa, ví dụ \"JP\", \"LA\", \"KR\")"))
                elif c in seen_country:
                    problems.append(Problem(fname, "[partners]", tier,
                                            f"{c} đã có trong hạng {seen_country[c]!r}; mỗi nước chỉ một hạng"))
                else:
                    seen_country[c] = tier
            partners[tier] = tuple(countries)

    # [national_days]: country → event id (the event itself is checked with the catalog)
    national_days: dict[str, str] = {}
    nraw = raw.get("national_days", {})
    if isinstance(nraw, dict):
        for code, eid in nraw.items():
            if not re.fullmatch(r"[A-Z]{2}", code) or not _known_country(code):
                problems.append(Problem(fname, "[national_days]", code,
                                        "cần mã nước ISO 3166-1 alpha-2 viết hoa làm khóa, ví dụ KR = \"…\""))
            elif not isinstance(eid, str) or not ID_RE.match(eid):
                problems.append(Problem(fname, "[national_days]", code,
                                        f"{eid!r}: cần mã sự kiện Quốc khánh trong danh mục, ví dụ "
                                        "\"quoc-khanh-kr-giai-phong\" (xem reminderd countries --alternatives)"))
            else:
                national_days[code] = eid

    # [[department]]
    departments: list[Department] = []
    draw = raw.get("department", [])
    if not isinstance(draw, list):
        problems.append(Problem(fname, "[[department]]", "", "cần một mảng bảng [[department]]"))
        draw = []
    ids: set[str] = set()
    for i, d in enumerate(draw):
        where = f"[[department]] #{i + 1}"
        if not isinstance(d, dict):
            problems.append(Problem(fname, where, "", "cần một bảng"))
            continue
        dep_id = d.get("id")
        if isinstance(dep_id, str):
            where = f"department {dep_id}"
        for k in d:
            if k not in DEPARTMENT_KEYS:
                problems.append(Problem(fname, where, k, "khóa không hợp lệ; các khóa hợp lệ: "
                                        + ", ".join(DEPARTMENT_KEYS)))
        if not isinstance(dep_id, str) or not ID_RE.match(dep_id):
            problems.append(Problem(fname, where, "id", "cần mã dạng [a-z0-9][a-z0-9-]*, ví dụ \"so-ngoai-vu\""))
            continue
        if dep_id in ids:
            problems.append(Problem(fname, where, "id", "mã đơn vị bị trùng"))
        ids.add(dep_id)
        dep_name = d.get("name")
        if not isinstance(dep_name, str) or not dep_name.strip():
            problems.append(Problem(fname, where, "name", "cần tên đơn vị"))
            dep_name = dep_id
        emails = d.get("email", [])
        if isinstance(emails, str):
            emails = [emails]
        if not isinstance(emails, list):
            problems.append(Problem(fname, where, "email", "cần danh sách địa chỉ thư"))
            emails = []
        for e in emails:
            if not isinstance(e, str) or not EMAIL_RE.match(e):
                problems.append(Problem(fname, where, "email", f"{e!r}: địa chỉ thư không hợp lệ"))
        esc = d.get("escalate_to") or None
        rep = d.get("replaced_by") or None
        if rep is not None and not isinstance(rep, str):
            problems.append(Problem(fname, where, "replaced_by", "cần mã một đơn vị khác"))
            rep = None
        departments.append(Department(dep_id, dep_name, tuple(e for e in emails if isinstance(e, str)),
                                      esc if isinstance(esc, str) else None,
                                      str(d.get("name_en", "")), rep))
    for d in departments:
        if d.escalate_to and d.escalate_to not in ids:
            problems.append(Problem(fname, f"department {d.id}", "escalate_to",
                                    f"{d.escalate_to!r} không phải mã đơn vị nào; có: {', '.join(sorted(ids))}"))
        if d.replaced_by and d.replaced_by not in ids:
            problems.append(Problem(fname, f"department {d.id}", "replaced_by",
                                    f"{d.replaced_by!r} không phải mã đơn vị nào; có: {', '.join(sorted(ids))}"))
    by_id = {d.id: d for d in departments}
    for d in departments:  # a chain of replacements must end at a department that still works
        chain, cur = [d.id], d.replaced_by
        while cur and cur in by_id and cur not in chain:
            chain.append(cur)
            cur = by_id[cur].replaced_by
        if cur and cur in chain:
            problems.append(Problem(fname, f"department {d.id}", "replaced_by",
                                    "vòng lặp thay thế: " + " → ".join([*chain, cur])
                                    + "; chuỗi replaced_by phải dừng ở một đơn vị đang hoạt động"))

    # Cross-key checks.
    wdays = sections["workdays"]
    if isinstance(wdays["extra_days_off"], list) and isinstance(wdays["extra_working_days"], list):
        both = sorted(set(wdays["extra_days_off"]) & set(wdays["extra_working_days"]))
        if both:
            problems.append(Problem(fname, "[workdays]", "extra_working_days",
                                    f"{', '.join(map(str, both))} có cả trong extra_days_off; "
                                    "mỗi ngày chỉ thuộc một danh sách"))
    smtp = sections["smtp"]
    if smtp["password_file"] and smtp["password_env"]:
        problems.append(Problem(fname, "[smtp]", "password_file",
                                "chỉ dùng một trong password_file và password_env"))
    for k in ("horizon_past_years", "horizon_future_years", "refresh_hours"):
        if isinstance(sections["feeds"][k], int) and sections["feeds"][k] < 0:
            problems.append(Problem(fname, "[feeds]", k, "cần số không âm"))
    for k in ("dispatch_interval", "shutdown_timeout", "dispatch_deadline"):
        if isinstance(sections["daemon"][k], int) and sections["daemon"][k] <= 0:
            problems.append(Problem(fname, "[daemon]", k, "cần số giây dương, ví dụ 60"))
    for k in ("trusted_proxies", "monitoring_addresses"):
        for item in sections["http"][k] if isinstance(sections["http"][k], list) else []:
            try:
                ipaddress.ip_network(str(item), strict=False)
            except ValueError:
                problems.append(Problem(fname, "[http]", k, f"{item!r}: cần địa chỉ IP hoặc mạng, "
                                        "ví dụ \"127.0.0.1\", \"10.0.0.0/8\", \"::1\""))
    if not re.fullmatch(r"[^\s:]+:\d{1,5}|\[[0-9a-fA-F:]+\]:\d{1,5}", str(sections["http"]["bind"])):
        problems.append(Problem(fname, "[http]", "bind", "cần dạng \"địa-chỉ:cổng\", ví dụ \"127.0.0.1:8080\""))

    if problems:
        raise ValidationError(problems)
    state_dir = sections["state"]["directory"]
    url = sections["database"]["url"] or f"sqlite:///{Path(state_dir) / 'reminderd.db'}"
    sections["database"]["url"] = _resolve_db_url(base, url)
    sections["http"]["base_url"] = str(sections["http"]["base_url"]).rstrip("/")
    cfg = Config(path=path.resolve(), sections=sections, departments=tuple(departments),
                 partners=partners, raw=raw, national_days=national_days)
    # Escalations follow replacements too, resolved once here.
    fixed = tuple(replace(d, escalate_to=cfg.current_department(d.escalate_to)) if d.escalate_to else d
                  for d in departments)
    return replace(cfg, departments=fixed)


def _known_country(code: str) -> bool:
    """A code we can name (the national-day table), or one the `holidays` package knows — asked of
    the package only then: importing it costs more than reading the rest of the config."""
    from .countries import VI

    return code in VI or code in _known_countries()


@functools.lru_cache(maxsize=1)
def _known_countries() -> frozenset[str]:
    """Codes we can name (the national-day table) plus every country `holidays` knows."""
    import holidays

    from .countries import VI

    return frozenset(VI) | frozenset(holidays.list_supported_countries())


def config_path(cli_value: str | None) -> Path:
    """--config, else $REMINDERD_CONFIG, else config/reminderd.toml."""
    return Path(cli_value or os.environ.get("REMINDERD_CONFIG") or DEFAULT_CONFIG)


def mail_transport(cfg: Config) -> str:
    """``"smtp"`` or ``"maildir"``: ``[smtp] transport``, where ``auto`` means SMTP when the
    config file names a ``[smtp] host`` and a local Maildir when it does not."""
    chosen = str(cfg.get("smtp", "transport"))
    if chosen != "auto":
        return chosen
    given = cfg.raw.get("smtp", {})
    return "smtp" if isinstance(given, Mapping) and "host" in given else "maildir"


def maildir_path(cfg: Config) -> Path:
    """Where messages go when they are not sent: ``[smtp] maildir`` or ``<state dir>/mail``."""
    configured = cfg.get("smtp", "maildir")
    return Path(configured) if configured else cfg.state_dir / "mail"


def smtp_password(cfg: Config) -> str | None:
    """The SMTP password from its file or environment variable; never logged."""
    smtp = cfg.sections["smtp"]
    if smtp["password_file"]:
        path = Path(smtp["password_file"])
        try:
            return path.read_text(encoding="utf-8").strip()
        except OSError as e:
            # Still an OSError (the dispatcher retries later and records why), with one line
            # that names the file and the key for the command line.
            hint = (" (dưới systemd tệp này do LoadCredential= tạo; ngoài systemd hãy trỏ tới tệp thật)"
                    if str(path).startswith("/run/credentials/") else "")
            raise OSError(f"{path}: không đọc được tệp mật khẩu SMTP ([smtp] password_file): "
                          f"{e.strerror or e}{hint}") from None
        except UnicodeDecodeError:
            raise OSError(f"{path}: tệp mật khẩu SMTP ([smtp] password_file) không phải UTF-8") from None
    if smtp["password_env"]:
        return os.environ.get(smtp["password_env"])
    return None


def schema_markdown() -> str:
    """docs/CONFIG.md, generated from SCHEMA so the docs cannot drift."""
    lines = ["# Cấu hình / Configuration reference", "",
             "Generated from `reminderd/config.py` by `UPDATE_GOLDEN=1 pytest tests/test_docs.py`; "
             "a test keeps it current. Unknown keys are errors.", ""]
    for sec, keys in SCHEMA.items():
        lines.append(f"## [{sec}]")
        lines.append("")
        if sec == "partners":
            lines.append("Tier name → list of ISO 3166-1 alpha-2 codes, e.g. "
                         "`regular = [\"JP\"]`, `local_cooperation = [\"LA\"]`. A task with "
                         "`tier = \"regular\"` is planned only for countries in that tier.")
            lines.append("")
            continue
        if sec == "national_days":
            lines.append("ISO 3166-1 alpha-2 code → the id of the catalog event the province uses as that "
                         "country's national day, e.g. `KR = \"quoc-khanh-kr-giai-phong\"` (15/8 instead of "
                         "3/10). Without an entry a country's national day is the catalog's default; its "
                         "alternatives (`alternative = true`) make nothing. `reminderd countries "
                         "--alternatives` lists the choices; `reminderd check` refuses an id that is not a "
                         "national-day event of that country. See docs/CATALOG.md.")
            lines.append("")
            continue
        lines.append("| key | type | default | meaning |")
        lines.append("| --- | --- | --- | --- |")
        for k, spec in keys.items():
            lines.append(f"| `{k}` | {spec.type} | `{spec.default!r}` | {spec.help} |")
        lines.append("")
    lines.append("## [[department]]")
    lines.append("")
    lines.append("| key | type | default | meaning |")
    lines.append("| --- | --- | --- | --- |")
    for k, spec in DEPARTMENT_KEYS.items():
        lines.append(f"| `{k}` | {spec.type} | `{spec.default!r}` | {spec.help} |")
    lines.append("")
    return "\n".join(lines)
