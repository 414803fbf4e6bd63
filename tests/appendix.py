"""Plan appendix tables as the provinces wrote them, and writers that make .xlsx, .csv and
.docx files of them (openpyxl, python-docx, csv; LibreOffice for files our readers did not
write). Used by the import tests."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

Rows = list[list[str]]

# Bình Định, Kế hoạch triển khai công tác đối ngoại 2022–2023: Phụ lục "Các nhiệm vụ cụ thể",
# every row as the plan has it (the header repeats where the printed table turns a page).
BD_HEADER = ["STT", "Nội dung nhiệm vụ", "Cơ quan chủ trì\ntham mưu/thực hiện", "Cơ quan phối hợp",
             "Thời gian thực hiện"]
BINH_DINH: Rows = [
    BD_HEADER,
    ["I", "HỢP TÁC VÀ HỘI NHẬP QUỐC TẾ", "", "", ""],
    ["1", "Tổ chức Hội nghị tổng kết, đánh giá kết quả hợp tác giữa tỉnh Bình Định với 4 tỉnh Nam Lào và ký "
          "kết hợp tác giai đoạn 2021 - 2025", "Sở Ngoại vụ",
     "Các sở, ban, ngành, địa phương liên quan của tỉnh và 4 tỉnh Nam Lào", "Quý IV/2022"],
    ["2", "Triển khai thực hiện có hiệu quả các nội dung Thỏa thuận giữa UBND tỉnh Bình Định với Cơ quan Xúc "
          "tiến Thương mại và Đầu tư Hàn Quốc tại Thành phố Hồ Chí Minh (KOTRA Hồ Chí Minh)",
     "Sở Ngoại vụ, Sở Kế hoạch và Đầu tư, Sở Công Thương, Sở Du lịch, Ban Quản lý Khu kinh tế tỉnh",
     "Các sở, ban, ngành và địa phương liên quan", "Năm 2022, 2023 và các năm tiếp theo"],
    ["3", "Triển khai thực hiện có hiệu quả các nội dung thỏa thuận hợp tác hữu nghị với thành phố Izumisano, "
          "Osaka (Nhật Bản); xúc tiến thiết lập mối quan hệ hợp tác và hữu nghị giữa tỉnh Bình Định với thành "
          "phố Incheon (Hàn Quốc) và giữa huyện Vĩnh Thạnh với thị trấn Yoshino, tỉnh Nara (Nhật Bản)",
     "Sở Ngoại vụ", "Các sở, ban, ngành và địa phương liên quan", "Năm 2022, 2023 và các năm tiếp theo"],
    BD_HEADER,
    ["4", "Thực hiện có hiệu quả các dự án hợp tác, các thỏa thuận quốc tế đã ký kết; mở rộng quan hệ và đẩy "
          "mạnh hợp tác với các đối tác, tổ chức quốc tế mới",
     "Sở Ngoại vụ và các cơ quan, đơn vị có dự án, nội dung thỏa thuận hợp tác đã ký kết với đối tác nước ngoài",
     "Các sở, ban, ngành và địa phương liên quan", "Năm 2022 và các năm tiếp theo"],
    ["5", "Tổ chức Hội nghị tổng kết đánh giá công tác PCPNN trên địa bàn tỉnh và gặp mặt đại diện các tổ chức "
          "phi chính phủ nước ngoài tiềm năng đang hoạt động trong nước và tại tỉnh", "Sở Ngoại vụ",
     "Các cơ quan liên quan (thành viên Ban Công tác PCPNN của tỉnh)", "Theo yêu cầu thực hiện nhiệm vụ cụ thể"],
    ["II", "KINH TẾ ĐỐI NGOẠI", "", "", ""],
    ["1", "Xây dựng Chỉ thị của Ban Thường vụ Tỉnh ủy thực hiện Chỉ thị số 15-CT/TW ngày 10/8/2022 của Ban Bí "
          "thư Trung ương Đảng về công tác ngoại giao kinh tế phục vụ phát triển đất nước đến năm 2030 và các "
          "văn bản triển khai thực hiện Chỉ thị của UBND tỉnh", "Sở Ngoại vụ",
     "Sở Kế hoạch và Đầu tư, Sở Công Thương và các sở, ban, ngành liên quan", "Quý IV/2022"],
    ["2", "Tổ chức Hội nghị Xúc tiến đầu tư các doanh nghiệp Đức tại tỉnh", "Sở Ngoại vụ",
     "- Sở Kế hoạch và Đầu tư, Sở Công Thương, Ban Quản lý Khu kinh tế tỉnh và các sở, ban, ngành liên quan\n"
     "- Phòng Thương mại và Công nghiệp Đức tại Việt Nam", "Tháng 11/2022"],
    ["3", "Tổ chức các đoàn xúc tiến đầu tư - thương mại và du lịch tại Hàn Quốc, Nhật Bản, Đức, Úc và một số "
          "nước tiềm năng", "Sở Kế hoạch và Đầu tư, Sở Công Thương, Sở Du lịch",
     "Sở Ngoại vụ và các sở, ban, ngành liên quan", "Quý IV/2022 và các năm tiếp theo"],
    ["4", "Tham mưu đề xuất kết nối thông tin với các tổ chức quốc tế, cơ quan đại diện nước ngoài tại Việt Nam "
          "và các cơ quan đại diện Việt Nam ở nước ngoài để xây dựng mối quan hệ thúc đẩy hoạt động xúc tiến đầu "
          "tư; xúc tiến thương mại; thu hút các nguồn lực phát triển kinh tế - xã hội của tỉnh", "Sở Ngoại vụ",
     "Các sở, ban, ngành liên quan của tỉnh và các cơ quan đại diện Việt Nam ở nước ngoài", "Thường xuyên"],
    ["5", "Tham mưu xây dựng Kế hoạch đoàn ra, đoàn vào hằng năm của tỉnh và các sở, ban, ngành, địa phương "
          "đảm bảo thiết thực, hiệu quả, theo quy định của Đảng và Nhà nước", "Sở Ngoại vụ",
     "Các Sở, ban, ngành và UBND các huyện, thị xã, thành phố", "Hằng năm"],
    ["III", "THÔNG TIN ĐỐI NGOẠI", "", "", ""],
    ["1", "Đẩy mạnh công tác thông tin tuyên truyền, giới thiệu, quảng bá hình ảnh, tiềm năng, thế mạnh, các "
          "thành tựu kinh tế - xã hội và các cơ chế chính sách, dự án kêu gọi đầu tư, xúc tiến thương mại, du "
          "lịch của tỉnh ra nước ngoài", "Sở Ngoại vụ; Sở Thông tin và Truyền thông",
     "Sở Kế hoạch và Đầu tư, Sở Công Thương, Sở Du lịch, Ban Quản lý Khu kinh tế tỉnh và các cơ quan liên quan",
     "Năm 2022, 2023 và các năm tiếp theo"],
    ["2", "Tuyên truyền, giới thiệu chính sách ưu đãi thu hút đầu tư và các chương trình, dự án đầu tư trọng "
          "điểm của tỉnh cho các doanh nghiệp, đối tác nước ngoài đến tỉnh khảo sát, làm việc",
     "Sở Kế hoạch và Đầu tư; Ban Quản lý Khu kinh tế tỉnh", "Sở Ngoại vụ; Sở Thông tin và Truyền thông",
     "Năm 2022, 2023 và các năm tiếp theo"],
    BD_HEADER,
    ["3", "Tổng hợp, cung cấp thông tin, hình ảnh của tỉnh tại các sự kiện, các cuộc họp, tiếp xúc với các tổ "
          "chức, cá nhân nước ngoài; xuất bản Bản tin Đối ngoại Bình Định; đăng tải thông tin trên trang website",
     "Sở Ngoại vụ", "Sở Thông tin và Truyền thông", "Năm 2022, 2023 và các năm tiếp theo"],
    ["4", "Đẩy mạnh công tác tuyên truyền, quán triệt cho ngư dân và doanh nghiệp liên quan thực hiện đầy đủ các "
          "quy định của pháp luật trong lĩnh vực thủy sản",
     "Sở Nông nghiệp và Phát triển nông thôn; UBND các huyện, thị xã, thành phố ven biển",
     "Bộ Chỉ huy Bộ đội Biên phòng tỉnh, Công an tỉnh, Sở Ngoại vụ", "Năm 2022 và các năm tiếp theo"],
    ["5", "Tuyên truyền, giới thiệu các đề xuất dự án kêu gọi viện trợ PCPNN trên địa bàn tỉnh", "Sở Ngoại vụ",
     "Các cơ quan, đơn vị liên quan và UBND các huyện, thị xã, thành phố", "Năm 2022 và các năm tiếp theo"],
    ["6", "Tổ chức phổ biến thông tin về tình hình thế giới, trong nước và hoạt động đối ngoại của Đảng, Nhà nước",
     "Sở Ngoại vụ", "Ban Tuyên giáo Tỉnh ủy", "Năm 2023 và các năm tiếp theo"],
    ["IV", "NGOẠI GIAO VĂN HÓA", "", "", ""],
    ["1", "Tổ chức thực hiện có hiệu quả các nhiệm vụ, hoạt động liên quan theo Kế hoạch số 79/KH-UBND ngày "
          "06/6/2022 của UBND tỉnh thực hiện Chiến lược Ngoại giao văn hóa trên địa bàn tỉnh đến năm 2030",
     "Các sở, ban, ngành, cơ quan liên quan đã được giao nhiệm vụ theo Kế hoạch số 79/KH-UBND", "Sở Ngoại vụ",
     "Theo Kế hoạch số 79/KH-UBND"],
    ["2", "Phối hợp tổ chức các hoạt động liên quan nhân kỷ niệm ngày thiết lập quan hệ ngoại giao giữa Việt Nam "
          "với các nước theo Đề án đã được Thủ tướng Chính phủ phê duyệt", "Sở Ngoại vụ",
     "Các sở, ban, ngành và địa phương liên quan", "Theo Đề án đã được phê duyệt"],
    ["V", "CÔNG TÁC NGƯ DÂN", "", "", ""],
    ["1", "Thực hiện công tác lãnh sự, bảo hộ công dân của tỉnh ở nước ngoài theo quy định pháp luật", "Sở Ngoại vụ",
     "Công an tỉnh, các cơ quan liên quan và Cục Lãnh sự (Bộ Ngoại giao)", "Theo yêu cầu nhiệm vụ cụ thể"],
    ["2", "Theo dõi quản lý tàu cá, ngư dân; chính sách khuyến khích và đãi ngộ ngư dân đánh bắt xa bờ; công tác "
          "tập huấn, tuyên truyền pháp luật, chủ trương, chính sách của Đảng và Nhà nước về chủ quyền biển, đảo; "
          "triển khai hiệu quả các giải pháp chống khai thác hải sản bất hợp pháp, không khai báo và không theo "
          "quy định (IUU)", "Sở Nông nghiệp và Phát triển nông thôn",
     "Bộ Chỉ huy Bộ đội Biên phòng tỉnh, Công an tỉnh, Sở Ngoại vụ, UBND các huyện, thị xã, thành phố ven biển",
     "Năm 2022 và các năm tiếp theo"],
    ["VI", "CÔNG TÁC NGƯỜI VIỆT NAM Ở NƯỚC NGOÀI", "", "", ""],
    ["1", "Tuyên truyền chủ trương của Đảng, chính sách, pháp luật của Nhà nước đối với người Việt Nam ở nước "
          "ngoài tại địa phương; vận động kiều bào và thân nhân kiều bào tham gia đóng góp phát triển quê hương; "
          "tổ chức Hội nghị gặp mặt kiều bào và thân nhân kiều bào nhân dịp Tết cổ truyền và các sự kiện quan "
          "trọng của tỉnh", "Ủy ban MTTQ Việt Nam tỉnh, UBND các huyện, thị xã, thành phố",
     "Sở Ngoại vụ, Công an tỉnh và Liên hiệp các tổ chức hữu nghị tỉnh", "Năm 2022, 2023 và các năm tiếp theo"],
    ["2", "Tổ chức thực hiện hiệu quả các nhiệm vụ theo Kế hoạch số 84/KH-UBND ngày 13/6/2022 của UBND tỉnh triển "
          "khai thực hiện Nghị quyết số 169/NQ-CP của Chính phủ trên địa bàn tỉnh",
     "Các sở, ban, ngành, cơ quan liên quan đã được giao nhiệm vụ theo Kế hoạch số 84/KH-UBND", "Sở Ngoại vụ",
     "Theo Kế hoạch số 84/KH-UBND"],
    ["VII", "CÔNG TÁC ĐÀO TẠO, BỒI DƯỠNG", "", "", ""],
    ["1", "Tổ chức các lớp bồi dưỡng, tập huấn nghiệp vụ lễ tân, bồi dưỡng kiến thức đối ngoại tại tỉnh theo Đề án "
          "đào tạo và bồi dưỡng cán bộ đối ngoại giai đoạn 2021 - 2025 đã được Thủ tướng Chính phủ phê duyệt",
     "Sở Ngoại vụ", "Cục Ngoại vụ, Học Viện Ngoại giao", "Năm 2023 và các năm tiếp theo"],
    ["2", "Đẩy mạnh công tác đào tạo, bồi dưỡng đội ngũ làm công tác ngoại vụ địa phương về đạo đức, chính trị, "
          "kiến thức chuyên môn, kỹ năng nghiệp vụ đối ngoại", "Sở Ngoại vụ",
     "Cục Ngoại vụ, Học Viện Ngoại giao; các sở, ban, ngành liên quan và UBND các huyện, thị xã, thành phố",
     "Năm 2023 và các năm tiếp theo"],
    ["VIII", "CÔNG TÁC THANH TRA", "", "", ""],
    ["", "Thanh tra, kiểm tra việc tuân thủ các quy định pháp luật về ký kết, thực hiện thỏa thuận quốc tế, tổ "
         "chức hội nghị, hội thảo quốc tế và đoàn ra nước ngoài, đón tiếp khách nước ngoài tại các cơ quan, đơn "
         "vị, địa phương", "Sở Ngoại vụ", "Các sở, ban, ngành và UBND các huyện, thị xã, thành phố liên quan",
     "Năm 2023 và các năm tiếp theo"],
]

# Tuyên Quang, Chương trình hoạt động đối ngoại năm 2022: the programme has no table; this is its
# tasks (§III–IV, in its own words) as a clerk would tabulate them — other headers, abbreviated
# department names, and the times clerks write.
TUYEN_QUANG: Rows = [
    ["TT", "Tên hoạt động", "Chủ trì", "Phối hợp", "Thời gian", "Ghi chú"],
    ["1", "Tổ chức Toạ đàm \"Kết nối Tuyên Quang - Hàn Quốc năm 2022\"", "Sở NV",
     "Sở KH&ĐT; Đại sứ quán Hàn Quốc, KOICA, KOTRA", "Năm 2022", "Phối hợp Hiệp hội Doanh nghiệp Hàn Quốc"],
    ["2", "Tổ chức Lễ hội Thành Tuyên gắn với Liên hoan trình diễn di sản văn hóa phi vật thể quốc gia", "Sở VHTTDL",
     "Sở NV", "tháng 9/2022", ""],
    ["3", "Xây dựng kế hoạch cụ thể tổ chức thực hiện Chương trình hoạt động đối ngoại năm 2022 (gửi Sở Ngoại vụ)",
     "Các sở, ban, ngành, UBND huyện, thành phố", "Sở Ngoại vụ", "trước 31/3/2022", ""],
    ["4", "Báo cáo kết quả thực hiện 6 tháng (đồng gửi Sở Ngoại vụ)", "Các sở, ban, ngành", "Sở Ngoại vụ",
     "6 tháng đầu năm", ""],
    ["5", "Tổng hợp tình hình, kết quả thực hiện 6 tháng, báo cáo Ủy ban nhân dân tỉnh", "Sở Ngoại vụ",
     "VP UBND tỉnh", "quý II", ""],
    ["6", "Tổng hợp tình hình, kết quả thực hiện năm, báo cáo Ủy ban nhân dân tỉnh", "sở ngoại vụ",
     "Văn phòng UBND tỉnh", "hằng năm", ""],
    ["7", "Thăm, chúc Tết tỉnh Xiêng Khoảng, tỉnh Phông-sa-lỳ (Lào)", "SỞ NGOẠI VỤ", "VP UBND tỉnh",
     "trước Tết Nguyên đán", ""],
    ["8", "Quản lý hoạt động thông tin, báo chí của phóng viên nước ngoài tại địa phương", "Sở TT&TT",
     "Công an tỉnh", "thường xuyên", ""],
    ["9", "Đón đoàn tỉnh Oita (Nhật Bản) kết nối ký kết thỏa thuận hợp tác", "Sở NV", "Sở VHTTDL", "15/10/2022",
     ""],
    ["10", "Hội nghị quán triệt Quy chế quản lý thống nhất các hoạt động đối ngoại", "Sở Nội vụ", "Sở NV",
     "quý III", ""],
    ["11", "Lập Hồ sơ Khu di sản thiên nhiên Ba Bể - Na Hang đệ trình UNESCO", "Sở VHTTDL", "Sở NV",
     "tháng 13/2022", ""],
]

# Bắc Giang, Kế hoạch thăm, chúc mừng 2024: Phụ lục 01 "Ngày Quốc khánh các nước".
BAC_GIANG_PL01: Rows = [
    ["Stt", "Tên nước", "Ngày Quốc khánh"],
    ["1", "Cu Ba", "01/01"], ["2", "Nhật Bản", "23/02 (Ngày sinh Nhà vua Nhật Bản)"], ["3", "Hà Lan", "30/4"],
    ["4", "Italia", "02/6"], ["5", "Nga", "12/6"], ["6", "Hoa Kỳ", "04/7"], ["7", "Pháp", "14/7"],
    ["8", "Singapore", "09/8"], ["9", "Ấn Độ", "15/8"], ["10", "Hàn Quốc", "15/8"], ["11", "Triều Tiên", "09/9"],
    ["12", "Trung Quốc", "01/10"], ["13", "Lào", "02/12"], ["14", "Thái Lan", "05/12"],
]


def _heading(row: Sequence[str]) -> bool:
    return bool(row[0]) and all(not c for c in row[2:]) and row[1].isupper()


def xlsx(rows: Rows, title: str = "") -> bytes:
    """With openpyxl: headings merged across the row, as printed plans do."""
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Phụ lục"
    offset = 0
    if title:
        ws.append([title])
        ws.append([])
        offset = 2
    for i, row in enumerate(rows, 1 + offset):
        ws.append(list(row))
        if _heading(row):
            ws.merge_cells(start_row=i, start_column=2, end_row=i, end_column=len(row))
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def csv_bytes(rows: Rows, delimiter: str = ",") -> bytes:
    buf = io.StringIO()
    csv.writer(buf, delimiter=delimiter).writerows(rows)
    return buf.getvalue().encode("utf-8-sig")


def docx(rows: Rows, intro: str = "") -> bytes:
    """With python-docx: a document with a paragraph and the table (headings merged)."""
    import docx as python_docx

    d = python_docx.Document()
    if intro:
        d.add_paragraph(intro)
    table = d.add_table(rows=len(rows), cols=len(rows[0]))
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            if text:
                table.cell(r, c).text = text
        if _heading(row):
            table.cell(r, 1).merge(table.cell(r, len(row) - 1))
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def html(rows: Rows) -> str:
    """An HTML table, for LibreOffice to turn into a .docx or .xlsx our readers did not write."""
    import html as h

    out = ["<html><head><meta charset='utf-8'></head><body><p>Phụ lục</p><table border='1'>"]
    for row in rows:
        out.append("<tr>" + "".join(f"<td>{h.escape(c).replace(chr(10), '<br>')}</td>" for c in row) + "</tr>")
    out.append("</table></body></html>")
    return "\n".join(out)
