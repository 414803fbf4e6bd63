#!/usr/bin/env python3
"""Sinh calendars/quoc-khanh.toml, calendars/quan-he-ngoai-giao.toml và reminderd/countries.py từ các bảng bên dưới.

Chạy:  .venv/bin/python tools/gen_national_days.py [--out-dir DIR]   (từ thư mục gốc của repo)

TABLE — Quốc khánh, một dòng một nước, các cột cách nhau bằng "|":
  mã ISO | tên tiếng Việt | dạng ngày | since (YYYY-MM-DD hoặc trống) | tên ngày lễ | ghi chú
Dạng ngày theo docs/CATALOG.md ("MM-DD", "holiday:CC:Name", "rrule:…"). Dòng là quy tắc đang áp dụng; quy tắc cũ
(ngày đã đổi) nằm ở SPLITS. NAMES — tên chính thức. RELATIONS_TABLE — ngày thiết lập quan hệ ngoại giao.
Ghi chú bắt đầu bằng "!" = ngày chưa kiểm chứng được đầy đủ (được liệt kê ở đầu tệp sinh ra).
Các tệp sinh ra là thứ được phát hành; sửa bảng rồi chạy lại lệnh trên, không sửa tay tệp sinh ra.
tests/test_national_days.py kiểm tra rằng các tệp đã phát hành khớp với bảng.
"""
from __future__ import annotations

import argparse
import pathlib
import re
import sys
import warnings
from dataclasses import dataclass

ROOT = pathlib.Path(__file__).resolve().parent.parent

