"""The editing pages' words (Danh mục, Đối tác, sự kiện, nhập kế hoạch, nhật ký), Vietnamese
first. Kept apart from ``strings.PAGE`` so that these pages and the rest grow independently."""

from __future__ import annotations

from collections.abc import Callable

TEXT: dict[str, tuple[str, str]] = {
    "catalog": ("Danh mục", "Catalog"),
    "audit": ("Nhật ký thay đổi", "Audit trail"),
    "partners": ("Đối tác", "Partners"),
    "import": ("Nhập kế hoạch", "Import a plan"),
    "catalog.intro": ("Danh mục của tỉnh là các tệp cấu hình và danh mục trên máy chủ cùng các thay đổi biên tập "
                      "viên lưu ở đây (đối tác, sửa sự kiện, mục bổ sung, kế hoạch nhập từ tệp). Thay đổi có hiệu "
                      "lực ngay trên lịch, trang và thư nhắc, ghi vào nhật ký, và bỏ được từng cái.",
                      "The province's catalog is the config and catalog files on the server plus the changes "
                      "editors store here (partners, event changes, ad-hoc items, imported plans). Changes apply "
                      "at once to the feeds, the page and the reminders, are recorded in the audit trail, and can "
                      "be undone one by one."),
    "conflicts": ("Thay đổi đã lưu không còn khớp với các tệp (chưa được áp dụng):",
                  "Stored changes that no longer fit the files (not applied):"),
    "redundant": ("Thay đổi đã lưu nay trùng với các tệp (có thể bỏ):",
                  "Stored changes the files now make themselves (can be removed):"),
    "search": ("Tìm sự kiện", "Find an event"),
    "search.hint": ("tên, mã hoặc nước, ví dụ Nhật Bản", "name, id or country, e.g. Japan"),
    "search.go": ("Tìm", "Search"),
    "search.none": ("Không có sự kiện nào khớp.", "No event matches."),
    "search.more": ("Chỉ hiện {n} kết quả đầu; hãy gõ cụ thể hơn.", "Only the first {n} are shown; be more specific."),
    "changed.events": ("Sự kiện đã sửa so với danh mục", "Events changed from the catalog"),
    "changed.none": ("Chưa sửa sự kiện nào.", "No event has been changed."),
    "stored.summary": ("Đang lưu: {partners} thay đổi đối tác, {overrides} thay đổi sự kiện/việc, {items} mục "
                       "bổ sung (trong đó {imported} nhập từ tệp).",
                       "Stored: {partners} partner changes, {overrides} event/task changes, {items} ad-hoc items "
                       "({imported} imported)."),
    "badge.changed": ("đã sửa", "changed"),
    "badge.disabled": ("đã tắt", "disabled"),
    "badge.adhoc": ("mục bổ sung", "ad-hoc"),
    "badge.imported": ("nhập từ tệp", "imported"),
    "badge.added": ("thêm trên trang", "added here"),
    "badge.conflict": ("không khớp tệp", "conflict"),
    # partners
    "partners.intro": ("Hạng đối tác quyết định những việc được lập cho một nước (thư chúc mừng Quốc khánh, kỷ "
                       "niệm quan hệ …). Tệp cấu hình ([partners]) là điểm xuất phát; thay đổi ở đây được lưu và "
                       "áp lên đó.",
                       "A country's partner tier decides which tasks are planned for it (national-day letters, "
                       "relations anniversaries …). The config file's [partners] is the starting point; changes "
                       "made here are stored and laid over it."),
    "tier.tasks": ("Việc của hạng này", "Tasks of this tier"),
    "tier.none": ("(không việc nào trong danh mục dùng hạng này)", "(no catalog task uses this tier)"),
    "col.country": ("Nước", "Country"),
    "col.national_day": ("Quốc khánh {year}", "National day {year}"),
    "col.relations": ("Quan hệ ngoại giao từ", "Relations since"),
    "col.tier": ("Hạng", "Tier"),
    "col.state": ("Nguồn", "Source"),
    "state.file": ("tệp cấu hình", "config file"),
    "state.changed": ("đã đổi (tệp: {file}) — {by}, {at}", "changed (file: {file}) — {by}, {at}"),
    "not_partner": ("không phải đối tác", "not a partner"),
    "save": ("Lưu", "Save"),
    "revert": ("Trở lại như tệp", "Back to the file"),
    "partners.add": ("Thêm một nước", "Add a country"),
    "partners.add.country": ("Nước (tên tiếng Việt hoặc mã, ví dụ Nhật Bản)", "Country (name or code, e.g. Nhật Bản)"),
    "partners.add.tier": ("Vào hạng", "Into tier"),
    "partners.removed": ("Nước đã bỏ khỏi danh sách đối tác trên trang này",
                         "Countries removed from the partners here"),
    "partners.saved": ("Đã lưu: {name} — {tier}.", "Saved: {name} — {tier}."),
    "partners.unknown": ("Không nhận ra nước «{name}»; hãy chọn trong danh sách gợi ý.",
                         "Country «{name}» not recognised; pick one from the suggestions."),
    "partners.none": ("Không có nước nào trong hạng này.", "No country in this tier."),
    # events
    "event.rule": ("Quy tắc ngày", "Date rule"),
    "event.source": ("Nguồn", "Source"),
    "event.file": ("Tệp danh mục", "Catalog file"),
    "event.this_year": ("Năm {year}", "In {year}"),
    "event.no_date": ("không có lần nào trong năm {year}", "no occurrence in {year}"),
    "event.disabled": ("Sự kiện này đã tắt ở tỉnh này ({by}, {at}): không có việc, lịch, thư nào.",
                       "This event is disabled here ({by}, {at}): no tasks, feed items or mail."),
    "event.disable": ("Tắt sự kiện này ở tỉnh này", "Disable this event here"),
    "event.enable": ("Bật lại (như danh mục)", "Enable again (as in the catalog)"),
    "event.inactive": ("Nước {country} không có trong danh sách đối tác: sự kiện không sinh việc. Đổi ở trang Đối tác.",
                       "{country} is not a partner: the event makes no tasks. Change it on the Partners page."),
    "event.adhoc": ("Đây là mục bổ sung; sửa hoặc xóa ở trang Mục bổ sung.",
                    "This is an ad-hoc item; edit or delete it on the Ad-hoc items page."),
    "event.imported": ("Nhập từ tệp: {origin}.", "Imported from: {origin}."),
    "tasks": ("Các việc", "Tasks"),
    "tasks.none": ("Sự kiện này chưa có việc nào; thêm việc ở dưới.", "This event has no task yet; add one below."),
    "task.changed": ("Đã sửa so với danh mục: {what}", "Changed from the catalog: {what}"),
    "task.added": ("Việc thêm trên trang ({by}, {at})", "Task added here ({by}, {at})"),
    "task.revert": ("Trở lại như danh mục", "Back to the catalog"),
    "task.remove": ("Bỏ việc đã thêm", "Remove this added task"),
    "task.tier": ("chỉ cho nước thuộc hạng «{tier}»", "only for countries in the tier «{tier}»"),
    "task.milestone": ("chỉ vào năm tròn", "milestone years only"),
    "task.window": ("Năm {year}: từ {start} đến hạn {due}", "{year}: from {start}, due {due}"),
    "task.add": ("Thêm việc", "Add a task"),
    "f.action": ("Việc phải làm", "Action"),
    # The same words as the ad-hoc form's (strings.PAGE), which asks for the same things.
    "f.lead": ("Làm trước bao lâu", "How long before"),
    "f.lead.hint": ("Ví dụ: 3-5 ngày làm việc (hạn 3, bắt đầu 5 ngày làm việc trước), 10 ngày",
                    "E.g. 3-5 ngày làm việc (due 3, from 5 working days before), 10 ngày (days)"),
    "f.owner": ("Đơn vị chủ trì", "Lead department"),
    "f.support": ("Đơn vị phối hợp", "Coordinating departments"),
    "errors": ("Chưa lưu — hãy sửa:", "Not saved — please fix:"),
    "saved": ("Đã lưu.", "Saved."),
    "history": ("Lịch sử thay đổi", "History"),
    "history.none": ("Chưa có thay đổi nào.", "No changes yet."),
    "col.when": ("Lúc", "When"),
    "col.who": ("Ai", "Who"),
    "col.what": ("Thay đổi", "Change"),
    "col.before": ("Trước", "Before"),
    "col.after": ("Sau", "After"),
    "col.subject": ("Đối tượng", "Subject"),
    # import
    "import.intro": ("Tải lên bảng phụ lục của kế hoạch (.xlsx, .csv hoặc bảng trong .docx) với các cột Nội dung "
                     "(Nhiệm vụ), Thời gian, Đơn vị chủ trì, Đơn vị phối hợp, Ghi chú — hoặc bảng Tên nước, Ngày "
                     "Quốc khánh. Trang cho xem trước mỗi dòng thành việc gì; chưa lưu gì cho đến khi bấm Lưu.",
                     "Upload the plan's appendix table (.xlsx, .csv or a table in .docx) with the columns Nội dung "
                     "(Nhiệm vụ), Thời gian, Đơn vị chủ trì, Đơn vị phối hợp, Ghi chú — or a Tên nước, Ngày Quốc "
                     "khánh table. You see what each row becomes first; nothing is stored until you press Save."),
    "import.file": ("Tệp", "File"),
    "import.year": ("Năm của kế hoạch (để trống: tự nhận)", "The plan's year (empty: detected)"),
    "import.tier": ("Hạng đối tác cho bảng các nước", "Partner tier for a country table"),
    "import.preview": ("Xem trước", "Preview"),
    "import.summary": ("{file} — năm kế hoạch {year}: {new} mới, {exists} đã có, {error} chưa hiểu được, "
                       "{heading} tiêu đề nhóm, {skipped} bỏ qua.",
                       "{file} — plan year {year}: {new} new, {exists} already there, {error} not understood, "
                       "{heading} headings, {skipped} skipped."),
    "import.apply": ("Lưu {n} mục mới", "Save {n} new items"),
    "import.nothing": ("Không có gì mới để lưu: nhập lại tệp này không thay đổi gì.",
                       "Nothing new to store: importing this file again changes nothing."),
    "import.done": ("Đã lưu {events} sự kiện và {partners} đối tác từ {file}.",
                    "Stored {events} events and {partners} partners from {file}."),
    "import.see": ("Xem trong Nhật ký thay đổi", "See them in the audit trail"),
    "import.stale": ("Biểu mẫu xem trước không hợp lệ hoặc đã hết hạn; hãy tải tệp lên lại.",
                     "The preview form is invalid or has expired; upload the file again."),
    "import.nofile": ("Hãy chọn một tệp.", "Choose a file."),
    "status.new": ("Sẽ thêm", "To add"),
    "status.exists": ("Đã có, không đổi", "Already there"),
    "status.error": ("Chưa hiểu được, không thêm", "Not understood, not added"),
    "status.heading": ("Tiêu đề nhóm", "Section headings"),
    "status.skipped": ("Bỏ qua", "Skipped"),
    "row.becomes": ("thành", "becomes"),
    "row.partner": ("đối tác, hạng «{tier}»", "partner, tier «{tier}»"),
    "row.first": ("năm {year}: từ {start} đến hạn {due}", "{year}: from {start}, due {due}"),
    "ignored": ("Bảng bỏ qua", "Tables skipped"),
    # audit
    "audit.intro": ("Mọi thay đổi người dùng làm: đánh dấu hoàn thành, mục bổ sung, đối tác, sửa sự kiện, nhập kế "
                    "hoạch — ai, lúc nào, trước và sau.",
                    "Every change people made: done marks, ad-hoc items, partners, event changes, imports — who, "
                    "when, before and after."),
    "audit.filter": ("Loại", "Kind"),
    "audit.all": ("Tất cả", "All"),
    "kind.ack": ("Đánh dấu hoàn thành", "Done marks"), "kind.adhoc": ("Mục bổ sung", "Ad-hoc items"),
    "kind.partner": ("Đối tác", "Partners"), "kind.override": ("Sửa sự kiện", "Event changes"),
    "kind.import": ("Nhập kế hoạch", "Imports"), "kind.outbox": ("Thư", "Mail"),
    "audit.none": ("Nhật ký trống.", "The trail is empty."),
    "audit.more": ("Hiện {n} mục mới nhất.", "The {n} newest entries."),
    "via.web": ("trang web", "web page"), "via.api": ("API", "API"),
    "via.email": ("liên kết trong thư", "email link"), "via.cli": ("dòng lệnh", "command line"),
    "via.import": ("nhập từ tệp", "import"), "via.system": ("hệ thống", "system"),
}


# The partner tiers the shipped catalog uses, in words (the config's [partners] keys are ids; a
# province's own tier shows as its id).
TIERS: dict[str, tuple[str, str]] = {
    "regular": ("Quan hệ hợp tác thường xuyên", "Regular cooperation"),
    "local_cooperation": ("Có địa phương hợp tác với tỉnh", "Local cooperation with the province"),
}


def tier_name(tier: str, lang: str) -> str:
    words = TIERS.get(tier)
    return tier if words is None else words[1 if lang == "en" else 0]


def translator(lang: str) -> Callable[..., str]:
    i = 1 if lang == "en" else 0

    def E(key: str, **values: object) -> str:
        text = TEXT[key][i]
        return text.format(**values) if values else text

    return E
