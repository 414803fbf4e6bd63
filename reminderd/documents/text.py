"""The documents' words, Vietnamese first (looked up with ``i18n.lookup``).

Vietnamese terms are the ones the provinces' own plans use: "Cơ quan chủ trì", "Cơ quan phối
hợp", "Thời gian thực hiện", "Ghi chú", "Kèm theo Kế hoạch số …".
"""

from __future__ import annotations

from ..i18n import lookup

TEXT: dict[str, dict[str, str]] = {
    # the header blocks (Nghị định 30/2020/NĐ-CP, Phụ lục I)
    "nation": {"vi": "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "en": "SOCIALIST REPUBLIC OF VIET NAM"},
    "motto": {"vi": "Độc lập - Tự do - Hạnh phúc", "en": "Independence - Freedom - Happiness"},
    "number": {"vi": "Số:          /{number}", "en": "No.:          /{number}"},
    # common columns
    "col.stt": {"vi": "STT", "en": "No."},
    "col.country": {"vi": "Nước", "en": "Country"},
    "col.event": {"vi": "Sự kiện", "en": "Occasion"},
    "col.national_day": {"vi": "Ngày Quốc khánh", "en": "National day"},
    "col.date": {"vi": "Ngày", "en": "Date"},
    "col.content": {"vi": "Nội dung nhiệm vụ", "en": "Task"},
    "col.form": {"vi": "Hình thức", "en": "Form"},
    "col.when": {"vi": "Thời gian thực hiện", "en": "When"},
    "col.from": {"vi": "Từ ngày", "en": "From"},
    "col.due": {"vi": "Hạn", "en": "Due"},
    "col.rule": {"vi": "Quy tắc", "en": "Rule"},
    "col.owner": {"vi": "Cơ quan chủ trì", "en": "Lead department"},
    "col.support": {"vi": "Cơ quan phối hợp", "en": "Coordinating departments"},
    "col.note": {"vi": "Ghi chú", "en": "Note"},
    "col.anniversary": {"vi": "Kỷ niệm", "en": "Anniversary"},
    "col.event_id": {"vi": "Mã sự kiện", "en": "Event id"},
    "col.task_id": {"vi": "Mã việc", "en": "Task id"},
    # the plan appendix
    "plan.kind": {"vi": "Phụ lục", "en": "Appendix"},
    "plan.title": {"vi": "CÁC NGÀY LỄ, SỰ KIỆN ĐỐI NGOẠI VÀ NHIỆM VỤ NĂM {year}",
                   "en": "FOREIGN-AFFAIRS OCCASIONS AND TASKS IN {year}"},
    "plan.attached": {"vi": "(Kèm theo Kế hoạch số          /{number} ngày      /     /{year} của {org})",
                      "en": "(Attached to Plan No.          /{number} of      /     /{year} of {org})"},
    "plan.department": {"vi": "Đơn vị: {name} (các nhiệm vụ chủ trì hoặc phối hợp)",
                        "en": "Department: {name} (tasks it leads or coordinates)"},
    "plan.scope": {
        "vi": "Gồm các ngày lễ, sự kiện diễn ra trong năm {year} và nhiệm vụ của từng dịp; thời gian "
              "thực hiện của các dịp đầu năm có thể bắt đầu từ cuối năm {prev}.",
        "en": "The occasions that fall in {year} and the tasks for each; for the first days of the "
              "year the work may start late in {prev}."},
    "plan.provisional": {
        "vi": "Ghi chú: Lịch nghỉ lễ, Tết năm {years} chưa được xác nhận chính thức (cấu hình mới xác nhận "
              "đến năm {through}); thời gian thực hiện ghi \"Tạm tính\" được tính theo lịch nghỉ thường lệ "
              "và có thể thay đổi khi Chính phủ công bố lịch nghỉ.",
        "en": "Note: the {years} public-holiday schedule is not yet confirmed (the configuration confirms "
              "it through {through}); windows marked \"Provisional\" follow the usual holidays and may "
              "change when the Government announces the schedule."},
    "plan.none": {"vi": "Không có nhiệm vụ nào trong năm {year}.", "en": "No tasks in {year}."},
    "plan.sheet": {"vi": "Phụ lục {year}", "en": "Appendix {year}"},
    "provisional": {"vi": "Tạm tính", "en": "Provisional"},
    "group.national": {"vi": "NGÀY QUỐC KHÁNH CÁC NƯỚC", "en": "NATIONAL DAYS"},
    "group.tet": {"vi": "NĂM MỚI, TẾT CỔ TRUYỀN", "en": "NEW YEAR AND LUNAR NEW YEAR"},
    "group.anniversary": {"vi": "NGÀY KỶ NIỆM", "en": "ANNIVERSARIES"},
    "group.events": {"vi": "HỘI NGHỊ, SỰ KIỆN ĐỐI NGOẠI", "en": "CONFERENCES AND EVENTS"},
    "group.reports": {"vi": "BÁO CÁO, KẾ HOẠCH ĐỊNH KỲ", "en": "REPORTS AND PERIODIC PLANS"},
    "sheet.national": {"vi": "Quốc khánh", "en": "National days"},
    "sheet.tet": {"vi": "Năm mới, Tết", "en": "New Year, Tet"},
    "sheet.anniversary": {"vi": "Kỷ niệm", "en": "Anniversaries"},
    "sheet.events": {"vi": "Hội nghị, sự kiện", "en": "Conferences, events"},
    "sheet.reports": {"vi": "Báo cáo định kỳ", "en": "Reports"},
    "ordinal": {"vi": "Kỷ niệm {n} năm", "en": "{n} years"},
    "form.letter": {"vi": "Thư", "en": "Letter"},
    "form.telegram": {"vi": "Điện", "en": "Telegram"},
    "form.card": {"vi": "Thiếp", "en": "Card"},
    "form.visit": {"vi": "Đoàn thăm", "en": "Visit"},
    "lead.wd": {"vi": "{n} ngày làm việc trước", "en": "{n} working days before"},
    "lead.wd1": {"vi": "{n} ngày làm việc trước", "en": "{n} working day before"},
    "lead.d": {"vi": "{n} ngày trước", "en": "{n} days before"},
    "lead.d1": {"vi": "{n} ngày trước", "en": "{n} day before"},
    "lead.0": {"vi": "trong ngày", "en": "on the day"},
    # the results report
    "report.kind": {"vi": "BÁO CÁO", "en": "REPORT"},
    "report.title": {"vi": "Kết quả thực hiện nhiệm vụ đối ngoại từ ngày {start} đến ngày {end}",
                     "en": "Foreign-affairs tasks carried out from {start} to {end}"},
    "report.intro": {
        "vi": "{org} báo cáo kết quả thực hiện các nhiệm vụ đối ngoại có hạn hoàn thành từ ngày {start} "
              "đến ngày {end} như sau:",
        "en": "{org} reports on the foreign-affairs tasks due from {start} to {end}:"},
    "report.summary": {
        "vi": "Tổng số {n} nhiệm vụ: {on_time} hoàn thành đúng hạn, {late} hoàn thành trễ hạn, "
              "{not_done} chưa hoàn thành (trong đó {overdue} đã quá hạn).",
        "en": "{n} tasks in all: {on_time} done on time, {late} done late, {not_done} not done "
              "({overdue} of them overdue)."},
    "report.source": {
        "vi": "Số liệu tổng hợp từ các xác nhận hoàn thành ghi nhận đến ngày {today}. Nhiệm vụ hoàn thành "
              "đúng hạn là nhiệm vụ được xác nhận hoàn thành trước hoặc trong ngày hạn.",
        "en": "Figures from the acknowledgements recorded up to {today}. A task is done on time when it "
              "was marked done on or before its due date."},
    "report.summary.heading": {"vi": "TỔNG HỢP THEO CƠ QUAN CHỦ TRÌ", "en": "TOTALS BY LEAD DEPARTMENT"},
    "report.detail.heading": {"vi": "CHI TIẾT CÁC NHIỆM VỤ", "en": "TASKS IN DETAIL"},
    "report.overdue.heading": {"vi": "CÁC NHIỆM VỤ QUÁ HẠN CHƯA HOÀN THÀNH",
                               "en": "OVERDUE TASKS NOT DONE"},
    "report.overdue.none": {"vi": "Không có nhiệm vụ nào quá hạn.", "en": "No task is overdue."},
    "report.detail.none": {"vi": "Không có nhiệm vụ nào có hạn trong thời gian này.",
                           "en": "No task was due in this period."},
    "report.sheet.summary": {"vi": "Tổng hợp", "en": "Totals"},
    "report.sheet.detail": {"vi": "Chi tiết", "en": "Tasks"},
    "report.sheet.overdue": {"vi": "Quá hạn", "en": "Overdue"},
    "col.department": {"vi": "Cơ quan chủ trì", "en": "Lead department"},
    "col.total": {"vi": "Tổng số nhiệm vụ", "en": "Tasks"},
    "col.on_time": {"vi": "Hoàn thành đúng hạn", "en": "Done on time"},
    "col.late": {"vi": "Hoàn thành trễ hạn", "en": "Done late"},
    "col.not_done": {"vi": "Chưa hoàn thành", "en": "Not done"},
    "col.overdue": {"vi": "Trong đó quá hạn", "en": "Of which overdue"},
    "col.result": {"vi": "Kết quả", "en": "Result"},
    "col.done_at": {"vi": "Ngày hoàn thành", "en": "Done on"},
    "col.done_by": {"vi": "Người xác nhận", "en": "Marked done by"},
    "col.days_late": {"vi": "Số ngày làm việc quá hạn", "en": "Working days overdue"},
    "total": {"vi": "Tổng cộng", "en": "Total"},
    "status.on_time": {"vi": "Hoàn thành đúng hạn", "en": "Done on time"},
    "status.late": {"vi": "Hoàn thành trễ hạn", "en": "Done late"},
    "status.overdue": {"vi": "Quá hạn, chưa hoàn thành", "en": "Overdue, not done"},
    "status.pending": {"vi": "Chưa đến hạn", "en": "Not yet due"},
    "status.late.n": {"vi": "Hoàn thành trễ hạn {n} ngày làm việc", "en": "Done {n} working days late"},
    "status.overdue.n": {"vi": "Quá hạn {n} ngày làm việc, chưa hoàn thành",
                         "en": "Not done, {n} working days overdue"},
    "via.access": {"vi": "liên kết đơn vị", "en": "department link"},
    "via.admin": {"vi": "biên tập", "en": "editor"},
    "via.email": {"vi": "liên kết trong thư", "en": "email link"},
    "via.cli": {"vi": "dòng lệnh", "en": "command line"},
    "via.api": {"vi": "API", "en": "API"},
    "report.department": {"vi": "Đơn vị: {name} (các nhiệm vụ chủ trì hoặc phối hợp)",
                          "en": "Department: {name} (tasks it leads or coordinates)"},
    # file names (without extension)
    "file.plan": {"vi": "Phụ lục kế hoạch năm {year}", "en": "Plan appendix {year}"},
    "file.report": {"vi": "Báo cáo kết quả {start} đến {end}", "en": "Results report {start} to {end}"},
}


def tr(lang: str, key: str, **values: object) -> str:
    return lookup(TEXT, lang, key, **values)