# fmt: off
TABLE = r"""
AF|Áp-ga-ni-xtan|08-19|1919-08-19|Ngày Độc lập|
AL|An-ba-ni|11-28|1912-11-28|Ngày Độc lập (Ngày Quốc kỳ)|
DZ|An-giê-ri|11-01|1954-11-01|Ngày Cách mạng (khởi nghĩa 1/11/1954)|Quốc khánh của An-giê-ri là Ngày Cách mạng 1/11, không phải Ngày Độc lập 5/7.
AD|An-đô-ra|09-08||Ngày Đức Mẹ Meritxell (Quốc khánh)|
AO|Ăng-gô-la|11-11|1975-11-11|Ngày Độc lập|
AG|An-ti-goa và Bác-bu-đa|11-01|1981-11-01|Ngày Độc lập|
AR|Ác-hen-ti-na|05-25|1810-05-25|Ngày Cách mạng tháng Năm|
AM|Ác-mê-ni-a|09-21|1991-09-21|Ngày Độc lập|
AU|Ô-xtrây-li-a|01-26||Ngày nước Úc (Australia Day)|
AT|Áo|10-26|1955-10-26|Quốc khánh (Luật Trung lập 1955)|
AZ|A-déc-bai-gian|05-28|1918-05-28|Ngày Độc lập|
BS|Ba-ha-mát|07-10|1973-07-10|Ngày Độc lập|
BH|Ba-ranh|12-16|1971-12-16|Quốc khánh|
BD|Băng-la-đét|03-26|1971-03-26|Ngày Độc lập và Quốc khánh|
BB|Bác-ba-đốt|11-30|1966-11-30|Ngày Độc lập|
BY|Bê-la-rút|07-03|1944-07-03|Ngày Độc lập (giải phóng Minxcơ)|Từ năm 1997 (trưng cầu ý dân 1996) Ngày Độc lập là 3/7; năm 1991–1996 là 27/7.
BE|Bỉ|07-21|1831-07-21|Quốc khánh|
BZ|Bê-li-xê|09-21|1981-09-21|Ngày Độc lập|
BJ|Bê-nanh|08-01|1960-08-01|Ngày Độc lập|Ngày Độc lập 1/8 là Quốc khánh từ năm 1991 và đến năm 1975; năm 1976–1990 (Cộng hòa Nhân dân Bê-nanh) là 30/11.
BT|Bu-tan|12-17|1907-12-17|Quốc khánh|
BO|Bô-li-vi-a|08-06|1825-08-06|Ngày Độc lập|
BA|Bô-xni-a Héc-dê-gô-vi-na|03-01|1992-03-01|Ngày Độc lập|! Cấp nhà nước không có luật ngày lễ chung; Thực thể Liên bang dùng 1/3 (Ngày Độc lập) và 25/11 (Ngày Nhà nước). Chưa xác minh được ngày Bộ Ngoại giao Việt Nam dùng.
BW|Bốt-xoa-na|09-30|1966-09-30|Ngày Độc lập|
BR|Bra-xin|09-07|1822-09-07|Ngày Độc lập|
BN|Bru-nây|02-23|1984-02-23|Quốc khánh|
BG|Bun-ga-ri|03-03|1878-03-03|Ngày Giải phóng (Quốc khánh)|Từ năm 1990; đến năm 1989 Quốc khánh là 9/9.
BF|Buốc-ki-na Pha-xô|12-11|1958-12-11|Quốc khánh (tuyên bố nền Cộng hòa)|
BI|Bu-run-đi|07-01|1962-07-01|Ngày Độc lập|
CV|Cáp-ve|07-05|1975-07-05|Ngày Độc lập|
KH|Cam-pu-chia|11-09|1953-11-09|Ngày Độc lập (Quốc khánh)|
CM|Ca-mơ-run|05-20|1972-05-20|Quốc khánh (Ngày Thống nhất)|
CA|Ca-na-đa|07-01|1867-07-01|Ngày Ca-na-đa (Quốc khánh)|
CF|Cộng hòa Trung Phi|12-01|1958-12-01|Quốc khánh (Ngày Cộng hòa)|1/12 (tuyên bố nền Cộng hòa 1958); năm 1977–1978 (Đế chế Trung Phi) là 4/12.
TD|Sát|08-11|1960-08-11|Ngày Độc lập|
CL|Chi-lê|09-18|1810-09-18|Quốc khánh|
CN|Trung Quốc|10-01|1949-10-01|Quốc khánh nước Cộng hòa Nhân dân Trung Hoa|
CO|Cô-lôm-bi-a|07-20|1810-07-20|Ngày Độc lập|
KM|Cô-mo|07-06|1975-07-06|Ngày Độc lập|
CG|Cộng hòa Công-gô|08-15|1960-08-15|Ngày Độc lập|
CD|Cộng hòa Dân chủ Công-gô|06-30|1960-06-30|Ngày Độc lập|
CR|Cốt-xta Ri-ca|09-15|1821-09-15|Ngày Độc lập|
CI|Cốt-đi-voa|08-07|1960-08-07|Ngày Độc lập|
HR|Crô-a-ti-a|05-30|1990-05-30|Ngày Nhà nước (phiên họp đầu tiên của Quốc hội đa đảng 30/5/1990)|Luật Ngày lễ của Crô-a-ti-a sửa đổi năm 2019 (hiệu lực 2020) đưa Ngày Nhà nước về 30/5; 2002–2019 là 25/6 (Ngày Độc lập 1991), 1991–2001 là 30/5.
CU|Cu-ba|01-01|1959-01-01|Ngày Chiến thắng của Cách mạng (Quốc khánh)|
CY|Síp|10-01|1960-10-01|Ngày Độc lập|
CZ|Séc|10-28|1918-10-28|Quốc khánh (thành lập nhà nước Tiệp Khắc độc lập)|
KP|Triều Tiên|09-09|1948-09-09|Quốc khánh nước Cộng hòa Dân chủ Nhân dân Triều Tiên|
DK|Đan Mạch|06-05|1849-06-05|Ngày Hiến pháp (Grundlovsdag)|! Đan Mạch không có quốc khánh chính thức; các Đại sứ quán Đan Mạch tổ chức chiêu đãi nhân Ngày Hiến pháp 5/6. Một số danh sách cũ ghi 16/4 (sinh nhật Nữ hoàng Margrethe II, thoái vị 2024).
DJ|Gi-bu-ti|06-27|1977-06-27|Ngày Độc lập|
DM|Đô-mi-ni-ca|11-03|1978-11-03|Ngày Độc lập|
DO|Cộng hòa Đô-mi-ni-ca|02-27|1844-02-27|Ngày Độc lập|
EC|Ê-cu-a-đo|08-10|1809-08-10|Ngày Độc lập (Tiếng hô độc lập đầu tiên)|
EG|Ai Cập|07-23|1952-07-23|Ngày Cách mạng (Quốc khánh)|
SV|En Xan-va-đo|09-15|1821-09-15|Ngày Độc lập|
GQ|Ghi-nê Xích đạo|10-12|1968-10-12|Ngày Độc lập|
ER|Ê-ri-tơ-rê-a|05-24|1991-05-24|Ngày Độc lập|
EE|E-xtô-ni-a|02-24|1918-02-24|Ngày Độc lập|
SZ|E-xoa-ti-ni|09-06|1968-09-06|Ngày Độc lập|
ET|Ê-ti-ô-pi-a|05-28|1991-05-28|Quốc khánh|! Ngày lật đổ chế độ Derg 28/5/1991 (Ginbot 20). Gói holidays không còn coi 28/5 là ngày nghỉ lễ từ năm 2025 (Ê-ti-ô-pi-a bỏ ngày nghỉ này); chưa rõ Quốc khánh dùng trong ngoại giao có đổi không — lãnh đạo Việt Nam gửi điện mừng Quốc khánh Ê-ti-ô-pi-a ngày 28/5 (Cổng TTĐT Chính phủ 2007).
FJ|Phi-gi|10-10|1970-10-10|Ngày Độc lập (Ngày Phi-gi)|
FI|Phần Lan|12-06|1917-12-06|Ngày Độc lập|
FR|Pháp|07-14||Quốc khánh (Ngày phá ngục Bastille 14/7/1789)|
GA|Ga-bông|08-17|1960-08-17|Ngày Độc lập|
GM|Găm-bi-a|02-18|1965-02-18|Ngày Độc lập|
GE|Gru-di-a|05-26|1918-05-26|Ngày Độc lập|
DE|Đức|10-03|1990-10-03|Ngày Thống nhất nước Đức|
GH|Ga-na|03-06|1957-03-06|Ngày Độc lập|
GR|Hy Lạp|03-25|1821-03-25|Ngày Độc lập|
GD|Grê-na-đa|02-07|1974-02-07|Ngày Độc lập|
GT|Goa-tê-ma-la|09-15|1821-09-15|Ngày Độc lập|
GN|Ghi-nê|10-02|1958-10-02|Ngày Độc lập|
GW|Ghi-nê Bít-xao|09-24|1973-09-24|Ngày Độc lập|
GY|Guy-a-na|02-23|1970-02-23|Ngày Cộng hòa (Quốc khánh)|
HT|Ha-i-ti|01-01|1804-01-01|Ngày Độc lập|
HN|Hôn-đu-rát|09-15|1821-09-15|Ngày Độc lập|
HU|Hung-ga-ri|08-20||Quốc khánh (Ngày Thánh Stê-phan, lập quốc)|Hung-ga-ri có ba ngày lễ quốc gia (15/3, 20/8, 23/10); 20/8 là quốc lễ chính (Luật XXXVIII năm 1991, Luật Cơ bản 2011 Điều J) và là ngày lãnh đạo Việt Nam gửi điện mừng Quốc khánh (TTXVN 2021, 2022). Đến năm 1989 Quốc khánh là 4/4 (Ngày Giải phóng); năm 1990 tạm tính theo 20/8.
IS|Ai-xơ-len|06-17|1944-06-17|Quốc khánh (Ngày Cộng hòa)|
IN|Ấn Độ|01-26|1950-01-26|Ngày Cộng hòa (Quốc khánh)|Kế hoạch Bắc Giang 2024 Phụ lục 01 dòng 9 ghi 15/8 (Ngày Độc lập 1947). Quốc khánh mà Ấn Độ và Bộ Ngoại giao Việt Nam dùng để gửi điện mừng là Ngày Cộng hòa 26/1/1950; thư mừng gửi theo 26/1.
ID|In-đô-nê-xi-a|08-17|1945-08-17|Ngày Độc lập (Quốc khánh)|
IR|I-ran|holiday:IR:Islamic Revolution Day|1979-02-11|Ngày Chiến thắng Cách mạng Hồi giáo (22 Bahman)|Theo lịch Hijri mặt trời nên rơi vào 10 hoặc 11/2; lấy ngày từ gói holidays (có từ năm 1980).
IQ|I-rắc|10-03|1932-10-03|Quốc khánh (Ngày Độc lập 3/10/1932)|Từ năm 2020 I-rắc lấy 3/10 làm Quốc khánh (quyết định của Hội đồng Bộ trưởng I-rắc năm 2020); đến năm 2019 là 14/7 (Cách mạng 1958).
IE|Ai-len|03-17||Quốc khánh (Ngày Thánh Patrick)|
IL|I-xra-en|holiday:IL:Independence Day|1948-05-14|Ngày Độc lập|Theo lịch Do Thái (5 Iyar, cuối tháng 4 – giữa tháng 5), dời khi trùng Sa-bát; lấy từ gói holidays (kể cả ngày "observed" khi dời).
IT|I-ta-li-a|06-02|1946-06-02|Ngày Cộng hòa (Quốc khánh)|Từ năm 2001 (Luật 336/2000) lễ lại vào 2/6; năm 1977–2000 lễ vào Chủ nhật đầu tiên của tháng 6. Khớp Kế hoạch Bắc Giang 2024 Phụ lục 01 dòng 4.
JM|Gia-mai-ca|08-06|1962-08-06|Ngày Độc lập|
JP|Nhật Bản|02-23||Ngày sinh Nhà vua Naruhito (Quốc khánh)|Quốc khánh Nhật Bản là Ngày sinh Nhà vua: 23/2 từ năm 2020 (Nhà vua Naruhito); 23/12 năm 1989–2018 (Nhà vua Akihito); 29/4 đến năm 1988 (Nhà vua Chiêu Hòa); năm 2019 không có Ngày sinh Nhà vua, dùng ngày Lễ đăng quang 22/10/2019. Gói holidays chỉ tính đến năm 2099 nên dùng ngày cố định và tách sự kiện theo triều đại. Khớp Kế hoạch Bắc Giang 2024 Phụ lục 01 dòng 2.
JO|Gioóc-đa-ni|05-25|1946-05-25|Ngày Độc lập|
KZ|Ca-dắc-xtan|10-25|1990-10-25|Ngày Cộng hòa (Quốc khánh)|! Từ năm 2022, luật ngày lễ của Ca-dắc-xtan quy định Ngày Cộng hòa 25/10 là quốc lễ chính (national holiday); Ngày Độc lập 16/12 (quốc khánh đến năm 2021) chuyển thành ngày lễ nhà nước. Chưa xác minh Bộ Ngoại giao Việt Nam đã chuyển sang 25/10 hay vẫn dùng 16/12.
KE|Kê-ni-a|12-12|1963-12-12|Ngày Độc lập (Jamhuri)|
KI|Ki-ri-ba-ti|07-12|1979-07-12|Ngày Độc lập|
KW|Cô-oét|02-25||Quốc khánh|
KG|Cư-rơ-gư-xtan|08-31|1991-08-31|Ngày Độc lập|
LA|Lào|12-02|1975-12-02|Quốc khánh nước Cộng hòa Dân chủ Nhân dân Lào|
LV|Lát-vi-a|11-18|1918-11-18|Ngày tuyên bố nền Cộng hòa (Quốc khánh)|
LB|Li-băng|11-22|1943-11-22|Ngày Độc lập|
LS|Lê-xô-thô|10-04|1966-10-04|Ngày Độc lập|
LR|Li-bê-ri-a|07-26|1847-07-26|Ngày Độc lập|
LY|Li-bi|12-24|1951-12-24|Ngày Độc lập|! Sau năm 2011, Li-bi có cả 17/2 (Ngày Cách mạng) và 24/12 (Ngày Độc lập); chưa xác minh được ngày Bộ Ngoại giao Việt Nam dùng. Năm 1970–2011 Quốc khánh là 1/9 (Cách mạng 1969).
LI|Lích-ten-xtanh|08-15||Quốc khánh|
LT|Lít-va|02-16|1918-02-16|Ngày Khôi phục Nhà nước (Quốc khánh)|
LU|Lúc-xăm-bua|06-23||Quốc khánh (Ngày sinh chính thức của Đại Công tước)|
MG|Ma-đa-ga-xca|06-26|1960-06-26|Ngày Độc lập|
MW|Ma-la-uy|07-06|1964-07-06|Ngày Độc lập|
MY|Ma-lai-xi-a|08-31|1957-08-31|Quốc khánh (Hari Merdeka)|
MV|Man-đi-vơ|07-26|1965-07-26|Ngày Độc lập|
ML|Ma-li|09-22|1960-09-22|Ngày Độc lập|
MT|Man-ta|09-21|1964-09-21|Ngày Độc lập|
MH|Quần đảo Mác-san|05-01|1979-05-01|Ngày Hiến pháp (Quốc khánh)|
MR|Mô-ri-ta-ni|11-28|1960-11-28|Ngày Độc lập|
MU|Mô-ri-xơ|03-12|1968-03-12|Ngày Độc lập và Ngày Cộng hòa|
MX|Mê-hi-cô|09-16|1810-09-16|Ngày Độc lập|
FM|Mi-crô-nê-xi-a|05-10|1979-05-10|Ngày Hiến pháp (Quốc khánh)|
MD|Môn-đô-va|08-27|1991-08-27|Ngày Độc lập|
MC|Mô-na-cô|11-19||Quốc khánh (Ngày Thân vương)|
MN|Mông Cổ|07-11|1921-07-11|Quốc khánh (Ngày Cách mạng Nhân dân, lễ hội Naadam)|
ME|Môn-tê-nê-grô|07-13|1878-07-13|Ngày Nhà nước|! Môn-tê-nê-grô có Ngày Độc lập 21/5 (2006) và Ngày Nhà nước 13/7 (nhiều nước gửi điện mừng quốc khánh vào 13/7); chưa xác minh được ngày Bộ Ngoại giao Việt Nam dùng.
MA|Ma-rốc|07-30|1999-07-30|Ngày Lên ngôi (Quốc khánh)|Ngày Lên ngôi của Quốc vương đương vị: 30/7 từ năm 2000 (Quốc vương Mohammed VI lên ngôi 23/7/1999); 3/3 năm 1962–1999 (Quốc vương Hassan II); 18/11 trước đó (Quốc vương Mohammed V).
MZ|Mô-dăm-bích|06-25|1975-06-25|Ngày Độc lập|
MM|Mi-an-ma|01-04|1948-01-04|Ngày Độc lập|
NA|Na-mi-bi-a|03-21|1990-03-21|Ngày Độc lập|
NR|Nau-ru|01-31|1968-01-31|Ngày Độc lập|
NP|Nê-pan|holiday:NP:Constitution Day|2015-09-20|Ngày Hiến pháp (Quốc khánh)|Theo lịch Bikram Sambat (mồng 3 tháng Asoj), rơi vào 19 hoặc 20/9; lấy từ gói holidays, vốn chỉ có lịch này đến năm 2032. Từ năm 2033 tạm dùng 20/9 (có thể lệch một ngày) cho đến khi gói holidays có thêm năm.
NL|Hà Lan|holiday:NL:King's Day||Ngày Nhà vua (Koningsdag, Quốc khánh)|Từ năm 2014 là Ngày Nhà vua 27/4 (sinh nhật Vua Willem-Alexander), dời sang 26/4 khi 27/4 là Chủ nhật; lấy từ gói holidays. Đến năm 2013 là Ngày Nữ hoàng (Koninginnedag) 30/4 — đó là ngày Kế hoạch Bắc Giang 2024 Phụ lục 01 dòng 3 còn ghi.
NZ|Niu Di-lân|02-06|1840-02-06|Ngày Waitangi (Quốc khánh)|
NI|Ni-ca-ra-goa|09-15|1821-09-15|Ngày Độc lập|
NE|Ni-giê|12-18|1958-12-18|Quốc khánh (Ngày Cộng hòa)|
NG|Ni-giê-ri-a|10-01|1960-10-01|Ngày Độc lập|
MK|Bắc Ma-xê-đô-ni-a|09-08|1991-09-08|Ngày Độc lập|
NO|Na Uy|05-17|1814-05-17|Ngày Hiến pháp (Quốc khánh)|
OM|Ô-man|11-20||Quốc khánh|Từ năm 2020 (Quốc vương Haitham) Quốc khánh Ô-man là 20/11 (trước đó 18/11, sinh nhật Quốc vương Qaboos); ngày nghỉ lễ có thể được dời, ngày kỷ niệm vẫn là 20/11.
PK|Pa-ki-xtan|03-23|1940-03-23|Ngày Pa-ki-xtan (Quốc khánh)|
PW|Pa-lau|07-09|1979-07-09|Ngày Hiến pháp|! Pa-lau còn có Ngày Độc lập 1/10 (1994); chưa xác minh được ngày Bộ Ngoại giao Việt Nam dùng.
PS|Nhà nước Pa-le-xtin|11-15|1988-11-15|Ngày Độc lập (Tuyên ngôn Độc lập 1988)|
PA|Pa-na-ma|11-03|1903-11-03|Ngày Độc lập (tách khỏi Cô-lôm-bi-a)|
PG|Pa-pua Niu Ghi-nê|09-16|1975-09-16|Ngày Độc lập|
PY|Pa-ra-goay|05-14|1811-05-14|Ngày Độc lập|
PE|Pê-ru|07-28|1821-07-28|Ngày Độc lập|
PH|Phi-líp-pin|06-12|1898-06-12|Ngày Độc lập|
PL|Ba Lan|05-03|1791-05-03|Quốc khánh (Ngày Hiến pháp 3/5)|Ba Lan có hai ngày: 3/5 (Hiến pháp 1791, khôi phục làm quốc lễ từ năm 1990; ngày nhiều nước gửi điện mừng Quốc khánh) và 11/11 (Ngày Độc lập 1918, các hội hữu nghị tại Việt Nam cũng kỷ niệm). Đến năm 1989 Quốc khánh là 22/7 (điện mừng của Chủ tịch Hồ Chí Minh ngày 22/7/1954).
PT|Bồ Đào Nha|06-10||Quốc khánh (Ngày Bồ Đào Nha)|
QA|Ca-ta|12-18|1878-12-18|Quốc khánh|Từ năm 2007 Ca-ta kỷ niệm Quốc khánh 18/12 (ngày Sheikh Jassim bin Mohammed lên cầm quyền 1878); đến năm 2006 là 3/9 (Ngày Độc lập 1971).
KR|Hàn Quốc|10-03||Ngày Lập quốc (Gaecheonjeol, Quốc khánh)|Kế hoạch Bắc Giang 2024 Phụ lục 01 dòng 10 ghi 15/8: đó là Ngày Giải phóng (Gwangbokjeol). Quốc khánh chính thức của Đại Hàn Dân Quốc mà các cơ quan đại diện Hàn Quốc kỷ niệm và đoàn ngoại giao chúc mừng là Ngày Lập quốc 3/10.
RO|Ru-ma-ni|12-01|1918-12-01|Ngày Đại Đoàn kết (Quốc khánh)|Từ năm 1990 (Luật số 10/1990); đến năm 1989 Quốc khánh là 23/8.
RU|Nga|06-12|1990-06-12|Ngày nước Nga (Quốc khánh)|
RW|Ru-an-đa|07-01|1962-07-01|Ngày Độc lập|! Ru-an-đa còn có Ngày Giải phóng 4/7 (Kwibohora), được nhiều Đại sứ quán Ru-an-đa dùng làm ngày chiêu đãi; chưa xác minh.
KN|Xanh Kít và Nê-vít|09-19|1983-09-19|Ngày Độc lập|
LC|Xanh Lu-xi-a|02-22|1979-02-22|Ngày Độc lập|
VC|Xanh Vin-xen và Grê-na-đin|10-27|1979-10-27|Ngày Độc lập|
WS|Xa-moa|06-01|1962-06-01|Ngày Độc lập|
SM|Xan Ma-ri-nô|09-03||Ngày thành lập nước Cộng hòa (năm 301)|
ST|Xao Tô-mê và Prin-xi-pê|07-12|1975-07-12|Ngày Độc lập|
SA|A-rập Xê-út|09-23|1932-09-23|Quốc khánh|
SN|Xê-nê-gan|04-04|1960-04-04|Ngày Độc lập|
RS|Xéc-bi-a|02-15|1804-02-15|Ngày Nhà nước (Quốc khánh)|
SC|Xây-sen|06-29|1976-06-29|Ngày Độc lập (Quốc khánh)|
SL|Xi-ê-ra Lê-ôn|04-27|1961-04-27|Ngày Độc lập|
SG|Xinh-ga-po|08-09|1965-08-09|Quốc khánh|
SK|Xlô-va-ki-a|09-01|1992-09-01|Ngày Hiến pháp (Quốc khánh)|Xlô-va-ki-a có 1/1 (thành lập nước 1993) và 1/9 (Hiến pháp 1992); Đại sứ quán Xlô-va-ki-a và các tổ chức hữu nghị tại Việt Nam kỷ niệm Quốc khánh vào 1/9 (TTXVN 2022–2025).
SI|Xlô-ven-ni-a|06-25|1991-06-25|Ngày Nhà nước (Quốc khánh)|
SB|Quần đảo Xô-lô-môn|07-07|1978-07-07|Ngày Độc lập|
SO|Xô-ma-li|07-01|1960-07-01|Ngày Độc lập|
ZA|Nam Phi|04-27|1994-04-27|Ngày Tự do (Quốc khánh)|
SS|Nam Xu-đăng|07-09|2011-07-09|Ngày Độc lập|
ES|Tây Ban Nha|10-12||Quốc khánh (Fiesta Nacional)|
LK|Xri Lan-ca|02-04|1948-02-04|Ngày Độc lập|
SD|Xu-đăng|01-01|1956-01-01|Ngày Độc lập|
SR|Xu-ri-nam|11-25|1975-11-25|Ngày Độc lập|
SE|Thụy Điển|06-06||Quốc khánh|
CH|Thụy Sĩ|08-01|1291-08-01|Quốc khánh|
SY|Xy-ri|04-17|1946-04-17|Ngày Độc lập (Ngày Sơ tán)|! Sau thay đổi chính quyền tháng 12/2024 chưa rõ Xy-ri giữ 17/4 làm quốc khánh hay không; cần kiểm tra lại.
TJ|Tát-gi-ki-xtan|09-09|1991-09-09|Ngày Độc lập|
TZ|Tan-da-ni-a|04-26|1964-04-26|Ngày Liên minh (Quốc khánh)|
TH|Thái Lan|12-05||Ngày Quốc gia (ngày sinh cố Quốc vương Bhumibol, Quốc khánh)|Lãnh đạo Việt Nam gửi điện mừng Quốc khánh Thái Lan ngày 5/12, kể cả sau khi Quốc vương Bhumibol băng hà (TTXVN 4/12/2019 «Quốc khánh lần thứ 92», 2020, 2025); theo luật Thái Lan 5/12 vẫn là Ngày Quốc gia và Ngày của Cha (gói holidays: «National Day»). Ngày sinh Quốc vương Vajiralongkorn 28/7 (từ năm 2017) là ngày lễ riêng, không phải Quốc khánh. Đến năm 1959 Ngày Quốc gia là 24/6. Khớp Kế hoạch Bắc Giang 2024 Phụ lục 01 dòng 14.
TL|Ti-mo Lét-xtê|11-28|1975-11-28|Ngày Tuyên bố Độc lập (Quốc khánh)|Lãnh đạo Việt Nam gửi điện mừng Quốc khánh Ti-mo Lét-xtê ngày 28/11 (Tuyên bố Độc lập 1975) — TTXVN, Cổng TTĐT Chính phủ 2007, 2009. Ngày Khôi phục Độc lập 20/5/2002 là ngày lễ khác.
TG|Tô-gô|04-27|1960-04-27|Ngày Độc lập|
TO|Tông-ga|06-04|1970-06-04|Ngày Giải phóng (Emancipation Day, Quốc khánh)|! Tông-ga còn có Ngày Hiến pháp 4/11 và sinh nhật Nhà vua 4/7; chưa xác minh được ngày Bộ Ngoại giao Việt Nam dùng.
TT|Tri-ni-đát và Tô-ba-gô|08-31|1962-08-31|Ngày Độc lập|
TN|Tuy-ni-di|03-20|1956-03-20|Ngày Độc lập|
TR|Thổ Nhĩ Kỳ|10-29|1923-10-29|Ngày Cộng hòa (Quốc khánh)|
TM|Tuốc-mê-ni-xtan|holiday:TM:Independence Day|1991-10-27|Ngày Độc lập|Ngày Độc lập 27/10/1991; từ năm 2018 Tuốc-mê-ni-xtan kỷ niệm vào 27/9 (gói holidays có cả hai mốc, từ năm 1992).
TV|Tu-va-lu|10-01|1978-10-01|Ngày Độc lập|
UG|U-gan-đa|10-09|1962-10-09|Ngày Độc lập|
UA|U-crai-na|08-24|1991-08-24|Ngày Độc lập|Ngày Độc lập 24/8/1991, kỷ niệm từ năm 1992.
AE|Các Tiểu vương quốc A-rập Thống nhất|12-02|1971-12-02|Quốc khánh|
GB|Vương quốc Anh|rrule:FREQ=YEARLY;BYMONTH=6;BYDAY=SA;BYMONTHDAY=11,12,13,14,15,16,17||Ngày sinh chính thức của Nhà vua (Quốc khánh)|Vương quốc Anh không có quốc khánh; các Đại sứ quán Anh tổ chức chiêu đãi nhân Ngày sinh chính thức của Nhà vua (King's Birthday Parade, Trooping the Colour), ngày do Hoàng gia và Chính phủ Anh công bố hằng năm: 17/6/2017, 9/6/2018, 8/6/2019, 13/6/2020, 12/6/2021, 2/6/2022 (thứ Năm, Đại lễ Bạch kim), 17/6/2023, 15/6/2024, 14/6/2025. Năm chưa công bố dùng quy tắc thứ Bảy trong khoảng 11–17/6 (đúng với mọi năm 1979–2017 và cả ba năm 2023–2025 của Vua Charles III) và là ngày tạm tính: kiểm tra lại khi Hoàng gia Anh công bố (thường vào tháng 12 năm trước).
US|Hoa Kỳ|07-04|1776-07-04|Ngày Độc lập (Quốc khánh)|
UY|U-ru-goay|08-25|1825-08-25|Ngày Độc lập|
UZ|U-dơ-bê-ki-xtan|09-01|1991-09-01|Ngày Độc lập|
VU|Va-nu-a-tu|07-30|1980-07-30|Ngày Độc lập|
VA|Tòa Thánh Va-ti-can|05-08|2025-05-08|Ngày kỷ niệm Giáo hoàng Lê-ô XIV đắc cử (Quốc khánh)|Quốc khánh của Tòa Thánh là ngày kỷ niệm Giáo hoàng đương nhiệm đắc cử: 8/5 từ năm 2026 (Giáo hoàng Lê-ô XIV đắc cử ngày 8/5/2025; năm đắc cử chưa có ngày kỷ niệm, Quốc khánh năm 2025 là 13/3 của Giáo hoàng Phan-xi-cô); 13/3 năm 2014–2025 (Phan-xi-cô); 19/4 năm 2006–2012 (Bê-nê-đíc-tô XVI); 16/10 năm 1979–2004 (Gio-an Phao-lô II); năm 2005 và 2013 không có. Thay đổi khi có Giáo hoàng mới. Tòa Thánh chưa có Đại sứ quán tại Việt Nam: thư gửi Đại diện thường trú của Tòa Thánh tại Việt Nam.
VE|Vê-nê-xu-ê-la|07-05|1811-07-05|Ngày Độc lập|
YE|Y-ê-men|05-22|1990-05-22|Ngày Thống nhất (Quốc khánh)|
ZM|Dăm-bi-a|10-24|1964-10-24|Ngày Độc lập|
ZW|Dim-ba-bu-ê|04-18|1980-04-18|Ngày Độc lập|
"""
# fmt: on


