"""The page's words, Vietnamese (the default) and English. Templates call ``T(key)``.

Kept apart from ``reminderd.i18n`` (the CLI's and mail's table) because only the
page uses them; the CLI's texts that the page reuses (explain lines) come from there.
"""

from __future__ import annotations

from collections.abc import Callable

PAGE: dict[str, tuple[str, str]] = {
    "app": ("Lịch đối ngoại", "Foreign-affairs calendar"),
    "overview": ("Tổng quan", "Overview"),
    "year": ("Cả năm", "Year"),
    "subscribe": ("Đăng ký lịch", "Subscribe"),
    "adhoc": ("Mục bổ sung", "Ad-hoc items"),
    "login": ("Đăng nhập", "Log in"),
    "logout": ("Đăng xuất", "Log out"),
    "departments": ("Đơn vị", "Departments"),
    "all_departments": ("Tất cả đơn vị", "All departments"),
    "signed_in_as": ("Đang dùng với quyền", "Signed in as"),
    "editor": ("biên tập, quản trị", "editor, admin"),
    "via.access": ("liên kết đơn vị", "department link"),
    "viewer": ("chỉ xem", "read-only"),
    "today": ("Hôm nay", "Today"),
    "sec.overdue": ("Quá hạn", "Overdue"),
    "sec.week": ("Hạn trong tuần này", "Due this week"),
    "sec.soon": ("30 ngày tới", "Next 30 days"),
    "sec.done": ("Đã hoàn thành", "Done"),
    "nothing": ("Không có việc nào.", "Nothing here."),
    "event": ("Sự kiện", "Event"),
    "window": ("Thực hiện từ", "Window opens"),
    "due": ("Hạn", "Due"),
    "owner": ("Chủ trì", "Lead"),
    "support": ("Phối hợp", "Coordinating"),
    "provisional": ("tạm tính", "provisional"),
    "how": ("Cách tính ngày", "How the date was found"),
    "mark_done": ("Đánh dấu đã hoàn thành", "Mark as done"),
    "note": ("Ghi chú (tùy chọn)", "Note (optional)"),
    "done_by": ("Đã hoàn thành — {by}, {at}", "Done — {by}, {at}"),
    "role.owner": ("chủ trì", "lead"),
    "role.support": ("phối hợp", "coordinating"),
    "year.title": ("Lịch năm {year}", "The year {year}"),
    "year.legend.events": ("Sự kiện theo nhãn", "Events by tag"),
    "year.legend.tasks": ("Thời gian thực hiện theo đơn vị chủ trì", "Task windows by lead department"),
    "year.legend.days": ("Ngày", "Days"),
    "year.working": ("ngày làm việc", "working day"),
    "year.off": ("ngày nghỉ (cuối tuần, lễ, Tết)", "day off (weekend, holiday, Tết)"),
    "year.holiday": ("ngày lễ", "public holiday"),
    "year.marked": ("{n} ngày có sự kiện", "{n} days with events"),
    "year.tap": ("Bấm vào một ngày để xem sự kiện và việc của ngày đó.",
                 "Tap or click a day to see its events and tasks."),
    "year.empty_day": ("Không có sự kiện hay việc nào.", "No events or tasks."),
    "year.list": ("Danh sách sự kiện trong năm", "The year's events"),
    "weekdays": ("T2 T3 T4 T5 T6 T7 CN", "Mo Tu We Th Fr Sa Su"),
    "months": ("Tháng 1|Tháng 2|Tháng 3|Tháng 4|Tháng 5|Tháng 6|Tháng 7|Tháng 8|Tháng 9|Tháng 10|"
               "Tháng 11|Tháng 12",
               "January|February|March|April|May|June|July|August|September|October|November|December"),
    "sub.intro": ("Thêm các lịch dưới đây vào ứng dụng lịch của bạn; lịch tự cập nhật. Lịch chỉ để xem: "
                  "sửa trong ứng dụng không làm thay đổi kế hoạch.",
                  "Add these calendars to your calendar app; they update themselves. They are read-only: "
                  "changing them in the app does not change the plan."),
    "sub.copy": ("Sao chép", "Copy"),
    "sub.copied": ("Đã sao chép", "Copied"),
    "sub.link_of": ("Liên kết {scheme} của lịch {name}", "{scheme} link of the calendar {name}"),
    "sub.open_app": ("Mở trong ứng dụng lịch", "Open in calendar app"),
    "sub.open_app_of": ("Mở lịch {name} trong ứng dụng lịch", "Open the calendar {name} in the calendar app"),
    "sub.none": ("Không có lịch nào bạn được xem. Hãy mở liên kết đơn vị mà Sở Ngoại vụ gửi.",
                 "There is no feed you may see. Open the department link the foreign-affairs office sent you."),
    "sub.g.mine": ("Lịch của đơn vị tôi", "My department"),
    "sub.g.all": ("Toàn bộ lịch", "Everything"),
    "sub.g.tags": ("Theo nhóm sự kiện", "By kind of event"),
    "sub.g.departments": ("Theo đơn vị", "By department"),
    "sub.g.countries": ("Theo nước", "By country"),
    "sub.intranet.title": ("Máy chủ này chỉ truy cập được trong mạng nội bộ.", "This server is only reachable "
                           "inside the agency's network."),
    "sub.intranet": ("Địa chỉ {base} không truy cập được từ Internet, nên Google Calendar (lấy lịch từ máy chủ "
                     "của Google) không đọc được các lịch này. Outlook trên máy tính, Apple Calendar và "
                     "Thunderbird lấy lịch từ chính máy của bạn, nên dùng được khi máy bạn ở trong mạng "
                     "của cơ quan.",
                     "{base} cannot be reached from the internet, so Google Calendar (which fetches from "
                     "Google's servers) cannot read these calendars. Outlook on a computer, Apple Calendar and "
                     "Thunderbird fetch from your own machine, so they work while it is on the agency's "
                     "network."),
    "sub.howto": ("Cách đăng ký (chỉ đọc)", "How to subscribe (read-only)"),
    "sub.readonly": ("Đăng ký theo cách dưới đây thì lịch chỉ đọc và tự cập nhật; đừng nhập (import) tệp một "
                     "lần, vì tệp nhập không cập nhật.",
                     "Subscribed this way the calendar is read-only and updates itself; do not import the "
                     "file once, an imported file does not update."),
    "sub.thunderbird": ("Lịch → Lịch mới (New Calendar) → Trên mạng (On the Network) → dán liên kết {scheme} "
                        "→ đánh dấu \"Chỉ đọc\" (Read-only) → Tìm lịch → Đăng ký.",
                        "Calendar → New Calendar → On the Network → paste the {scheme} link → tick "
                        "\"Read-only\" → Find Calendars → Subscribe."),
    "sub.outlook": ("Thêm lịch (Add calendar) → Đăng ký từ web (Subscribe from web) → dán liên kết {scheme}, "
                    "đặt tên → Nhập (Import). Lịch đăng ký trong Outlook luôn chỉ đọc.",
                    "Add calendar → Subscribe from web → paste the {scheme} link, name it → Import. "
                    "Subscribed calendars in Outlook are read-only."),
    "sub.apple": ("Tệp (File) → Đăng ký lịch mới (New Calendar Subscription) → dán liên kết {scheme} → "
                  "Đăng ký. Lịch đăng ký là lịch chỉ đọc. Trên iPhone: Cài đặt → Lịch → Tài khoản → Thêm "
                  "tài khoản → Khác → Thêm lịch đã đăng ký.",
                  "File → New Calendar Subscription → paste the {scheme} link → Subscribe. Subscribed "
                  "calendars are read-only. On an iPhone: Settings → Calendar → Accounts → Add Account → "
                  "Other → Add Subscribed Calendar."),
    "sub.apple_webcal": ("Bấm \"Mở trong ứng dụng lịch\"; hoặc Tệp (File) → Đăng ký lịch mới (New Calendar "
                         "Subscription) → dán liên kết {scheme} → Đăng ký. Lịch đăng ký là lịch chỉ đọc.",
                         "Click \"Open in calendar app\"; or File → New Calendar Subscription → paste the "
                         "{scheme} link → Subscribe. Subscribed calendars are read-only."),
    "sub.google": ("Trên máy tính: Lịch khác (Other calendars) → + → Từ URL (From URL) → dán liên kết {scheme} "
                   "→ Thêm lịch. Lịch thêm từ URL là lịch chỉ đọc; Google cập nhật vài giờ một lần.",
                   "On a computer: Other calendars → + → From URL → paste the {scheme} link → Add calendar. "
                   "Calendars added from a URL are read-only; Google refreshes them every few hours."),
    "sub.google.no": ("Máy chủ này chỉ ở trong mạng nội bộ: Google Calendar không dùng được.",
                      "This server is only on the intranet: Google Calendar cannot use it."),
    "sub.google.internet": ("Cần một địa chỉ truy cập được từ Internet (Google lấy lịch từ máy chủ của Google).",
                            "Needs an address reachable from the internet (Google fetches from its own servers)."),
    "feed.all": ("Toàn bộ lịch", "Everything"),
    "feed.department": ("Đơn vị", "Department"),
    "feed.tag": ("Nhóm sự kiện", "Events"),
    "feed.country": ("Nước", "Country"),
    "feed.public": ("công khai", "public"),
    "adhoc.intro": ("Thêm việc mà danh mục không thể biết trước (ví dụ: Đại sứ mới đến chào xã giao). "
                    "Mục được kiểm tra như một mục trong danh mục và có ngay trong lịch và thư nhắc.",
                    "Add what the catalog cannot foresee (e.g. a new ambassador's courtesy call). "
                    "Items are checked like catalog entries and appear at once in feeds and reminders."),
    "adhoc.new": ("Thêm mục mới", "New item"),
    "adhoc.saved": ("Đã lưu mục {id}.", "Saved item {id}."),
    "adhoc.deleted": ("Đã xóa mục {id}.", "Deleted item {id}."),
    "adhoc.errors": ("Chưa lưu được — hãy sửa:", "Not saved — please fix:"),
    "adhoc.delete": ("Xóa", "Delete"),
    "adhoc.existing": ("Các mục bổ sung hiện có", "Current ad-hoc items"),
    "adhoc.bad": ("Mục bổ sung không dùng được (cần sửa):", "Ad-hoc items that cannot be used (fix them):"),
    "f.id": ("Mã (để trống: tự tạo)", "Id (empty: generated)"),
    "f.title": ("Tiêu đề", "Title"),
    "f.date": ("Ngày (YYYY-MM-DD, MM-DD, lunar:MM-DD …)", "Date (YYYY-MM-DD, MM-DD, lunar:MM-DD …)"),
    "f.country": ("Nước (mã ISO, tùy chọn)", "Country (ISO code, optional)"),
    "f.tags": ("Nhãn (cách nhau dấu phẩy)", "Tags (comma-separated)"),
    "f.description": ("Mô tả", "Description"),
    "f.task": ("Việc {n}", "Task {n}"),
    "f.action": ("Việc phải làm", "Action"),
    "f.lead": ("Thời hạn (ví dụ 3-5wd)", "Lead (e.g. 3-5wd)"),
    "f.owner": ("Chủ trì", "Lead department"),
    "f.support": ("Phối hợp", "Coordinating"),
    "f.save": ("Lưu", "Save"),
    "login.user": ("Tên đăng nhập", "Username"),
    "login.password": ("Mật khẩu", "Password"),
    "login.failed": ("Sai tên đăng nhập hoặc mật khẩu.", "Wrong username or password."),
    "login.hint": ("Cán bộ các đơn vị: hãy dùng liên kết riêng của đơn vị mình (không cần mật khẩu).",
                   "Department staff: use your department's own link (no password needed)."),
    "err.forbidden": ("Bạn không có quyền làm việc này.", "You may not do this."),
    "err.notfound": ("Không tìm thấy.", "Not found."),
    "err.csrf": ("Biểu mẫu đã hết hạn; hãy tải lại trang và thử lại.",
                 "The form has expired; reload the page and try again."),
    "err.login": ("Cần đăng nhập hoặc mở liên kết đơn vị để xem trang này.",
                  "Log in or open your department link to see this page."),
    "err.link": ("Liên kết không hợp lệ hoặc đã bị thu hồi.", "This link is invalid or has been revoked."),
    "done.ok": ("Đã ghi nhận hoàn thành: {what}", "Marked as done: {what}"),
    "done.already": ("Việc này đã được đánh dấu hoàn thành trước đó.", "This task was already marked done."),
    "lang.switch": ("English", "Tiếng Việt"),
}


def translator(lang: str) -> Callable[..., str]:
    i = 1 if lang == "en" else 0

    def T(key: str, **values: object) -> str:
        text = PAGE[key][i]
        return text.format(**values) if values else text

    return T
