"""What people read when a protection stops them (Vietnamese first, English second)."""

from __future__ import annotations

from ..i18n import lookup

TEXT: dict[str, dict[str, str]] = {
    "throttled": {
        "vi": "Đăng nhập sai quá nhiều lần. Vui lòng thử lại sau {wait}. Nếu có liên kết biên tập riêng "
              "(do người quản trị hệ thống cấp), bạn có thể dùng liên kết đó thay cho mật khẩu.",
        "en": "Too many failed logins. Please try again in {wait}. If you have an editor link (from the "
              "system administrator), you can use it instead of the password."},
    "busy": {
        "vi": "Máy chủ đang kiểm tra nhiều lần đăng nhập cùng lúc. Vui lòng thử lại sau {wait}.",
        "en": "The server is checking many logins at once. Please try again in {wait}."},
    "seconds": {"vi": "{n} giây", "en": "{n} seconds"},
    "second": {"vi": "{n} giây", "en": "{n} second"},
    "minutes": {"vi": "{n} phút", "en": "{n} minutes"},
}


def _wait(lang: str, seconds: int) -> str:
    if seconds < 120:
        return lookup(TEXT, lang, "second" if seconds == 1 else "seconds", n=seconds)
    return lookup(TEXT, lang, "minutes", n=-(-seconds // 60))


def throttle_message(lang: str, status: int, retry_after: int) -> str:
    """The 429 (too many failures) or 503 (too many logins at once) page's sentence."""
    return lookup(TEXT, lang, "busy" if status == 503 else "throttled", wait=_wait(lang, retry_after))