# Official names: ISO code | English short name (as used in a sentence) | official Vietnamese name | official English name.
# Vietnamese names in the spelling of the Ministry of Foreign Affairs of Viet Nam (transliterated, hyphenated).
# fmt: off
NAMES = r"""
AF|Afghanistan|Cộng hòa Hồi giáo Áp-ga-ni-xtan|Islamic Republic of Afghanistan
AL|Albania|Cộng hòa An-ba-ni|Republic of Albania
DZ|Algeria|Cộng hòa Dân chủ Nhân dân An-giê-ri|People's Democratic Republic of Algeria
AD|Andorra|Công quốc An-đô-ra|Principality of Andorra
AO|Angola|Cộng hòa Ăng-gô-la|Republic of Angola
AG|Antigua and Barbuda|An-ti-goa và Bác-bu-đa|Antigua and Barbuda
AR|Argentina|Cộng hòa Ác-hen-ti-na|Argentine Republic
AM|Armenia|Cộng hòa Ác-mê-ni-a|Republic of Armenia
AU|Australia|Ô-xtrây-li-a|Commonwealth of Australia
AT|Austria|Cộng hòa Áo|Republic of Austria
AZ|Azerbaijan|Cộng hòa A-déc-bai-gian|Republic of Azerbaijan
BS|the Bahamas|Thịnh vượng chung Ba-ha-mát|Commonwealth of The Bahamas
BH|Bahrain|Vương quốc Ba-ranh|Kingdom of Bahrain
BD|Bangladesh|Cộng hòa Nhân dân Băng-la-đét|People's Republic of Bangladesh
BB|Barbados|Bác-ba-đốt|Barbados
BY|Belarus|Cộng hòa Bê-la-rút|Republic of Belarus
BE|Belgium|Vương quốc Bỉ|Kingdom of Belgium
BZ|Belize|Bê-li-xê|Belize
BJ|Benin|Cộng hòa Bê-nanh|Republic of Benin
BT|Bhutan|Vương quốc Bu-tan|Kingdom of Bhutan
BO|Bolivia|Nhà nước Đa dân tộc Bô-li-vi-a|Plurinational State of Bolivia
BA|Bosnia and Herzegovina|Bô-xni-a Héc-dê-gô-vi-na|Bosnia and Herzegovina
BW|Botswana|Cộng hòa Bốt-xoa-na|Republic of Botswana
BR|Brazil|Cộng hòa Liên bang Bra-xin|Federative Republic of Brazil
BN|Brunei|Nhà nước Bru-nây Đa-rút-xa-lam|Brunei Darussalam
BG|Bulgaria|Cộng hòa Bun-ga-ri|Republic of Bulgaria
BF|Burkina Faso|Buốc-ki-na Pha-xô|Burkina Faso
BI|Burundi|Cộng hòa Bu-run-đi|Republic of Burundi
CV|Cabo Verde|Cộng hòa Cáp-ve|Republic of Cabo Verde
KH|Cambodia|Vương quốc Cam-pu-chia|Kingdom of Cambodia
CM|Cameroon|Cộng hòa Ca-mơ-run|Republic of Cameroon
CA|Canada|Ca-na-đa|Canada
CF|the Central African Republic|Cộng hòa Trung Phi|Central African Republic
TD|Chad|Cộng hòa Sát|Republic of Chad
CL|Chile|Cộng hòa Chi-lê|Republic of Chile
CN|China|Cộng hòa Nhân dân Trung Hoa|People's Republic of China
CO|Colombia|Cộng hòa Cô-lôm-bi-a|Republic of Colombia
KM|the Comoros|Liên bang Cô-mo|Union of the Comoros
CG|the Republic of the Congo|Cộng hòa Công-gô|Republic of the Congo
CD|the Democratic Republic of the Congo|Cộng hòa Dân chủ Công-gô|Democratic Republic of the Congo
CR|Costa Rica|Cộng hòa Cốt-xta Ri-ca|Republic of Costa Rica
CI|Côte d'Ivoire|Cộng hòa Cốt-đi-voa|Republic of Côte d'Ivoire
HR|Croatia|Cộng hòa Crô-a-ti-a|Republic of Croatia
CU|Cuba|Cộng hòa Cu-ba|Republic of Cuba
CY|Cyprus|Cộng hòa Síp|Republic of Cyprus
CZ|the Czech Republic|Cộng hòa Séc|Czech Republic
KP|the DPRK|Cộng hòa Dân chủ Nhân dân Triều Tiên|Democratic People's Republic of Korea
DK|Denmark|Vương quốc Đan Mạch|Kingdom of Denmark
DJ|Djibouti|Cộng hòa Gi-bu-ti|Republic of Djibouti
DM|Dominica|Thịnh vượng chung Đô-mi-ni-ca|Commonwealth of Dominica
DO|the Dominican Republic|Cộng hòa Đô-mi-ni-ca|Dominican Republic
EC|Ecuador|Cộng hòa Ê-cu-a-đo|Republic of Ecuador
EG|Egypt|Cộng hòa A-rập Ai Cập|Arab Republic of Egypt
SV|El Salvador|Cộng hòa En Xan-va-đo|Republic of El Salvador
GQ|Equatorial Guinea|Cộng hòa Ghi-nê Xích đạo|Republic of Equatorial Guinea
ER|Eritrea|Nhà nước Ê-ri-tơ-rê-a|State of Eritrea
EE|Estonia|Cộng hòa E-xtô-ni-a|Republic of Estonia
SZ|Eswatini|Vương quốc E-xoa-ti-ni|Kingdom of Eswatini
ET|Ethiopia|Cộng hòa Dân chủ Liên bang Ê-ti-ô-pi-a|Federal Democratic Republic of Ethiopia
FJ|Fiji|Cộng hòa Phi-gi|Republic of Fiji
FI|Finland|Cộng hòa Phần Lan|Republic of Finland
FR|France|Cộng hòa Pháp|French Republic
GA|Gabon|Cộng hòa Ga-bông|Gabonese Republic
GM|the Gambia|Cộng hòa Găm-bi-a|Republic of The Gambia
GE|Georgia|Gru-di-a|Georgia
DE|Germany|Cộng hòa Liên bang Đức|Federal Republic of Germany
GH|Ghana|Cộng hòa Ga-na|Republic of Ghana
GR|Greece|Cộng hòa Hy Lạp|Hellenic Republic
GD|Grenada|Grê-na-đa|Grenada
GT|Guatemala|Cộng hòa Goa-tê-ma-la|Republic of Guatemala
GN|Guinea|Cộng hòa Ghi-nê|Republic of Guinea
GW|Guinea-Bissau|Cộng hòa Ghi-nê Bít-xao|Republic of Guinea-Bissau
GY|Guyana|Cộng hòa Hợp tác Guy-a-na|Co-operative Republic of Guyana
HT|Haiti|Cộng hòa Ha-i-ti|Republic of Haiti
HN|Honduras|Cộng hòa Hôn-đu-rát|Republic of Honduras
HU|Hungary|Hung-ga-ri|Hungary
IS|Iceland|Ai-xơ-len|Iceland
IN|India|Cộng hòa Ấn Độ|Republic of India
ID|Indonesia|Cộng hòa In-đô-nê-xi-a|Republic of Indonesia
IR|Iran|Cộng hòa Hồi giáo I-ran|Islamic Republic of Iran
IQ|Iraq|Cộng hòa I-rắc|Republic of Iraq
IE|Ireland|Ai-len|Ireland
IL|Israel|Nhà nước I-xra-en|State of Israel
IT|Italy|Cộng hòa I-ta-li-a|Italian Republic
JM|Jamaica|Gia-mai-ca|Jamaica
JP|Japan|Nhật Bản|Japan
JO|Jordan|Vương quốc Hát-si-mít Gioóc-đa-ni|Hashemite Kingdom of Jordan
KZ|Kazakhstan|Cộng hòa Ca-dắc-xtan|Republic of Kazakhstan
KE|Kenya|Cộng hòa Kê-ni-a|Republic of Kenya
KI|Kiribati|Cộng hòa Ki-ri-ba-ti|Republic of Kiribati
KW|Kuwait|Nhà nước Cô-oét|State of Kuwait
KG|Kyrgyzstan|Cộng hòa Cư-rơ-gư-xtan|Kyrgyz Republic
LA|Laos|Cộng hòa Dân chủ Nhân dân Lào|Lao People's Democratic Republic
LV|Latvia|Cộng hòa Lát-vi-a|Republic of Latvia
LB|Lebanon|Cộng hòa Li-băng|Lebanese Republic
LS|Lesotho|Vương quốc Lê-xô-thô|Kingdom of Lesotho
LR|Liberia|Cộng hòa Li-bê-ri-a|Republic of Liberia
LY|Libya|Nhà nước Li-bi|State of Libya
LI|Liechtenstein|Công quốc Lích-ten-xtanh|Principality of Liechtenstein
LT|Lithuania|Cộng hòa Lít-va|Republic of Lithuania
LU|Luxembourg|Đại Công quốc Lúc-xăm-bua|Grand Duchy of Luxembourg
MG|Madagascar|Cộng hòa Ma-đa-ga-xca|Republic of Madagascar
MW|Malawi|Cộng hòa Ma-la-uy|Republic of Malawi
MY|Malaysia|Ma-lai-xi-a|Malaysia
MV|Maldives|Cộng hòa Man-đi-vơ|Republic of Maldives
ML|Mali|Cộng hòa Ma-li|Republic of Mali
MT|Malta|Cộng hòa Man-ta|Republic of Malta
MH|the Marshall Islands|Cộng hòa Quần đảo Mác-san|Republic of the Marshall Islands
MR|Mauritania|Cộng hòa Hồi giáo Mô-ri-ta-ni|Islamic Republic of Mauritania
MU|Mauritius|Cộng hòa Mô-ri-xơ|Republic of Mauritius
MX|Mexico|Liên bang Mê-hi-cô|United Mexican States
FM|Micronesia|Liên bang Mi-crô-nê-xi-a|Federated States of Micronesia
MD|Moldova|Cộng hòa Môn-đô-va|Republic of Moldova
MC|Monaco|Công quốc Mô-na-cô|Principality of Monaco
MN|Mongolia|Mông Cổ|Mongolia
ME|Montenegro|Môn-tê-nê-grô|Montenegro
MA|Morocco|Vương quốc Ma-rốc|Kingdom of Morocco
MZ|Mozambique|Cộng hòa Mô-dăm-bích|Republic of Mozambique
MM|Myanmar|Cộng hòa Liên bang Mi-an-ma|Republic of the Union of Myanmar
NA|Namibia|Cộng hòa Na-mi-bi-a|Republic of Namibia
NR|Nauru|Cộng hòa Nau-ru|Republic of Nauru
NP|Nepal|Cộng hòa Dân chủ Liên bang Nê-pan|Federal Democratic Republic of Nepal
NL|the Netherlands|Vương quốc Hà Lan|Kingdom of the Netherlands
NZ|New Zealand|Niu Di-lân|New Zealand
NI|Nicaragua|Cộng hòa Ni-ca-ra-goa|Republic of Nicaragua
NE|Niger|Cộng hòa Ni-giê|Republic of the Niger
NG|Nigeria|Cộng hòa Liên bang Ni-giê-ri-a|Federal Republic of Nigeria
MK|North Macedonia|Cộng hòa Bắc Ma-xê-đô-ni-a|Republic of North Macedonia
NO|Norway|Vương quốc Na Uy|Kingdom of Norway
OM|Oman|Vương quốc Hồi giáo Ô-man|Sultanate of Oman
PK|Pakistan|Cộng hòa Hồi giáo Pa-ki-xtan|Islamic Republic of Pakistan
PW|Palau|Cộng hòa Pa-lau|Republic of Palau
PS|Palestine|Nhà nước Pa-le-xtin|State of Palestine
PA|Panama|Cộng hòa Pa-na-ma|Republic of Panama
PG|Papua New Guinea|Nhà nước Độc lập Pa-pua Niu Ghi-nê|Independent State of Papua New Guinea
PY|Paraguay|Cộng hòa Pa-ra-goay|Republic of Paraguay
PE|Peru|Cộng hòa Pê-ru|Republic of Peru
PH|the Philippines|Cộng hòa Phi-líp-pin|Republic of the Philippines
PL|Poland|Cộng hòa Ba Lan|Republic of Poland
PT|Portugal|Cộng hòa Bồ Đào Nha|Portuguese Republic
QA|Qatar|Nhà nước Ca-ta|State of Qatar
KR|the Republic of Korea|Đại Hàn Dân Quốc|Republic of Korea
RO|Romania|Ru-ma-ni|Romania
RU|Russia|Liên bang Nga|Russian Federation
RW|Rwanda|Cộng hòa Ru-an-đa|Republic of Rwanda
KN|Saint Kitts and Nevis|Liên bang Xanh Kít và Nê-vít|Federation of Saint Kitts and Nevis
LC|Saint Lucia|Xanh Lu-xi-a|Saint Lucia
VC|Saint Vincent and the Grenadines|Xanh Vin-xen và Grê-na-đin|Saint Vincent and the Grenadines
WS|Samoa|Nhà nước Độc lập Xa-moa|Independent State of Samoa
SM|San Marino|Cộng hòa Xan Ma-ri-nô|Republic of San Marino
ST|Sao Tome and Principe|Cộng hòa Dân chủ Xao Tô-mê và Prin-xi-pê|Democratic Republic of São Tomé and Príncipe
SA|Saudi Arabia|Vương quốc A-rập Xê-út|Kingdom of Saudi Arabia
SN|Senegal|Cộng hòa Xê-nê-gan|Republic of Senegal
RS|Serbia|Cộng hòa Xéc-bi-a|Republic of Serbia
SC|Seychelles|Cộng hòa Xây-sen|Republic of Seychelles
SL|Sierra Leone|Cộng hòa Xi-ê-ra Lê-ôn|Republic of Sierra Leone
SG|Singapore|Cộng hòa Xinh-ga-po|Republic of Singapore
SK|Slovakia|Cộng hòa Xlô-va-ki-a|Slovak Republic
SI|Slovenia|Cộng hòa Xlô-ven-ni-a|Republic of Slovenia
SB|the Solomon Islands|Quần đảo Xô-lô-môn|Solomon Islands
SO|Somalia|Cộng hòa Liên bang Xô-ma-li|Federal Republic of Somalia
ZA|South Africa|Cộng hòa Nam Phi|Republic of South Africa
SS|South Sudan|Cộng hòa Nam Xu-đăng|Republic of South Sudan
ES|Spain|Vương quốc Tây Ban Nha|Kingdom of Spain
LK|Sri Lanka|Cộng hòa Xã hội chủ nghĩa Dân chủ Xri Lan-ca|Democratic Socialist Republic of Sri Lanka
SD|Sudan|Cộng hòa Xu-đăng|Republic of the Sudan
SR|Suriname|Cộng hòa Xu-ri-nam|Republic of Suriname
SE|Sweden|Vương quốc Thụy Điển|Kingdom of Sweden
CH|Switzerland|Liên bang Thụy Sĩ|Swiss Confederation
SY|Syria|Cộng hòa A-rập Xy-ri|Syrian Arab Republic
TJ|Tajikistan|Cộng hòa Tát-gi-ki-xtan|Republic of Tajikistan
TZ|Tanzania|Cộng hòa Thống nhất Tan-da-ni-a|United Republic of Tanzania
TH|Thailand|Vương quốc Thái Lan|Kingdom of Thailand
TL|Timor-Leste|Cộng hòa Dân chủ Ti-mo Lét-xtê|Democratic Republic of Timor-Leste
TG|Togo|Cộng hòa Tô-gô|Togolese Republic
TO|Tonga|Vương quốc Tông-ga|Kingdom of Tonga
TT|Trinidad and Tobago|Cộng hòa Tri-ni-đát và Tô-ba-gô|Republic of Trinidad and Tobago
TN|Tunisia|Cộng hòa Tuy-ni-di|Republic of Tunisia
TR|Türkiye|Cộng hòa Thổ Nhĩ Kỳ|Republic of Türkiye
TM|Turkmenistan|Tuốc-mê-ni-xtan|Turkmenistan
TV|Tuvalu|Tu-va-lu|Tuvalu
UG|Uganda|Cộng hòa U-gan-đa|Republic of Uganda
UA|Ukraine|U-crai-na|Ukraine
AE|the United Arab Emirates|Các Tiểu vương quốc A-rập Thống nhất|United Arab Emirates
GB|the United Kingdom|Vương quốc Liên hiệp Anh và Bắc Ai-len|United Kingdom of Great Britain and Northern Ireland
US|the United States|Hợp chúng quốc Hoa Kỳ|United States of America
UY|Uruguay|Cộng hòa Đông U-ru-goay|Oriental Republic of Uruguay
UZ|Uzbekistan|Cộng hòa U-dơ-bê-ki-xtan|Republic of Uzbekistan
VU|Vanuatu|Cộng hòa Va-nu-a-tu|Republic of Vanuatu
VA|the Holy See|Tòa Thánh Va-ti-can|Holy See
VE|Venezuela|Cộng hòa Bô-li-va Vê-nê-xu-ê-la|Bolivarian Republic of Venezuela
YE|Yemen|Cộng hòa Y-ê-men|Republic of Yemen
ZM|Zambia|Cộng hòa Dăm-bi-a|Republic of Zambia
ZW|Zimbabwe|Cộng hòa Dim-ba-bu-ê|Republic of Zimbabwe
VN|Viet Nam|Cộng hòa Xã hội chủ nghĩa Việt Nam|Socialist Republic of Viet Nam
"""

