"""The page's words, Vietnamese (the default) and English. Templates call ``T(key)``.

Kept apart from ``reminderd.i18n`` (the CLI's and mail's table) because only the
page uses them; of the CLI's texts the page reuses only the lead rule in words and the
provisional note.
"""

from __future__ import annotations

from collections.abc import Callable

PAGE: dict[str, tuple[str, str]] = {
    "app": ("Lịch đối ngoại", "Foreign-affairs calendar"),
    "overview": ("Tổng quan", "Overview"),
    "my_work": ("Việc của đơn vị", "My department"),
    "year": ("Cả năm", "Year"),
    "subscribe": ("Đăng ký lịch", "Subscribe"),
    "adhoc": ("Mục bổ sung", "Ad-hoc items"),
    "login": ("Đăng nhập", "Log in"),
    "logout": ("Đăng xuất", "Log out"),
    "menu": ("Trang", "Pages"),
    "departments": ("Đơn vị", "Departments"),
    "department": ("Đơn vị", "Department"),
    "all_departments": ("Tất cả đơn vị", "All departments"),
    "show": ("Xem", "Show"),
    "signed_in_as": ("Đang đăng nhập", "Signed in as"),
    "editor": ("biên tập, quản trị", "editor, admin"),
    "via.access": ("liên kết đơn vị", "department link"),
    "viewer": ("chỉ xem", "read-only"),
    "today": ("Hôm nay", "Today"),
    "sec.now": ("Cần làm trong 7 ngày tới", "To do in the next 7 days"),
    "sec.overdue": ("Quá hạn", "Overdue"),
    "sec.soon": ("Sắp tới (30 ngày)", "Coming up (30 days)"),
    "sec.done": ("Đã hoàn thành", "Done"),
    "sec.now.none": ("Không có việc nào đến hạn trong 7 ngày tới.", "Nothing falls due in the next 7 days."),
    "overdue.more": ("Xem thêm {n} việc quá hạn", "Show more overdue tasks ({n})"),
    "done.show": ("Xem {n} việc đã hoàn thành (60 ngày qua)", "Show the tasks done in the last 60 days ({n})"),
    "nothing": ("Không có việc nào.", "Nothing here."),
    "rel.today": ("Hôm nay", "Today"),
    "rel.tomorrow": ("Ngày mai", "Tomorrow"),
    "rel.in": ("Còn {n} ngày", "In {n} days"),
    "rel.overdue": ("Quá hạn {n} ngày", "{n} days overdue"),
    "rel.opens": ("bắt đầu {date}", "opens {date}"),
    "rel.open": ("đang thực hiện từ {date}", "open since {date}"),
    "event": ("Sự kiện", "Event"),
    "window": ("Thực hiện từ", "Window opens"),
    "due": ("Hạn", "Due"),
    "due_on": ("hạn {date}", "due {date}"),
    "owner": ("Chủ trì", "Lead"),
    "support": ("Phối hợp", "Coordinating"),
    "support_n": ("{n} đơn vị phối hợp", "{n} coordinating"),
    "provisional": ("tạm tính", "provisional"),
    "how": ("Cách tính ngày", "How the date was found"),
    "how.event": ("Ngày sự kiện: {date} ({how}).", "Event date: {date} ({how})."),
    "how.annual": ("hằng năm ngày {dm}", "every year on {dm}"),
    "how.once": ("một lần", "once"),
    "how.lead": ("Thời hạn: {rule}.", "Lead time: {rule}."),
    "how.window": ("Bắt đầu {start}, hạn {due}; chủ trì: {owner}.", "Opens {start}, due {due}; lead: {owner}."),
    "how.skipped": ("Không tính {n} ngày nghỉ trong khoảng đó:", "{n} days off not counted:"),
    "how.skip": ("{date}: {reason}", "{date}: {reason}"),
    "how.weekends": ("{n} ngày Thứ Bảy, Chủ Nhật", "{n} Saturdays and Sundays"),
    "mark_done": ("Đánh dấu đã hoàn thành", "Mark as done"),
    "mark_done_of": ("Đánh dấu đã hoàn thành: {what}", "Mark as done: {what}"),
    "add_note": ("Thêm ghi chú", "Add a note"),
    "note": ("Ghi chú (tùy chọn)", "Note (optional)"),
    "done_by": ("Đã hoàn thành — {by}, {at}", "Done — {by}, {at}"),
    "done_at": ("Đã hoàn thành lúc {at}", "Done at {at}"),
    "done.ok": ("Đã ghi nhận hoàn thành: {what}.", "Marked as done: {what}."),
    "done.undone": ("Đã hoàn tác: {what} chưa hoàn thành; thư nhắc sẽ gửi lại.",
                    "Undone: {what} is open again; reminders resume."),
    "done.already": ("Việc này đã được đánh dấu hoàn thành trước đó.", "This task was already marked done."),
    "undo": ("Hoàn tác", "Undo"),
    "undo_of": ("Hoàn tác: {what}", "Undo: {what}"),
    "role.owner": ("chủ trì", "lead"),
    "role.support": ("phối hợp", "coordinating"),
    "year.title": ("Lịch năm {year}", "The year {year}"),
    "year.legend.events": ("Màu theo nhóm sự kiện", "Colours by kind of event"),
    "year.legend.marks": ("Ký hiệu", "Marks"),
    "year.event": ("sự kiện", "event"),
    "year.window": ("thời gian thực hiện", "time to act"),
    "year.due": ("hạn", "due"),
    "year.working": ("ngày làm việc", "working day"),
    "year.off": ("ngày nghỉ", "day off"),
    "year.holiday": ("ngày lễ, Tết", "public holiday, Tết"),
    "year.marked": ("{n} ngày có sự kiện", "{n} days with events"),
    "year.tap": ("Bấm vào một ngày (hoặc dùng phím Tab và các phím mũi tên) để xem sự kiện và việc của ngày đó.",
                 "Click or tap a day (or use Tab and the arrow keys) to see its events and tasks."),
    "year.empty_day": ("Không có sự kiện hay việc nào.", "No events or tasks."),
    "year.list": ("Danh sách sự kiện trong năm", "The year's events"),
    "year.day.events": ("{n} sự kiện", "{n} events"),
    "year.day.due": ("{n} việc đến hạn", "{n} due"),
    "year.day.open": ("{n} việc đang thực hiện", "{n} in progress"),
    "year.panel.events": ("Sự kiện", "Events"),
    "year.panel.due": ("Đến hạn hôm đó", "Due that day"),
    "year.panel.open": ("Đang thực hiện", "In progress"),
    "year.this_month": ("Tháng này", "This month"),
    "year.prev": ("Năm {year}", "{year}"),
    "weekdays": ("T2 T3 T4 T5 T6 T7 CN", "Mo Tu We Th Fr Sa Su"),
    "weekdays.long": ("Thứ Hai|Thứ Ba|Thứ Tư|Thứ Năm|Thứ Sáu|Thứ Bảy|Chủ Nhật",
                      "Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday"),
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
    "sub.open_app_of": ("Mở trong ứng dụng lịch: {name}", "Open in calendar app: {name}"),
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
    "sub.thunderbird": ("Mở “Liên kết cho Thunderbird” dưới lịch cần đăng ký và sao chép. Trong Thunderbird: "
                        "Lịch → Lịch mới (New Calendar) → Trên mạng (On the Network) → dán vào ô Địa chỉ "
                        "(Location), đánh dấu “Địa chỉ này không cần đăng nhập” (This location doesn't require "
                        "credentials) → Tìm lịch (Find Calendars) → Đăng ký (Subscribe). Lịch hiện đúng tên, có "
                        "dấu khóa: chỉ đọc. Nếu đã dán liên kết {scheme} (kết thúc bằng .ics): bấm chuột phải "
                        "vào lịch → Thuộc tính (Properties) → đánh dấu “Chỉ đọc” (Read-only), nếu không "
                        "Thunderbird sẽ báo lỗi khi bấm “Bỏ qua tất cả” (Dismiss All) nhắc việc.",
                        "Open “Link for Thunderbird” under the calendar and copy it. In Thunderbird: Calendar → "
                        "New Calendar → On the Network → paste it into Location, tick “This location doesn't "
                        "require credentials” → Find Calendars → Subscribe. The calendar shows its name and a "
                        "padlock: read-only. If you paste the {scheme} link (ending in .ics) instead: right-click "
                        "the calendar → Properties → tick “Read-only”, or Thunderbird reports an error when you "
                        "Dismiss All reminders."),
    "sub.tb_link": ("Liên kết cho Thunderbird", "Link for Thunderbird"),
    "sub.tb_link_of": ("Liên kết cho Thunderbird của lịch {name}", "Thunderbird link of the calendar {name}"),
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
    "sub.apple_webcal": ("Bấm “Mở trong ứng dụng lịch”; hoặc Tệp (File) → Đăng ký lịch mới (New Calendar "
                         "Subscription) → dán liên kết {scheme} → Đăng ký. Lịch đăng ký là lịch chỉ đọc.",
                         "Click “Open in calendar app”; or File → New Calendar Subscription → paste the "
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
                    "Mục có ngay trong lịch và thư nhắc.",
                    "Add what the catalog cannot foresee (e.g. a new ambassador's courtesy call). "
                    "Items appear at once in the calendars and reminders."),
    "adhoc.new": ("Thêm mục mới", "New item"),
    "adhoc.edit": ("Sửa mục: {title}", "Edit: {title}"),
    "adhoc.edit_btn": ("Sửa", "Edit"),
    "adhoc.edit_of": ("Sửa {title}", "Edit {title}"),
    "adhoc.saved": ("Đã lưu “{title}”.", "Saved “{title}”."),
    "adhoc.updated": ("Đã sửa “{title}”.", "Updated “{title}”."),
    "adhoc.deleted": ("Đã xóa “{title}”; các việc của mục này không còn trong lịch và thư nhắc.",
                      "Deleted “{title}”; its tasks are gone from the calendars and reminders."),
    "adhoc.errors": ("Chưa lưu được — hãy sửa các ô được đánh dấu.", "Not saved — please fix the marked fields."),
    "adhoc.delete": ("Xóa", "Delete"),
    "adhoc.delete_of": ("Xóa {title}", "Delete {title}"),
    "adhoc.confirm": ("Xóa mục “{title}”?", "Delete “{title}”?"),
    "adhoc.confirm.text": ("Các việc của mục này sẽ không còn trong lịch, trên trang và trong thư nhắc. "
                           "Việc xóa được ghi lại (ai, lúc nào).",
                           "Its tasks will be gone from the calendars, the page and the reminders. "
                           "The deletion is recorded (who, when)."),
    "adhoc.confirm.yes": ("Xóa mục này", "Delete this item"),
    "adhoc.confirm.no": ("Không xóa, quay lại", "Keep it, go back"),
    "adhoc.cancel": ("Hủy sửa", "Cancel"),
    "adhoc.existing": ("Các mục bổ sung hiện có", "Current ad-hoc items"),
    "adhoc.none": ("Chưa có mục nào.", "None yet."),
    "adhoc.bad": ("Mục bổ sung không dùng được (cần sửa):", "Ad-hoc items that cannot be used (fix them):"),
    "adhoc.other": ("Lỗi khác:", "Other problems:"),
    "f.title": ("Tiêu đề", "Title"),
    "f.title.hint": ("Ví dụ: Đại sứ Nhật Bản đến chào xã giao", "E.g. the Japanese Ambassador's courtesy call"),
    "f.date": ("Ngày", "Date"),
    "f.date.hint": ("Ngày/tháng/năm, ví dụ 24/12/2026", "Day/month/year, e.g. 24/12/2026"),
    "f.date.pick": ("Chọn ngày trên lịch", "Pick the date on a calendar"),
    "f.yearly": ("Lặp lại hằng năm", "Every year"),
    "f.lunar": ("Ngày âm lịch (hằng năm)", "Lunar date (every year)"),
    "f.lunar_day": ("Ngày âm lịch", "Lunar day"),
    "f.lunar_month": ("Tháng âm lịch", "Lunar month"),
    "f.lunar_leap": ("tháng nhuận", "leap month"),
    "f.country": ("Nước (tùy chọn)", "Country (optional)"),
    "f.country.hint": ("Gõ tên nước, ví dụ Nhật Bản", "Type the country's name, e.g. Japan"),
    "f.tags": ("Nhóm sự kiện", "Kind of event"),
    "f.description": ("Mô tả (tùy chọn)", "Description (optional)"),
    "f.id": ("Mã (tùy chọn; để trống thì tự tạo từ tiêu đề)", "Id (optional; made from the title if empty)"),
    "f.more": ("Tùy chọn khác", "More options"),
    "f.task": ("Việc {n}", "Task {n}"),
    "f.task.optional": ("Việc {n} (tùy chọn)", "Task {n} (optional)"),
    "f.task.add": ("Thêm việc {n}", "Add task {n}"),
    "f.action": ("Việc phải làm", "Action"),
    "f.lead": ("Làm trước bao lâu", "How long before"),
    "f.lead.hint": ("Ví dụ: 3-5 ngày làm việc (hạn 3, bắt đầu 5 ngày làm việc trước), 10 ngày",
                    "E.g. 3-5 ngày làm việc (due 3, from 5 working days before), 10 ngày (days)"),
    "f.owner": ("Đơn vị chủ trì", "Lead department"),
    "f.owner.choose": ("— chọn đơn vị —", "— choose —"),
    "f.support": ("Đơn vị phối hợp", "Coordinating departments"),
    "f.support.n": ("Đơn vị phối hợp ({n} đã chọn)", "Coordinating departments ({n} chosen)"),
    "f.save": ("Lưu", "Save"),
    "f.save_changes": ("Lưu thay đổi", "Save changes"),
    "fe.title": ("Nhập tiêu đề.", "Enter a title."),
    "fe.date": ("Nhập ngày theo dạng ngày/tháng/năm, ví dụ 24/12/2026.",
                "Enter the date as day/month/year, e.g. 24/12/2026."),
    "fe.date.none": ("Không có ngày {text}.", "There is no such date: {text}."),
    "fe.date.range": ("Năm phải từ 1900 đến 2100.", "The year must be between 1900 and 2100."),
    "fe.date.yearly": ("Nhập ngày và tháng, ví dụ 24/12.", "Enter the day and month, e.g. 24/12."),
    "fe.lunar": ("Chọn ngày và tháng âm lịch.", "Choose the lunar day and month."),
    "fe.country": ("Không biết nước “{text}”; hãy chọn trong danh sách.",
                   "Unknown country “{text}”; choose one from the list."),
    "fe.action": ("Nhập việc phải làm.", "Enter what has to be done."),
    "fe.lead": ("Nhập thời hạn như “3-5 ngày làm việc” hoặc “10 ngày”.",
                "Enter the lead time like “3-5 ngày làm việc” or “10 ngày”."),
    "fe.lead.zero": ("Thời hạn phải từ 0 đến 999 ngày.", "The lead time must be 0 to 999 days."),
    "fe.owner": ("Chọn đơn vị chủ trì.", "Choose the lead department."),
    "fe.support_owner": ("Đơn vị chủ trì không cần chọn lại ở phần phối hợp.",
                         "The lead department need not be chosen as coordinating too."),
    "fe.tasks": ("Cần ít nhất một việc phải làm.", "At least one task is needed."),
    "fe.id": ("Mã chỉ gồm chữ thường không dấu, số và dấu gạch ngang; mã này có thể đã được dùng.",
              "The id takes lowercase letters, digits and hyphens; it may already be in use."),
    "fe.id.taken": ("Mã “{id}” đã được dùng; hãy đổi tiêu đề hoặc nhập mã khác.",
                    "The id “{id}” is already in use; change the title or enter another id."),
    "login.user": ("Tên đăng nhập", "Username"),
    "login.password": ("Mật khẩu", "Password"),
    "login.failed": ("Sai tên đăng nhập hoặc mật khẩu.", "Wrong username or password."),
    "login.hint": ("Cán bộ các đơn vị: hãy dùng liên kết riêng của đơn vị mình (không cần mật khẩu).",
                   "Department staff: use your department's own link (no password needed)."),
    "err.title": ("Lỗi {status}", "Error {status}"),
    "err.home": ("Về trang chủ", "Go to the home page"),
    "err.forbidden": ("Bạn không có quyền làm việc này.", "You may not do this."),
    "err.editors": ("Trang này dành cho biên tập viên: hãy đăng nhập bằng tài khoản biên tập.",
                    "This page is for editors: log in with an editor's account."),
    "err.notfound": ("Không tìm thấy trang này.", "This page does not exist."),
    "err.method": ("Trang này không nhận yêu cầu kiểu đó.", "This page does not accept that kind of request."),
    "err.bad": ("Yêu cầu không hợp lệ.", "The request is not valid."),
    "err.server": ("Máy chủ gặp lỗi; việc bạn làm có thể chưa được lưu. Hãy thử lại sau ít phút; nếu vẫn lỗi, "
                   "báo cho bộ phận quản trị.",
                   "The server ran into an error; what you did may not have been saved. Try again in a few "
                   "minutes; if it persists, tell the administrators."),
    "err.csrf": ("Biểu mẫu đã hết hạn; hãy tải lại trang và thử lại.",
                 "The form has expired; reload the page and try again."),
    "err.login": ("Cần đăng nhập hoặc mở liên kết đơn vị để xem trang này.",
                  "Log in or open your department link to see this page."),
    "err.other_dep": ("Liên kết của đơn vị bạn chỉ xem được việc của đơn vị mình.",
                      "Your department's link shows your own department's work only."),
    "err.link": ("Liên kết không hợp lệ hoặc đã bị thu hồi.", "This link is invalid or has been revoked."),
    "lang.switch": ("English", "Tiếng Việt"),
}


def translator(lang: str) -> Callable[..., str]:
    i = 1 if lang == "en" else 0

    def T(key: str, **values: object) -> str:
        text = PAGE[key][i]
        return text.format(**values) if values else text

    return T