# Days that moved: the table's row is the rule in force now (its event keeps the id "quoc-khanh-xx");
# each earlier rule is its own event, bounded by start/until, with its own id.
#   id | ISO | date | since | start | until | kind | note ("!" = not fully verified)
SPLITS = r"""
quoc-khanh-th-truoc-1960|TH|06-24|||1959|Ngày Quốc gia (Cách mạng 24/6/1932)|Ngày Quốc gia 24/6 đến năm 1959 (gói holidays: "National Day").
quoc-khanh-jp-2019|JP|10-22||2019|2019|Lễ đăng quang của Nhà vua Naruhito|Năm 2019 không có Ngày sinh Nhà vua (Nhà vua Akihito thoái vị 30/4/2019); Lễ đăng quang 22/10/2019 là ngày nghỉ lễ của năm.
quoc-khanh-jp-1989-2018|JP|12-23||1989|2018|Ngày sinh Nhà vua Akihito (Quốc khánh)|23/12 năm 1989–2018.
quoc-khanh-jp-truoc-1989|JP|04-29|||1988|Ngày sinh Nhà vua Chiêu Hòa (Quốc khánh)|29/4 đến năm 1988.
quoc-khanh-nl-1980-2013|NL|rrule:FREQ=YEARLY;BYMONTH=4;BYYEARDAY=118,119,120,121;BYMONTHDAY=29,30;BYDAY=MO,TU,WE,TH,FR,SA;BYSETPOS=-1||1980|2013|Ngày Nữ hoàng (Koninginnedag, Quốc khánh)|30/4 (sinh nhật Nữ hoàng Juliana), dời sang 29/4 khi 30/4 là Chủ nhật (quy định từ năm 1980, thời Nữ hoàng Beatrix).
quoc-khanh-nl-1949-1979|NL|rrule:FREQ=YEARLY;BYMONTH=4,5;BYYEARDAY=119,120,121,122;BYMONTHDAY=30,1;BYDAY=MO,TU,WE,TH,FR,SA;BYSETPOS=1||1949|1979|Ngày Nữ hoàng (Koninginnedag, Quốc khánh)|30/4 (sinh nhật Nữ hoàng Juliana), dời sang 1/5 khi 30/4 là Chủ nhật.
quoc-khanh-kz-truoc-2022|KZ|12-16|1991-12-16||2021|Ngày Độc lập (Quốc khánh)|Ngày Độc lập 16/12/1991 là quốc khánh đến năm 2021.
quoc-khanh-hr-2002-2019|HR|06-25|1991-06-25|2002|2019|Ngày Nhà nước (Tuyên bố Độc lập 25/6/1991)|Luật Ngày lễ năm 2002: Ngày Nhà nước 25/6, đến năm 2019.
quoc-khanh-hr-truoc-2002|HR|05-30|1990-05-30||2001|Ngày Nhà nước (phiên họp đầu tiên của Quốc hội đa đảng 30/5/1990)|30/5 đến năm 2001.
quoc-khanh-iq-truoc-2020|IQ|07-14|1958-07-14||2019|Ngày Cách mạng 14/7/1958 (Quốc khánh)|14/7 là Quốc khánh đến năm 2019.
quoc-khanh-om-truoc-2020|OM|11-18|||2019|Quốc khánh (sinh nhật Quốc vương Qaboos)|18/11 đến năm 2019.
quoc-khanh-qa-truoc-2007|QA|09-03|1971-09-03||2006|Ngày Độc lập (Quốc khánh)|3/9 đến năm 2006.
quoc-khanh-ma-1963-1999|MA|03-03|1961-03-03|1963|1999|Ngày Lên ngôi của Quốc vương Hassan II (Quốc khánh)|3/3 năm 1963–1999 (gói holidays: từ năm 1963).
quoc-khanh-ma-truoc-1963|MA|11-18|1927-11-18||1962|Ngày Lên ngôi của Quốc vương Mohammed V (Quốc khánh)|18/11 đến năm 1962.
quoc-khanh-pl-truoc-1990|PL|07-22|1944-07-22||1989|Ngày Phục hưng Ba Lan (Quốc khánh)|22/7 (Tuyên ngôn PKWN 1944) đến năm 1989.
quoc-khanh-ro-truoc-1990|RO|08-23|1944-08-23||1989|Ngày Giải phóng (Quốc khánh)|23/8 đến năm 1989.
quoc-khanh-bg-truoc-1990|BG|09-09|1944-09-09||1989|Ngày Giải phóng 9/9/1944 (Quốc khánh)|9/9 đến năm 1989.
quoc-khanh-hu-truoc-1990|HU|04-04|1945-04-04||1989|Ngày Giải phóng (Quốc khánh)|4/4 đến năm 1989.
quoc-khanh-ly-1970-2011|LY|09-01|1969-09-01|1970|2011|Ngày Cách mạng 1/9/1969 (Quốc khánh)|1/9 năm 1970–2011.
quoc-khanh-ly-truoc-1970|LY|12-24|1951-12-24||1969|Ngày Độc lập (Quốc khánh)|24/12 đến năm 1969.
quoc-khanh-va-2013-2024|VA|03-13|2013-03-13|2013|2025|Ngày kỷ niệm Giáo hoàng Phan-xi-cô đắc cử (Quốc khánh)|13/3 năm 2014–2025 (năm 2013 là năm đắc cử, chưa có ngày kỷ niệm). Giáo hoàng Phan-xi-cô qua đời ngày 21/4/2025, sau ngày kỷ niệm 13/3/2025, nên Quốc khánh năm 2025 là 13/3; mã sự kiện giữ nguyên dù quy tắc kéo dài đến năm 2025.
quoc-khanh-va-2005-2012|VA|04-19|2005-04-19|2005|2012|Ngày kỷ niệm Giáo hoàng Bê-nê-đíc-tô XVI đắc cử (Quốc khánh)|19/4 năm 2006–2012 (năm 2005 là năm đắc cử).
quoc-khanh-va-1978-2004|VA|10-16|1978-10-16|1978|2004|Ngày kỷ niệm Giáo hoàng Gio-an Phao-lô II đắc cử (Quốc khánh)|16/10 năm 1979–2004 (năm 1978 là năm đắc cử).
quoc-khanh-by-1991-1996|BY|07-27|1990-07-27|1991|1996|Ngày Độc lập (Tuyên bố chủ quyền 27/7/1990)|27/7 năm 1991–1996; từ năm 1997 (trưng cầu ý dân 1996) là 3/7.
quoc-khanh-bj-1976-1990|BJ|11-30|1975-11-30|1976|1990|Quốc khánh (thành lập nước Cộng hòa Nhân dân Bê-nanh 30/11/1975)|30/11 năm 1976–1990.
quoc-khanh-bj-truoc-1976|BJ|08-01|1960-08-01||1975|Ngày Độc lập|1/8 đến năm 1975.
quoc-khanh-cf-1977-1978|CF|12-04|1976-12-04|1977|1978|Quốc khánh thời Đế chế Trung Phi (tuyên bố Đế chế 4/12/1976)|4/12 năm 1977–1978: Đế chế Trung Phi được tuyên bố ngày 4/12/1976, lễ đăng quang ngày 4/12/1977.
quoc-khanh-cf-truoc-1977|CF|12-01|1958-12-01||1976|Quốc khánh (Ngày Cộng hòa)|1/12 đến năm 1976.
quoc-khanh-it-1977-2000|IT|rrule:FREQ=YEARLY;BYMONTH=6;BYDAY=1SU|1946-06-02|1977|2000|Ngày Cộng hòa (Chủ nhật đầu tiên của tháng 6)|Luật 54/1977 dời lễ sang Chủ nhật đầu tiên của tháng 6; Luật 336/2000 khôi phục 2/6 từ năm 2001.
quoc-khanh-it-truoc-1977|IT|06-02|1946-06-02||1976|Ngày Cộng hòa (Quốc khánh)|2/6 đến năm 1976.
quoc-khanh-gb-1979-2016|GB|rrule:FREQ=YEARLY;BYMONTH=6;BYDAY=SA;BYMONTHDAY=11,12,13,14,15,16,17||1979|2016|Ngày sinh chính thức của Nữ hoàng (Quốc khánh)|Năm 1979–2016: thứ Bảy trong khoảng 11–17/6 (Queen's Birthday Parade); trước năm 1979 là một thứ Bảy từ 2 đến 15/6, không theo quy tắc cố định nên không có trong bảng.
quoc-khanh-np-tu-2033|NP|09-20|2015-09-20|2033||Ngày Hiến pháp (Quốc khánh)|! Gói holidays chỉ có lịch Bikram Sambat đến năm 2032; từ năm 2033 tạm dùng 20/9, có thể lệch một ngày (19/9).
"""

# Days a government announces year by year: event id → {rule year: ISO date}. In those years the announced
# day is the date; in the others the event's rule gives it and the occurrence is provisional (tạm tính).
# Each date is cited in the event's source.
ANNOUNCED: dict[str, dict[int, str]] = {
    "quoc-khanh-gb": {2017: "2017-06-17", 2018: "2018-06-09", 2019: "2019-06-08", 2020: "2020-06-13",
                      2021: "2021-06-12", 2022: "2022-06-02", 2023: "2023-06-17", 2024: "2024-06-15",
                      2025: "2025-06-14"},
}

# Alternative national days a province may choose in its config's [national_days] (alternative = true):
#   id | ISO | date | since | kind | note | source
ALTERNATIVES = r"""
quoc-khanh-kr-giai-phong|KR|08-15|1945-08-15|Ngày Giải phóng (Gwangbokjeol)|Ngày Giải phóng 15/8/1945, cũng là ngày thành lập Chính phủ Đại Hàn Dân Quốc 15/8/1948. Quốc khánh mặc định là Ngày Lập quốc 3/10; Bắc Giang (Kế hoạch thăm, chúc mừng năm 2024, Phụ lục 01) chúc mừng Hàn Quốc ngày 15/8.|Luật về các ngày lễ quốc gia của Hàn Quốc (1949): Ngày Giải phóng (Gwangbokjeol) 15/8; Kế hoạch Bắc Giang 2024 Phụ lục 01 dòng 10
quoc-khanh-in-doc-lap|IN|08-15|1947-08-15|Ngày Độc lập|Ngày Độc lập 15/8/1947. Quốc khánh mặc định là Ngày Cộng hòa 26/1, ngày Ấn Độ và Bộ Ngoại giao Việt Nam dùng để gửi điện mừng; Bắc Giang (Kế hoạch thăm, chúc mừng năm 2024, Phụ lục 01) chúc mừng Ấn Độ ngày 15/8.|Ngày Độc lập Ấn Độ 15/8/1947 (Đạo luật Độc lập Ấn Độ 1947); Kế hoạch Bắc Giang 2024 Phụ lục 01 dòng 9
"""

# Vietnam's diplomatic relations: ISO | date relations were established (DRV/SRV) | note.
# A note starting with "!" = date not verified against the MOFA list "Danh sách các nước thiết lập quan hệ
# ngoại giao với Việt Nam"; such dates are listed in the header of the generated file for checking.
RELATIONS_TABLE = r"""
CN|1950-01-18|
RU|1950-01-30|Với Liên Xô (30/1/1950); Liên bang Nga kế thừa quan hệ từ 27/12/1991 và hai bên kỷ niệm từ mốc 30/1/1950.
KP|1950-01-31|
CZ|1950-02-02|Với Tiệp Khắc (2/2/1950); Cộng hòa Séc kế thừa từ 1/1/1993 và hai bên kỷ niệm từ mốc 2/2/1950.
SK|1950-02-02|Với Tiệp Khắc (2/2/1950); Xlô-va-ki-a kế thừa từ 1/1/1993 và hai bên kỷ niệm từ mốc 2/2/1950.
RO|1950-02-03|
HU|1950-02-03|
PL|1950-02-04|
BG|1950-02-08|
AL|1950-02-11|
MN|1954-11-17|
RS|1957-03-10|Với Nam Tư (10/3/1957); Xéc-bi-a kế thừa (qua Cộng hòa Liên bang Nam Tư và Xéc-bi-a và Môn-tê-nê-grô).
GN|1958-10-09|
CU|1960-12-02|
ML|1960-10-30|TTXVN (VietnamPlus tiếng Trung «越南希望进一步加强与马里的合作关系», 3/2018, Đại sứ Phạm Quốc Trụ): 30/10/1960.
MA|1961-03-27|
LA|1962-09-05|
DZ|1962-10-28|
EG|1963-09-01|
YE|1963-10-16|! Với Cộng hòa A-rập Y-ê-men (Bắc Y-ê-men, 16/10/1963); Cộng hòa Y-ê-men thống nhất (1990) kế thừa. Chưa đối chiếu mốc hai bên kỷ niệm.
CG|1964-07-16|!
ID|1955-12-30|Hai nước kỷ niệm 65 năm (2020) và 70 năm (2025) tính từ 30/12/1955 (TTXVN, Tiền Phong 23/12/2025); bảng viết tay trước đây ghi 30/12/1964 (năm nâng quan hệ lên cấp Đại sứ).
TZ|1965-02-14|Hai nước kỷ niệm 60 năm (14/2/1965 - 14/2/2025); Đại sứ quán Việt Nam tại Tan-da-ni-a.
MR|1965-03-15|
GH|1965-03-25|Lãnh đạo Việt Nam gửi điện mừng 60 năm ngày 25/3/2025 (mốc 25/3/1965); phía Ga-na ghi 28/3/1965.
SY|1966-07-21|
KH|1967-06-24|
IQ|1968-07-10|
SE|1969-01-11|
SD|1969-08-26|
SN|1969-12-29|
LK|1970-07-21|
CL|1971-03-25|Quan hệ gián đoạn sau 1973 và nối lại năm 1990; hai bên kỷ niệm 50 năm ngày 25/3/2021 (TTXVN).
CH|1971-10-11|
DK|1971-11-25|
NO|1971-11-25|
IN|1972-01-07|Quan hệ lãnh sự từ 1956; quan hệ ngoại giao cấp Đại sứ 7/1/1972 (mốc hai bên kỷ niệm).
ZM|1972-09-15|!
PK|1972-11-08|
AT|1972-12-01|
TN|1972-12-15|
MG|1972-12-19|
FI|1973-01-25|
BD|1973-02-11|
AU|1973-02-26|
BJ|1973-03-14|! Năm 1973 đã đối chiếu (SGGP 7/2022: hai nước chuẩn bị kỷ niệm 50 năm năm 2023); ngày 14/3 chưa đối chiếu.
BE|1973-03-22|
IT|1973-03-23|
MY|1973-03-30|
NL|1973-04-09|
FR|1973-04-12|
SG|1973-08-01|
IR|1973-08-04|
IS|1973-08-05|Theo VOV (chuyến thăm của Tổng thống Ai-xơ-len 11/2015): 5/8/1973.
CA|1973-08-21|
GB|1973-09-11|
JP|1973-09-21|
GW|1973-09-30|TTXVN (vietnam.vn «Triển vọng hợp tác giữa Việt Nam và Guinea-Bissau», 9/2024, phỏng vấn Đại sứ Lê Kim Quý): 30/9/1973.
AR|1973-10-25|
LU|1973-11-15|
MT|1974-01-14|Hai nước kỷ niệm 50 năm năm 2024 (14/1/1974).
CY|1975-12-01|Hai nước thống nhất lấy 1/12/1975 làm ngày kỷ niệm (TTXVN 2015).
GR|1975-04-15|
GY|1975-04-19|TTXVN (vietnam.vn) 4/2025 «Đại sứ Bùi Văn Nghị trình Thư ủy nhiệm lên Tổng thống Cộng hòa Hợp tác Guyana»: 50 năm (19/4/1975 - 19/4/2025).
NP|1975-05-15|
MX|1975-05-19|
MM|1975-05-28|
NZ|1975-06-19|
MZ|1975-06-25|
PT|1975-07-01|
CV|1975-07-08|TTXVN (VietnamPlus tiếng Trung «越南国家主席阮春福致电祝贺内韦斯就任佛得角总统», 11/2021): 8/7/1975.
PA|1975-08-28|
DE|1975-09-23|Với Cộng hòa Liên bang Đức (23/9/1975). Quan hệ với Cộng hòa Dân chủ Đức (từ 16/2/1950) chấm dứt khi nước Đức thống nhất 3/10/1990; hai bên kỷ niệm từ mốc 23/9/1975.
CI|1975-10-06|TTXVN 12/7/2025 «Vietnam, Côte d'Ivoire mark 50 years of diplomatic ties with ceremony in Abidjan» (October 6, 1975 - 2025); VietnamPlus 6/2023 «Bước phát triển mới trong quan hệ giữa Việt Nam và Côte d'Ivoire» (6/10/1975).
AO|1975-11-12|
LY|1975-03-15|! Wikipedia tiếng Việt «Quan hệ Libya – Việt Nam» và tiếng Anh «Libya–Vietnam relations»: 15/3/1975; bảng viết tay trước đây ghi 15/12/1975 (không có nguồn). Chưa có nguồn Bộ Ngoại giao/TTXVN.
KW|1976-01-10|
CR|1976-04-24|Báo Tin tức (TTXVN) 23/4/2021 «Điện mừng nhân 45 năm ngày thiết lập quan hệ ngoại giao Việt Nam - Costa Rica»: 24/4/1976 - 24/4/2021. Bảng viết tay trước đây ghi 24/1/1976 (không có nguồn).
ET|1976-02-23|Lãnh đạo Việt Nam gửi điện mừng 50 năm ngày 23/2/2026 (TTXVN); một bản tin Cổng TTĐT Chính phủ 2018 ghi 23/3/1976.
NG|1976-05-25|
PH|1976-07-12|
TH|1976-08-06|
JM|1976-08-05|!
ES|1977-05-23|
TR|1978-06-07|
CO|1979-01-01|
NI|1979-09-03|
JO|1980-08-09|Hai nước kỷ niệm 45 năm (9/8/1980 - 9/8/2025) (TTXVN 11/2025).
EC|1980-01-01|VietnamPlus 27/10/2025 «Phó Chủ tịch nước Võ Thị Ánh Xuân hội kiến Phó Tổng thống Ecuador» (45 năm, 1/1/1980-1/1/2025); Việt Nam News 27/10/2025 (January 1, 1980 – 2025). Bảng viết tay trước đây ghi 16/6/1980 (không có nguồn).
LB|1981-02-12|!
ZW|1981-07-24|!
VU|1982-03-03|!
BO|1987-02-10|!
PS|1988-11-19|
BR|1989-05-08|
PG|1989-11-03|!
VE|1989-12-18|
NA|1990-03-21|!
UZ|1992-01-17|
TJ|1992-07-14|Trang Bộ Ngoại giao «Vietnam - Tajikistan relations»: 14/7/1992.
UA|1992-01-23|
BY|1992-01-24|
BN|1992-02-29|
KG|1992-06-04|Bộ Ngoại giao (VNS 5/3/2025): Việt Nam công nhận độc lập 27/12/1991, thiết lập quan hệ ngoại giao 4/6/1992.
EE|1992-02-20|Ký Nghị định thư thiết lập quan hệ ngoại giao ngày 20/2/1992 (TTXVN).
LV|1992-02-12|!
TM|1992-07-29|Hai nước kỷ niệm 30 năm ngày 29/7/2022 (TTXVN 28/6/2022).
MD|1992-06-11|
KZ|1992-06-29|
GE|1992-06-09|! Theo một nguồn không chính thức; chưa đối chiếu.
OM|1992-06-09|
AM|1992-07-14|
AZ|1992-09-23|
KR|1992-12-22|
QA|1993-03-08|
FJ|1993-05-14|!
IL|1993-07-12|
AE|1993-08-01|
UY|1993-08-11|
ZA|1993-12-22|
WS|1994-03-09|!
MU|1994-05-04|!
MK|1994-06-10|!
SI|1994-06-07|Hai nước kỷ niệm 30 năm (7/6/1994 - 7/6/2024) (TTXVN).
HR|1994-07-01|Hai nước kỷ niệm 30 năm (1/7/1994 - 2024) (TTXVN).
PE|1994-11-14|
BH|1995-03-31|
PY|1995-05-30|VietnamPlus (TTXVN) 12/12/2025 «Mở rộng triển vọng hợp tác kinh tế, thương mại và văn hóa Việt Nam-Paraguay» (thiết lập quan hệ ngoại giao ngày 30/5/1995); Việt Nam News 30/5/2025 (May 30, 1995–2025).
US|1995-07-12|
KE|1995-12-21|
IE|1996-04-05|
SB|1996-10-30|!
SA|1999-10-21|
TL|2002-07-28|
ME|2006-07-04|!
BT|2012-01-19|Ký Thông cáo chung tại New York ngày 19/1/2012 (TTXVN; Bộ Ngoại giao Bu-tan).
UG|1973-02-09|
BS|2023-01-06|Ký Thông cáo chung tại New York.
TT|2023-02-01|Ký Thông cáo chung tại New York.
TO|2023-09-21|Ký Thông cáo chung tại New York.
TV|2025-09-24|Ký Thông cáo chung tại New York ngày 24/9/2025 (giờ địa phương; 25/9 giờ Hà Nội): Việt Nam có quan hệ ngoại giao với cả 193 nước thành viên Liên hợp quốc.
VC|1995-12-18|Hai nước kỷ niệm 30 năm năm 2025 (18/12/1995).
SZ|2013-05-21|! Ký Thông cáo chung tại New York ngày 21/5; năm 2013 suy ra từ nhiệm kỳ của Trưởng Phái đoàn Việt Nam tại Liên hợp quốc.
KN|2013-11-01|! Ký Thông cáo chung tại New York ngày 1/11 (cùng ngày với Đô-mi-ni-ca); năm 2013 suy ra.
DM|2013-11-01|! Ký Thông cáo chung tại New York ngày 1/11 (cùng ngày với Xanh Kít và Nê-vít); năm 2013 suy ra.
AG|2013-11-08|! Ký Thông cáo chung tại New York ngày 8/11; năm 2013 suy ra.
MH|1992-06-01|! Theo danh sách quan hệ ngoại giao của Quần đảo Mác-san.
SV|2010-01-16|! Ký Thông cáo chung tại Tô-ky-ô bên lề Hội nghị Bộ trưởng FEALAC tháng 1/2010.
LT|1992-03-18|TTXVN 12/6/2025 (chuyến thăm của Tổng thống Lít-va): 18/3/1992.
SL|1982-06-24|Hai nước kỷ niệm 40 năm (24/6/1982 - 2022) (TTXVN).
RW|1975-09-30|Hai nước kỷ niệm 50 năm (30/9/1975 - 2025) (TTXVN).
DO|2005-07-07|Ký Thông cáo chung ngày 7/7/2005; Tuyên bố chung 2024.
BW|2009-02-11|Ký Thông cáo chung tại New York ngày 11/2/2009 (Báo Thế giới và Việt Nam, TTXVN).
SC|1979-08-16|TTXVN 2013 (chuyến thăm của Tổng thống Xây-sen): 16/8/1979.
SS|2019-02-21|Ký Thông cáo chung tại New York ngày 21/2/2019 (Việt Nam công nhận Nam Xu-đăng từ 2011).
MW|2024-09-23|Thiết lập ngày 23/9/2024 (theo giờ New York) bên lề Khóa họp Đại hội đồng Liên hợp quốc.
AF|1974-09-16|! Theo Wikipedia tiếng Việt «Quan hệ Afghanistan – Việt Nam»; các cơ quan đại diện đóng cửa từ 1992–1993.
MV|1975-10-18|! Năm 1975 đã đối chiếu (hai nước kỷ niệm 50 năm năm 2025); ngày chưa đối chiếu.
BI|1975-04-16|
CM|1972-08-30|Báo Thế giới và Việt Nam (baoquocte.vn) 9/2017 «Thúc đẩy thực chất hơn quan hệ Việt Nam - Cameroon»: 45 năm ngày thiết lập quan hệ ngoại giao (30/8/1972 – 30/8/2017); TTXVN (VietnamPlus tiếng Pháp 4/2017) cũng nói kỷ niệm 45 năm năm 2017. Bảng viết tay trước đây ghi 6/8/1976 (không có nguồn).
GA|1977-01-09|!
TG|1975-02-08|Việt Nam News 8/1/2025 «State President receives Togo's foreign minister» (February 8, 1975 – 2025); SGGP 8/1/2025 «Việt Nam mong muốn làm sâu sắc hơn nữa quan hệ với Togo» (8-2-1975 - 8-2-2025).
TD|1981-10-05|Bộ Ngoại giao, Vụ Trung Đông - Châu Phi, «Tài liệu cơ bản về nước Cộng hòa Sát và quan hệ với Việt Nam» (4/2019): quan hệ ngoại giao với Việt Nam 05/10/1981.
CF|2008-11-10|Sở Ngoại vụ TP. Hồ Chí Minh «Việt Nam luôn coi trọng việc củng cố và phát triển quan hệ với Trung Phi» (5/2009): thiết lập quan hệ ngoại giao 10/11/2008; TTXVN (OANA 21/5/2009) cũng ghi November 10, 2008.
BB|1995-08-25|Cơ quan Thông tin Chính phủ Bác-ba-đốt (GIS Barbados) «Minister McClean praises Vietnam strides»: "Barbados and Vietnam established diplomatic ties on August 25, 1995"; VietnamPlus 6/2021 (26 năm).
LR|2016-06-28|Đài Phát thanh Li-bê-ri-a (LBS) «Liberia, Vietnam resume diplomatic relations»: Thông cáo chung ký tại Hà Nội thứ Ba 28/6/2016; Báo Quân đội nhân dân (TTXVN) 4/2019: thiết lập tháng 6/2016.
HN|2005-05-17|Le Courrier du Vietnam (TTXVN) 6/2025: kỷ niệm 20 năm thiết lập quan hệ ngoại giao (17/5/2005 - 17/5/2025); VietnamPlus tiếng Pháp: tháng 5/2005.
HT|1997-09-26|Wikipedia tiếng Đức «Haitianisch-vietnamesische Beziehungen»: Tuyên bố chung ký tại New York ngày 26/9/1997; Le Courrier du Vietnam (TTXVN) 12/2012: thiết lập tháng 9/1997.
LC|2017-06-26|! Thông cáo chung ký tại New York ngày 26/6 (TTXVN: Đại sứ Nguyễn Phương Nga, Trưởng Phái đoàn Việt Nam tại Liên hợp quốc; gửi Tổng Thư ký Antonio Guterres); năm 2017 suy ra từ nhiệm kỳ của hai người, chưa có nguồn ghi năm.
KM|2015-09-25|! Theo Wikipedia tiếng Trung «越南—葛摩關係»: ký Thông cáo chung tại Phái đoàn thường trực Việt Nam tại Liên hợp quốc (New York) ngày 25/9/2015; chưa đối chiếu với nguồn của Bộ Ngoại giao/TTXVN.
"""
# Countries with which Viet Nam has relations but whose date this table does not know yet (no event is
# generated for them; listed in the generated file's header), and countries without relations.
RELATIONS_MISSING = """
AD|BA|BZ|BF|CD|DJ|GQ|ER|GM|GD|GT|KI|LS|LI|FM|MC|NR|NE|PW|SM|ST|SO|SR
""".strip().split("|")
# What is known of some of them, short of a day (the event needs a day; none is invented):
RELATIONS_PARTIAL = {
    "BA": "năm 1996 (VietnamPlus 12/2025: chuẩn bị kỷ niệm 30 năm quan hệ, 1996-2026); chưa tìm được ngày",
    "SR": "năm 1997 (Việt Nam News 8/2024: kỷ niệm 30 năm quan hệ ngoại giao vào năm 2027); chưa tìm được ngày",
}
NO_RELATIONS = {
    "VA": "chưa thiết lập quan hệ ngoại giao (Tòa Thánh có Đại diện thường trú tại Việt Nam từ 2023)",
}
# fmt: on

# Where the existing hand-written relations events came from (kept when they moved here from ky-niem.toml).
RELATIONS_ORIGIN = {
    'LA': 'KH thăm, chúc mừng Bắc Giang 2024 Phụ lục 01; Ngày thiết lập quan hệ ngoại giao Việt Nam – Lào 5/9/1962',
    'CN': 'KH thăm, chúc mừng Bắc Giang 2024 Phụ lục 01',
    'RU': 'KH thăm, chúc mừng Bắc Giang 2024 Phụ lục 01; Quan hệ ngoại giao với Liên Xô (30/1/1950), Liên bang Nga kế thừa',
    'KP': 'KH thăm, chúc mừng Bắc Giang 2024 Phụ lục 01',
    'CU': 'KH thăm, chúc mừng Bắc Giang 2024 Phụ lục 01',
    'ID': 'đối tác khu vực/quan trọng (không có trong seed)',
    'KH': 'đối tác khu vực/quan trọng (không có trong seed)',
    'IN': 'KH thăm, chúc mừng Bắc Giang 2024 Phụ lục 01',
    'AU': 'đối tác nêu trong KH sự kiện đối ngoại Bắc Giang 2022–2030/001; KH thăm, chúc mừng Bắc Giang 2024 Phụ lục 02 mục I.6 (Đại sứ quán Australia)',
    'IT': 'KH thăm, chúc mừng Bắc Giang 2024 Phụ lục 01',
    'MY': 'đối tác khu vực/quan trọng (không có trong seed)',
    'NL': 'KH thăm, chúc mừng Bắc Giang 2024 Phụ lục 01',
    'FR': 'KH thăm, chúc mừng Bắc Giang 2024 Phụ lục 01',
    'SG': 'KH thăm, chúc mừng Bắc Giang 2024 Phụ lục 01',
    'CA': 'đối tác khu vực/quan trọng (không có trong seed)',
    'GB': 'đối tác khu vực/quan trọng (không có trong seed)',
    'JP': 'KH thăm, chúc mừng Bắc Giang 2024 Phụ lục 01',
    'DE': 'đối tác khu vực/quan trọng (không có trong seed); Với Cộng hòa Liên bang Đức (23/9/1975)',
    'MM': 'đối tác khu vực/quan trọng (không có trong seed)',
    'NZ': 'đối tác khu vực/quan trọng (không có trong seed)',
    'PH': 'đối tác khu vực/quan trọng (không có trong seed)',
    'TH': 'KH thăm, chúc mừng Bắc Giang 2024 Phụ lục 01',
    'BN': 'đối tác khu vực/quan trọng (không có trong seed); Ngày 29/2: năm không nhuận kỷ niệm vào 28/2',
    'KR': 'KH thăm, chúc mừng Bắc Giang 2024 Phụ lục 01',
    'IL': 'đối tác nêu trong KH sự kiện đối ngoại Bắc Giang 2022–2030/001; KH sự kiện đối ngoại Bắc Giang 2022–2030 §II.1 nêu I-xra-en là đối tác',
    'US': 'KH thăm, chúc mừng Bắc Giang 2024 Phụ lục 01',
}
# The relations events' titles use these names where they differ from the short name.
RELATIONS_NAME = {"RU": "Liên bang Nga"}

# Countries whose title is not "Quốc khánh <name>" (the day is not called national day).
TITLES = {
    "JP": "Ngày sinh Nhà vua Nhật Bản (Quốc khánh Nhật Bản)",
    "NL": "Ngày Nhà vua Hà Lan (Quốc khánh Hà Lan)",
    "GB": "Ngày sinh chính thức của Nhà vua Anh (Quốc khánh Vương quốc Anh)",
    "DK": "Ngày Hiến pháp Đan Mạch (Quốc khánh Đan Mạch)",
    "VA": "Ngày kỷ niệm Giáo hoàng đắc cử (Quốc khánh Tòa Thánh Va-ti-can)",
    "AU": "Ngày nước Úc (Quốc khánh Ô-xtrây-li-a)",
}
TITLES_EN = {
    "JP": "The Emperor's Birthday (National Day of Japan)",
    "NL": "King's Day (National Day of the Netherlands)",
    "GB": "The King's Official Birthday (National Day of the United Kingdom)",
    "DK": "Constitution Day (National Day of Denmark)",
    "VA": "Anniversary of the Pope's election (National Day of the Holy See)",
    "AU": "Australia Day (National Day of Australia)",
}
# Titles of the split-off events, where the day had another name then.
SPLIT_TITLES = {
    "quoc-khanh-kr-giai-phong": ("Ngày Giải phóng Hàn Quốc (Quốc khánh Hàn Quốc theo ngày 15/8)",
                                 "Liberation Day of Korea (National Day of the Republic of Korea, 15 August)"),
    "quoc-khanh-in-doc-lap": ("Ngày Độc lập Ấn Độ (Quốc khánh Ấn Độ theo ngày 15/8)",
                              "Independence Day of India (National Day of India, 15 August)"),
    "quoc-khanh-gb-1979-2016": ("Ngày sinh chính thức của Nữ hoàng Anh (Quốc khánh Vương quốc Anh)",
                                "The Queen's Official Birthday (National Day of the United Kingdom)"),
    "quoc-khanh-nl-1980-2013": ("Ngày Nữ hoàng Hà Lan (Quốc khánh Hà Lan)", "Queen's Day (National Day of the Netherlands)"),
    "quoc-khanh-nl-1949-1979": ("Ngày Nữ hoàng Hà Lan (Quốc khánh Hà Lan)", "Queen's Day (National Day of the Netherlands)"),
    "quoc-khanh-jp-2019": ("Lễ đăng quang của Nhà vua Nhật Bản (Quốc khánh Nhật Bản năm 2019)",
                           "Enthronement of the Emperor (National Day of Japan in 2019)"),
}
# Where the letter goes, if not "Đại sứ quán <name>".
RECIPIENT = {"VA": "Đại diện thường trú của Tòa Thánh tại Việt Nam"}
RECIPIENT_EN = {"VA": "the Resident Representative of the Holy See in Viet Nam"}
# Event rule extras of the rule in force now (see SPLITS for the earlier ones).
EXTRA: dict[str, dict[str, int]] = {
    "VA": {"start": 2025}, "TH": {"start": 1960}, "JP": {"start": 2020}, "NL": {"start": 2014},
    "KZ": {"start": 2022}, "HR": {"start": 2020}, "IQ": {"start": 2020}, "OM": {"start": 2020},
    "QA": {"start": 2007}, "MA": {"start": 2000}, "PL": {"start": 1990}, "RO": {"start": 1990},
    "BG": {"start": 1990}, "HU": {"start": 1990}, "LY": {"start": 2012}, "NP": {"start": 2016, "until": 2032},
    "IR": {"start": 1980}, "TM": {"start": 1992}, "BY": {"start": 1997}, "BJ": {"start": 1991},
    "CF": {"start": 1979}, "IT": {"start": 2001}, "UA": {"start": 1992}, "GB": {"start": 2017},
}
# Where the date comes from, when more specific than (or absent from) the `holidays` package.
SOURCES = {
    "CN": "Nghị quyết ngày 2/12/1949 của Hội đồng Chính phủ Nhân dân Trung ương về Ngày Quốc khánh 1/10",
    "US": "5 U.S.C. § 6103(a): Independence Day 4/7",
    "FR": "Luật ngày 6/7/1880: Ngày lễ quốc gia 14/7",
    "JP": "Luật Ngày lễ quốc gia (1948) Điều 2, sửa đổi năm 2017: Ngày sinh Nhà vua 23/2 từ năm 2020",
    "KR": "Luật về các ngày lễ quốc gia (1949): Ngày Lập quốc (Gaecheonjeol) 3/10",
    "LA": "Ngày thành lập nước Cộng hòa Dân chủ Nhân dân Lào 2/12/1975",
    "KZ": "Luật «Về các ngày lễ» của Ca-dắc-xtan, sửa đổi năm 2022: Ngày Cộng hòa 25/10 là quốc lễ",
    "NL": "Nghị định Hoàng gia (Koninklijk Besluit) năm 2013: Ngày Nhà vua 27/4, dời sang 26/4 khi trùng Chủ nhật",
    "TH": "Quyết định năm 1960 của Chính phủ Thái Lan: Ngày Quốc gia 5/12; điện mừng Quốc khánh của lãnh đạo Việt Nam ngày 5/12 (TTXVN 2019, 2020)",
    "HR": "Luật Ngày lễ (Zakon o blagdanima) sửa đổi năm 2019, hiệu lực 2020: Ngày Nhà nước 30/5",
    "DE": "Hiệp ước Thống nhất 1990 Điều 2(2): Ngày Thống nhất nước Đức 3/10",
    "IT": "Luật số 260 ngày 27/5/1949: Ngày Cộng hòa 2/6",
    "RU": "Bộ luật Lao động Liên bang Nga Điều 112: Ngày nước Nga 12/6",
    "IN": "Hiến pháp Ấn Độ có hiệu lực ngày 26/1/1950 (Ngày Cộng hòa)",
    "SG": "Đạo luật Ngày lễ (Holidays Act) của Xinh-ga-po: Ngày Quốc khánh 9/8",
    "CU": "Ngày Chiến thắng của Cách mạng 1/1/1959",
    "KP": "Ngày thành lập nước Cộng hòa Dân chủ Nhân dân Triều Tiên 9/9/1948",
    "BA": "Luật ngày lễ của Liên bang Bô-xni-a Héc-dê-gô-vi-na (thực thể): Ngày Độc lập 1/3; cấp nhà nước chưa có luật ngày lễ chung",
    "DK": "Ngày Hiến pháp (Grundlovsdag) 5/6/1849; Đan Mạch không có luật về quốc khánh",
    "TO": "Ngày Giải phóng (Emancipation Day) 4/6/1970 theo các danh sách quốc khánh dùng trong ngoại giao; chưa đối chiếu",
    "VA": "Thông lệ của Tòa Thánh: ngày kỷ niệm Giáo hoàng đương nhiệm đắc cử (Giáo hoàng Lê-ô XIV, 8/5/2025)",
    "OM": "Quốc khánh 20/11 từ năm 2020 (ngày thành lập nhà nước Al Busaid, 1744), theo quyết định của Quốc vương Haitham",
    "IQ": "Quyết định của Hội đồng Bộ trưởng I-rắc năm 2020: Quốc khánh 3/10 (ngày I-rắc gia nhập Hội Quốc liên, 1932)",
    "GB": "Ngày sinh chính thức của Nhà vua (King's Birthday Parade), Hoàng gia Anh công bố hằng năm: Wikipedia «List of Trooping the Colour by event from 1890» (2017–2025: 17/6/2017 … 2/6/2022 … 14/6/2025); Buckingham Palace 22/12/2022 (Metro: 17/6/2023); LBC 14/6/2024 (15/6/2024); Kent Grenadiers «King's Birthday Parade» (14/6/2025); năm chưa công bố: thứ Bảy trong khoảng 11–17/6, tạm tính",
    "AT": "Luật Quốc khánh (Nationalfeiertagsgesetz) 1965: 26/10",
    "ES": "Luật 18/1987: Fiesta Nacional de España 12/10",
    "CH": "Hiến pháp Liên bang Thụy Sĩ Điều 110 khoản 3: Quốc khánh 1/8",
    "SE": "Luật ngày lễ (Lag om allmänna helgdagar, 1989:253): Quốc khánh 6/6",
    "NO": "Ngày Hiến pháp 17/5/1814 (Luật ngày lễ 1947)",
    "TR": "Luật số 2429 (1981) về ngày lễ quốc gia: Ngày Cộng hòa 29/10",
    "PL": "Luật ngày 6/4/1990 về Ngày lễ Hiến pháp 3/5",
    "RO": "Luật số 10/1990: Ngày Quốc khánh 1/12",
}

SPLIT_SOURCES = {
    "quoc-khanh-gb-1979-2016": "Wikipedia «List of Trooping the Colour by event from 1890»: năm 1979–2017 Queen's Birthday Parade vào thứ Bảy trong khoảng 11–17/6",
    "quoc-khanh-nl-1980-2013": 'Ngày Nữ hoàng (Koninginnedag) 30/4, dời sang 29/4 khi trùng Chủ nhật; gói holidays: NL "Queen\'s Day"',
    "quoc-khanh-nl-1949-1979": 'Ngày Nữ hoàng (Koninginnedag) 30/4, dời sang 1/5 khi trùng Chủ nhật; gói holidays (từ năm 1966): NL "Queen\'s Day"',
}


def q(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def vn(iso: str) -> str:
    y, m, d = iso.split("-")
    return f"{int(d)}/{int(m)}/{y}"


def _lines(text: str) -> list[list[str]]:
    return [line.split("|") for line in text.strip().splitlines() if line.strip()]


def rows() -> list[tuple[str, str, str, str, str, str]]:
    seen: set[str] = set()
    out = []
    for cols in _lines(TABLE):
        cc, name, date, since, kind, note = (cols + [""] * 6)[:6]
        assert len(cc) == 2 and cc.isupper(), cols
        assert cc not in seen, cc
        seen.add(cc)
        out.append((cc, name, date, since, kind, note))
    return out


def names() -> dict[str, tuple[str, str, str]]:
    out = {}
    for cc, short_en, off_vi, off_en in _lines(NAMES):
        assert cc not in out, cc
        out[cc] = (short_en, off_vi, off_en)
    return out


def en_plain(short_en: str) -> str:
    """'the United States' → 'United States' (for lists and tables)."""
    return short_en[4:] if short_en.startswith("the ") else short_en


@dataclass
class Rule:
    id: str
    cc: str
    date: str
    since: str
    start: int | None
    until: int | None
    kind: str
    note: str
    main: bool
    alternative: bool = False
    source: str = ""


def national_rules() -> list[Rule]:
    out = []
    for cc, _name, date, since, kind, note in rows():
        x = EXTRA.get(cc, {})
        out.append(Rule(f"quoc-khanh-{cc.lower()}", cc, date, since, x.get("start"), x.get("until"), kind, note, True))
    for eid, cc, date, since, start, until, kind, note in _lines(SPLITS):
        out.append(Rule(eid, cc, date, since, int(start) if start else None, int(until) if until else None,
                        kind, note, False))
    for eid, cc, date, since, kind, note, source in _lines(ALTERNATIVES):
        out.append(Rule(eid, cc, date, since, None, None, kind, note, False, alternative=True, source=source))
    return out


def span(r: Rule) -> str:
    """The years a rule applies: "năm 1960–2016", "đến năm 1959", "từ năm 2033"."""
    if r.start and r.until:
        return f"năm {r.start}" if r.start == r.until else f"năm {r.start}–{r.until}"
    if r.until:
        return f"đến năm {r.until}"
    return f"từ năm {r.start}" if r.start else "mọi năm"


def _years(r: Rule) -> list[int]:
    lo = max(r.start or 1950, int(r.since[:4]) if r.since else 1950, 1950)
    hi = min(r.until or 2099, 2099)
    return list(range(lo, hi + 1))


def package_name(cc: str, date: str, years: list[int]) -> str | None:
    """The `holidays` package's name for the fixed day ``MM-DD`` of country ``cc``, if it has one."""
    import collections
    import datetime as dt

    import holidays

    if not re.fullmatch(r"\d\d-\d\d", date) or cc not in holidays.list_supported_countries():
        return None
    m, d = int(date[:2]), int(date[3:])
    sample = years[:: max(1, len(years) // 12)] + years[-1:]
    on_day: collections.Counter[str] = collections.Counter()  # sampled years the name is on that day
    anywhere: collections.Counter[str] = collections.Counter()  # sampled years the name exists at all
    for y in sample:
        if m == 2 and d == 29:
            continue
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # "available only from … to …": that year simply has no answer
            year = holidays.country_holidays(cc, years=y, language="en_US")
        names = {n for text in year.values() for n in text.split("; ")}
        there = set(year.get(dt.date(y, m, d), "").split("; "))
        for n in names:
            if not re.search(r"estimated|observed|in lieu", n):
                anywhere[n] += 1
                on_day[n] += n in there
    # A name that is usually elsewhere is a movable holiday that happened to fall on the day (Pentecost).
    good = [(n, k) for n, k in on_day.items() if k >= 2 and k * 3 >= anywhere[n] * 2]
    if not good:
        return None
    return sorted(good, key=lambda nk: (-nk[1], nk[0]))[0][0]


def source_of(r: Rule) -> str:
    if r.date.startswith("holiday:"):
        _, hcc, hname = r.date.split(":", 2)
        pkg = f'gói holidays: {hcc} "{hname}"'
    else:
        name = package_name(r.cc, r.date, _years(r))
        pkg = f'gói holidays: {r.cc} "{name}"' if name else ""
    manual = r.source or (SOURCES.get(r.cc) if r.main else SPLIT_SOURCES.get(r.id, ""))
    if pkg and not manual:
        manual = r.kind + (f" {vn(r.since)}" if r.since else "")
    parts = [p for p in (manual, pkg) if p]
    if not parts:
        text = r.note[1:].strip() if r.note.startswith("!") else r.note
        assert text, f"{r.id}: no source (not in the holidays package): add one to SOURCES or a note"
        parts = [f"{r.kind}: {text}"]
    return "; ".join(parts)


def render_national(nm: dict[str, tuple[str, str, str]], vi: dict[str, str]) -> str:
    rules = national_rules()
    doubtful = [(r.cc, vi[r.cc], r.id, r.note[1:].strip()) for r in rules if r.note.startswith("!")]
    out: list[str] = []
    w = out.append
    w("# Quốc khánh các nước — SINH TỰ ĐỘNG bởi tools/gen_national_days.py; đừng sửa tay tệp này,")
    w("# hãy sửa bảng trong tools/gen_national_days.py rồi chạy: .venv/bin/python tools/gen_national_days.py")
    w("#")
    w(f"# {len(rows())} nước: 192 quốc gia thành viên Liên hợp quốc (trừ Việt Nam — Quốc khánh 2/9 nằm ở")
    w("# ngay-le-viet-nam.toml) cộng Nhà nước Pa-le-xtin và Tòa Thánh Va-ti-can. Không có Đài Loan.")
    w("# Mỗi nước chỉ sinh việc nếu mã nước có trong một tier của [partners] trong cấu hình tỉnh.")
    w("#")
    w("# Hai việc cho mỗi nước (KH thăm, chúc mừng Bắc Giang 2024 §II.1):")
    w('#   tier "regular"           → thư của Chủ tịch UBND tỉnh gửi Đại sứ quán, 05–07 ngày làm việc trước (§II.1.1)')
    w('#   tier "local_cooperation" → thư gửi Đại sứ quán và lãnh đạo địa phương đối tác, 10–15 ngày làm việc trước (§II.1.2)')
    w("#")
    w("# Ngày đã đổi theo thời gian (ngày sinh của vua mới, luật mới): sự kiện \"quoc-khanh-xx\" là quy tắc đang")
    w("# áp dụng (có start); các quy tắc cũ là sự kiện riêng có start/until (vd. quoc-khanh-th-1960-2016), để")
    w("# mỗi năm đều ra đúng ngày của năm đó. Nước dùng hai ngày: ghi ngày mà thông lệ ngoại giao dùng, ngày kia")
    w("# nêu trong ghi chú của nước đó.")
    w("#")
    w("# Nguồn (khóa source của từng sự kiện, in ra bởi `reminderd explain`): luật/ngày lễ chính thức của từng")
    w("# nước; tên ngày lễ trong gói `holidays` (python-holidays) khi gói có ngày đó — tests/test_national_days.py")
    w("# đối chiếu lại với gói; Kế hoạch Bắc Giang 2024 Phụ lục 01 (14 nước).")
    w("# KHÔNG tra được trực tiếp danh sách của Cục Lễ tân Nhà nước (Bộ Ngoại giao Việt Nam): trước khi dùng")
    w("# chính thức, Sở Ngoại vụ nên đối chiếu bảng này với danh sách Quốc khánh do Cục Lễ tân Nhà nước gửi hằng năm.")
    w("#")
    w("# Khác với KH thăm, chúc mừng Bắc Giang 2024 Phụ lục 01 (giải thích ở từng mục): Hà Lan (seed 30/4 → Ngày Nhà vua 27/4/26/4),")
    w("# Hàn Quốc (seed 15/8 → 3/10), Ấn Độ (seed 15/8 → 26/1).")
    w("#")
    w("# Ngày CHƯA kiểm chứng được đầy đủ (cần đối chiếu trước khi gửi thư):")
    for cc, name, eid, note in doubtful:
        w(f"#   {cc} {name} ({eid}): {note}")
    w("")
    for r in rules:
        cc = r.cc
        name = vi[cc]
        short_en, _off_vi, _off_en = nm[cc]
        if r.id in SPLIT_TITLES:
            title, title_en = SPLIT_TITLES[r.id]
        else:
            title = TITLES.get(cc, f"Quốc khánh {name}")
            title_en = TITLES_EN.get(cc, f"National Day of {short_en}")
        recipient = RECIPIENT.get(cc, f"Đại sứ quán {name}")
        recipient_en = RECIPIENT_EN.get(cc, f"the Embassy of {short_en}")
        w("")
        period = ""
        if r.alternative:
            period = " (ngày thay thế, chỉ dùng khi cấu hình chọn trong [national_days])"
        elif not r.main:
            period = f" (quy tắc tách riêng, {span(r)})"
        w(f"# {cc} — {r.kind}{period}; thư theo KH thăm, chúc mừng Bắc Giang 2024 §II.1.1–1.2")
        if r.note:
            text = r.note[1:].strip() if r.note.startswith("!") else r.note
            prefix = "CHƯA KIỂM CHỨNG: " if r.note.startswith("!") else ""
            w(f"# {prefix}{text}")
        w("[[event]]")
        w(f"id = {q(r.id)}")
        w(f"title = {q(title)}")
        w(f"title_en = {q(title_en)}")
        w(f"date = {q(r.date)}")
        w(f"country = {q(cc)}")
        w('tags = ["quoc-khanh"]')
        if r.since:
            w(f"since = {q(r.since)}")
        if r.start is not None:
            w(f"start = {r.start}")
        if r.until is not None:
            w(f"until = {r.until}")
        if r.alternative:
            w("alternative = true")
        w(f"source = {q(source_of(r))}")
        if r.id in ANNOUNCED:
            w("announced = { " + ", ".join(f"{y} = {d}" for y, d in sorted(ANNOUNCED[r.id].items())) + " }")
        desc = f"{r.kind} của {name}."
        if r.since:
            desc += f" Mốc tính số năm: {vn(r.since)}."
        if r.alternative:
            desc += " Đây là ngày Quốc khánh thay thế: tỉnh chọn gửi thư chúc mừng vào ngày này hay vào ngày mặc định."
        elif not r.main:
            desc += f" Quy tắc áp dụng {span(r)}."
        if r.note:  # the other day a country marks, moves, doubts: staff see them in feeds too
            note = r.note[1:].strip() if r.note.startswith("!") else r.note
            desc += (" Cần đối chiếu: " if r.note.startswith("!") else " ") + note
        w(f"description = {q(desc)}")
        w("")
        w("[[event.task]]")
        w('id = "thu-chuc-mung"')
        w(f"action = {q(f'Chủ tịch UBND tỉnh gửi thư chúc mừng {recipient} nhân Quốc khánh {name}')}")
        action_en = f"The Chairman of the Provincial People's Committee sends a letter of congratulations to {recipient_en} on the National Day of {short_en}"
        w(f"action_en = {q(action_en)}")
        w('lead = "5-7wd"')
        w('owner = "so-ngoai-vu"')
        w('tier = "regular"')
        w("")
        w("[[event.task]]")
        w('id = "thu-chuc-mung-dia-phuong"')
        w(f"action = {q(f'Chủ tịch UBND tỉnh gửi thư chúc mừng {recipient} và lãnh đạo địa phương của {name} có quan hệ hợp tác với tỉnh nhân Quốc khánh {name}')}")
        action_en = f"The Chairman of the Provincial People's Committee sends letters of congratulations on the National Day of {short_en} to {recipient_en} and to the leaders of its localities that cooperate with the province"
        w(f"action_en = {q(action_en)}")
        w('lead = "10-15wd"')
        w('owner = "so-ngoai-vu"')
        w('tier = "local_cooperation"')
    return "\n".join(out) + "\n"


def relations() -> list[tuple[str, str, str]]:
    out = []
    seen: set[str] = set()
    for cols in _lines(RELATIONS_TABLE):
        cc, date, note = (cols + [""] * 3)[:3]
        assert cc not in seen, cc
        seen.add(cc)
        out.append((cc, date, note))
    return sorted(out, key=lambda r: (r[1], r[0]))


PLAN_NOTE = ("KH công tác đối ngoại tỉnh Bình Định 2022–2023 Phụ lục mục IV.2 (Sở Ngoại vụ chủ trì, các sở, ban, "
             "ngành và địa phương liên quan phối hợp)")
LETTER_NOTE = ("KH thăm, chúc mừng các đối tác nước ngoài năm 2024 (Bắc Giang) mục I.1 (chúc mừng nhân ngày thiết "
               "lập quan hệ ngoại giao); thời hạn theo mục {section}")


def render_relations(nm: dict[str, tuple[str, str, str]], vi: dict[str, str]) -> str:
    rel = relations()
    doubtful = [(cc, vi[cc], date, note[1:].strip()) for cc, date, note in rel if note.startswith("!")]
    out: list[str] = []
    w = out.append
    w("# Kỷ niệm ngày thiết lập quan hệ ngoại giao giữa Việt Nam và các nước — SINH TỰ ĐỘNG bởi")
    w("# tools/gen_national_days.py (bảng RELATIONS_TABLE); đừng sửa tay tệp này.")
    w("#")
    w(f"# {len(rel)} nước. Ngày là ngày Việt Nam Dân chủ Cộng hòa / Cộng hòa Xã hội chủ nghĩa Việt Nam thiết lập")
    w("# quan hệ ngoại giao với nước đó, theo danh sách «Danh sách các nước thiết lập quan hệ ngoại giao với Việt")
    w("# Nam» của Bộ Ngoại giao và các bài báo kỷ niệm năm tròn. Nước kế thừa: ghi rõ ở từng mục ngày nào được dùng")
    w("# (Nga: 30/1/1950 với Liên Xô; Séc, Xlô-va-ki-a: 2/2/1950 với Tiệp Khắc; Xéc-bi-a: 10/3/1957 với Nam Tư;")
    w("# Đức: 23/9/1975 với Cộng hòa Liên bang Đức; các nước độc lập sau 1991/1993: ngày của chính nước đó).")
    w("#")
    w("# Việc (chỉ vào năm tròn — when = \"milestone\": số năm chia hết cho 5; năm khác vẫn có sự kiện trên lịch):")
    w('#   tier "regular"           → thư chúc mừng của Chủ tịch UBND tỉnh gửi Đại sứ quán, 05–07 ngày làm việc trước (KH thăm, chúc mừng Bắc Giang 2024 §II.1.1)')
    w('#   tier "local_cooperation" → thư gửi Đại sứ quán và lãnh đạo địa phương đối tác, 10–15 ngày làm việc trước (§II.1.2),')
    w("#                              và kế hoạch hoạt động của tỉnh 40–60 ngày làm việc trước (KH công tác đối ngoại Bình Định 2022–2023 Phụ lục mục IV.2)")
    w("#")
    w("# Ngày CHƯA đối chiếu được với danh sách của Bộ Ngoại giao (cần kiểm tra trước khi dùng):")
    for cc, name, date, note in doubtful:
        w(f"#   {cc} {name}: {vn(date)}" + (f" — {note}" if note else ""))
    w("#")
    w("# Nước có quan hệ ngoại giao với Việt Nam nhưng bảng CHƯA có ngày (không sinh sự kiện; cần bổ sung):")
    missing = sorted(RELATIONS_MISSING)
    for i in range(0, len(missing), 8):
        w("#   " + ", ".join(f"{cc} {vi[cc]}" for cc in missing[i:i + 8]))
    for cc, known in sorted(RELATIONS_PARTIAL.items()):
        w(f"#   ({cc}: {known})")
    w("# Không có quan hệ ngoại giao / chưa rõ:")
    for cc, why in sorted(NO_RELATIONS.items()):
        w(f"#   {cc} {vi[cc]}: {why}")
    w("")
    for cc, date, note in rel:
        lc = cc.lower()
        name = RELATIONS_NAME.get(cc, vi[cc])
        short_en = nm[cc][0]
        plain_en = en_plain(short_en)
        uncertain = note.startswith("!")
        text = note[1:].strip() if uncertain else note
        w("")
        origin = RELATIONS_ORIGIN.get(cc)
        w(f"# {cc}: {vn(date)}" + (f"; {origin}" if origin else "") + (f"; {text}" if text else ""))
        if uncertain:
            w("# CHƯA ĐỐI CHIẾU với danh sách của Bộ Ngoại giao.")
        w("[[event]]")
        w(f"id = {q('ky-niem-quan-he-ngoai-giao-' + lc)}")
        w(f"title = {q(f'Kỷ niệm {{ordinal}} năm Ngày thiết lập quan hệ ngoại giao Việt Nam – {name} ({vn(date)} - {{date}})')}")
        w(f"title_en = {q(f'{{ordinal}} years of Viet Nam – {plain_en} diplomatic relations ({vn(date)} - {{date}})')}")
        w(f"date = {q(date[5:])}")
        w(f"since = {q(date)}")
        w(f"country = {q(cc)}")
        w('tags = ["ky-niem-quan-he-ngoai-giao"]')
        src = (f"Ngày thiết lập quan hệ ngoại giao {vn(date)}, mốc hai nước kỷ niệm (tin của Bộ Ngoại giao, "
               "TTXVN các dịp kỷ niệm)")
        if uncertain:
            src = (f"{vn(date)} — chưa đối chiếu được với Danh sách các nước thiết lập quan hệ ngoại giao với "
                   "Việt Nam (Bộ Ngoại giao)")
        if text:
            src += f"; {text}"
        w(f"source = {q(src)}")
        if text:
            w(f"description = {q(text)}")
        w("")
        w("[[event.task]]")
        w('id = "thu-chuc-mung"')
        w(f"action = {q(f'Chủ tịch UBND tỉnh gửi thư chúc mừng Đại sứ quán {name} nhân kỷ niệm {{ordinal}} năm thiết lập quan hệ ngoại giao Việt Nam – {name}')}")
        action_en = f"The Chairman of the Provincial People's Committee sends a letter of congratulations to the Embassy of {short_en} on {{ordinal}} years of Viet Nam – {plain_en} diplomatic relations"
        w(f"action_en = {q(action_en)}")
        w('lead = "5-7wd"')
        w('owner = "so-ngoai-vu"')
        w('when = "milestone"')
        w('tier = "regular"')
        w(f"note = {q(LETTER_NOTE.format(section='II.1.1'))}")
        w("")
        w("[[event.task]]")
        w('id = "thu-chuc-mung-dia-phuong"')
        w(f"action = {q(f'Chủ tịch UBND tỉnh gửi thư chúc mừng Đại sứ quán {name} và lãnh đạo địa phương đối tác của {name} nhân kỷ niệm {{ordinal}} năm thiết lập quan hệ ngoại giao Việt Nam – {name}')}")
        action_en = f"The Chairman of the Provincial People's Committee sends letters of congratulations to the Embassy of {short_en} and to the leaders of its partner localities on {{ordinal}} years of Viet Nam – {plain_en} diplomatic relations"
        w(f"action_en = {q(action_en)}")
        w('lead = "10-15wd"')
        w('owner = "so-ngoai-vu"')
        w('when = "milestone"')
        w('tier = "local_cooperation"')
        w(f"note = {q(LETTER_NOTE.format(section='II.1.2'))}")
        w("")
        w("[[event.task]]")
        w('id = "ke-hoach-hoat-dong"')
        w(f"action = {q(f'Sở Ngoại vụ tham mưu UBND tỉnh các hoạt động của tỉnh nhân kỷ niệm {{ordinal}} năm thiết lập quan hệ ngoại giao Việt Nam – {name} (theo Đề án/kế hoạch của Bộ Ngoại giao nếu có)')}")
        action_en = f"The Department of Foreign Affairs proposes to the Provincial People's Committee the province's activities for {{ordinal}} years of Viet Nam – {plain_en} diplomatic relations (following the Ministry of Foreign Affairs' plan, if any)"
        w(f"action_en = {q(action_en)}")
        w('lead = "40-60wd"')
        w('owner = "so-ngoai-vu"')
        w('when = "milestone"')
        w('tier = "local_cooperation"')
        w(f"note = {q(PLAN_NOTE)}")
    return "\n".join(out) + "\n"


def render_countries(nm: dict[str, tuple[str, str, str]], vi: dict[str, str]) -> str:
    codes = sorted(vi)
    assert set(codes) == set(nm), set(codes) ^ set(nm)
    rel = {cc: date for cc, date, _ in relations()}
    unverified = sorted(cc for cc, _, note in relations() if note.startswith("!"))
    main_ids = {r.cc: r.id for r in national_rules() if r.main}
    all_ids: dict[str, list[str]] = {}
    for r in national_rules():
        all_ids.setdefault(r.cc, []).append(r.id)

    def table(name: str, doc: str, values: dict[str, str]) -> list[str]:
        return [f"# {doc}", f"{name}: dict[str, str] = {{", *[f"    {k!r}: {v!r}," for k, v in sorted(values.items())], "}", ""]

    lines = [
        '"""Country names, official names, diplomatic relations and national-day event ids.',
        "",
        "GENERATED by tools/gen_national_days.py from its tables. Do not edit by hand: edit the tables and run",
        "``.venv/bin/python tools/gen_national_days.py``.",
        '"""',
        "",
        "from __future__ import annotations",
        "",
        *table("VI", "Short Vietnamese names, as the catalog's titles use them.", vi),
        *table("EN", "Short English names.", {cc: en_plain(nm[cc][0]) for cc in codes}),
        *table("OFFICIAL_VI", "Official full names in Vietnamese (the Ministry of Foreign Affairs' spelling).",
               {cc: nm[cc][1] for cc in codes}),
        *table("OFFICIAL_EN", "Official full names in English.", {cc: nm[cc][2] for cc in codes}),
        *table("RELATIONS", "ISO date on which Viet Nam established diplomatic relations with the country "
               "(calendars/quan-he-ngoai-giao.toml).", rel),
        "# RELATIONS dates not yet checked against the Ministry of Foreign Affairs' list.",
        "RELATIONS_UNVERIFIED: frozenset[str] = frozenset({",
        *[f"    {', '.join(repr(c) for c in unverified[i:i + 12])}," for i in range(0, len(unverified), 12)],
        "})",
        "",
        *table("NO_RELATIONS", "Countries Viet Nam has no diplomatic relations with (none to look for), and why.",
               NO_RELATIONS),
        *table("RELATIONS_UNKNOWN", "Countries with relations whose date could not be found in a source yet "
               "(no anniversary event), and what is known.",
               {cc: RELATIONS_PARTIAL.get(cc, "chưa tìm được nguồn ghi ngày thiết lập quan hệ ngoại giao")
                for cc in RELATIONS_MISSING}),
        *table("RELATIONS_EVENT", "Code → the event id of its diplomatic-relations anniversary.",
               {cc: f"ky-niem-quan-he-ngoai-giao-{cc.lower()}" for cc in rel}),
        *table("NATIONAL_DAY_EVENT", "Code → the event id of its national day (the rule in force now).", main_ids),
        "# Code → every national-day event id, the one in force now first, then earlier rules (start/until).",
        "NATIONAL_DAY_EVENTS: dict[str, tuple[str, ...]] = {",
        *[f"    {cc!r}: {tuple(ids)!r}," for cc, ids in sorted(all_ids.items())],
        "}",
        "",
        "",
        'def country_name(code: str, language: str = "vi") -> str:',
        '    """The country\'s short name in ``language``; the code itself if we have none."""',
        '    table = EN if language == "en" else VI',
        "    return table.get(code) or VI.get(code) or code",
        "",
        "",
        'def official_name(code: str, language: str = "vi") -> str:',
        '    """The country\'s official full name in ``language``; its short name if we have none."""',
        '    table = OFFICIAL_EN if language == "en" else OFFICIAL_VI',
        "    return table.get(code) or country_name(code, language)",
        "",
    ]
    return "\n".join(lines)


def render() -> dict[str, str]:
    """Every generated file: path relative to the repository → text."""
    nm = names()
    vi = {cc: name for cc, name, *_ in rows()} | {"VN": "Việt Nam"}
    return {
        "calendars/quoc-khanh.toml": render_national(nm, vi),
        "calendars/quan-he-ngoai-giao.toml": render_relations(nm, vi),
        "reminderd/countries.py": render_countries(nm, vi),
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out-dir", type=pathlib.Path, default=ROOT,
                    help="write under this directory instead of the repository (same relative paths)")
    args = ap.parse_args(argv)
    for rel, text in render().items():
        path = args.out_dir / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
