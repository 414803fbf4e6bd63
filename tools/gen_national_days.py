#!/usr/bin/env python3
"""Sinh calendars/quoc-khanh.toml từ bảng dữ liệu bên dưới.

Chạy:  /work/venv/bin/python tools/gen_national_days.py   (từ thư mục gốc của repo)

Bảng: một dòng một nước, các cột cách nhau bằng "|":
  mã ISO | tên tiếng Việt | dạng ngày | since (YYYY-MM-DD hoặc trống) | tên ngày lễ | ghi chú
Dạng ngày theo SPEC §3 ("MM-DD", "holiday:CC:Name", "rrule:…").
Ghi chú bắt đầu bằng "!" = ngày chưa kiểm chứng được đầy đủ (được liệt kê ở đầu tệp sinh ra).
Tệp TOML là thứ được phát hành; sửa bảng này rồi chạy lại lệnh trên, không sửa tay tệp sinh ra.
"""
from __future__ import annotations

import pathlib
import sys

OUT = pathlib.Path(__file__).resolve().parent.parent / "calendars" / "quoc-khanh.toml"
NAMES_OUT = pathlib.Path(__file__).resolve().parent.parent / "reminderd" / "countries.py"

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
BY|Bê-la-rút|07-03|1944-07-03|Ngày Độc lập (giải phóng Minxcơ)|
BE|Bỉ|07-21|1831-07-21|Quốc khánh|
BZ|Bê-li-xê|09-21|1981-09-21|Ngày Độc lập|
BJ|Bê-nanh|08-01|1960-08-01|Ngày Độc lập|
BT|Bu-tan|12-17|1907-12-17|Quốc khánh|
BO|Bô-li-vi-a|08-06|1825-08-06|Ngày Độc lập|
BA|Bô-xni-a Héc-dê-gô-vi-na|03-01|1992-03-01|Ngày Độc lập|! Cấp nhà nước không có luật ngày lễ chung; Thực thể Liên bang dùng 1/3 (Ngày Độc lập) và 25/11 (Ngày Nhà nước). Chưa xác minh được ngày Bộ Ngoại giao Việt Nam dùng.
BW|Bốt-xoa-na|09-30|1966-09-30|Ngày Độc lập|
BR|Bra-xin|09-07|1822-09-07|Ngày Độc lập|
BN|Bru-nây|02-23|1984-02-23|Quốc khánh|
BG|Bun-ga-ri|03-03|1878-03-03|Ngày Giải phóng (Quốc khánh)|
BF|Buốc-ki-na Pha-xô|12-11|1958-12-11|Quốc khánh (tuyên bố nền Cộng hòa)|
BI|Bu-run-đi|07-01|1962-07-01|Ngày Độc lập|
CV|Cáp-ve|07-05|1975-07-05|Ngày Độc lập|
KH|Cam-pu-chia|11-09|1953-11-09|Ngày Độc lập (Quốc khánh)|
CM|Ca-mơ-run|05-20|1972-05-20|Quốc khánh (Ngày Thống nhất)|
CA|Ca-na-đa|07-01|1867-07-01|Ngày Ca-na-đa (Quốc khánh)|
CF|Cộng hòa Trung Phi|12-01|1958-12-01|Quốc khánh (Ngày Cộng hòa)|
TD|Sát|08-11|1960-08-11|Ngày Độc lập|
CL|Chi-lê|09-18|1810-09-18|Quốc khánh|
CN|Trung Quốc|10-01|1949-10-01|Quốc khánh nước Cộng hòa Nhân dân Trung Hoa|
CO|Cô-lôm-bi-a|07-20|1810-07-20|Ngày Độc lập|
KM|Cô-mo|07-06|1975-07-06|Ngày Độc lập|
CG|Cộng hòa Công-gô|08-15|1960-08-15|Ngày Độc lập|
CD|Cộng hòa Dân chủ Công-gô|06-30|1960-06-30|Ngày Độc lập|
CR|Cốt-xta Ri-ca|09-15|1821-09-15|Ngày Độc lập|
CI|Cốt-đi-voa|08-07|1960-08-07|Ngày Độc lập|
HR|Crô-a-ti-a|05-30|1990-05-30|Ngày Nhà nước|Từ năm 2020 Crô-a-ti-a lấy lại 30/5 làm Ngày Nhà nước (trước đó 25/6).
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
ET|Ê-ti-ô-pi-a|05-28|1991-05-28|Quốc khánh|
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
HU|Hung-ga-ri|08-20||Quốc khánh (Ngày Thánh Stê-phan, lập quốc)|
IS|Ai-xơ-len|06-17|1944-06-17|Quốc khánh (Ngày Cộng hòa)|
IN|Ấn Độ|01-26|1950-01-26|Ngày Cộng hòa (Quốc khánh)|Seed 001 Phụ lục 01 dòng 9 ghi 15/8 (Ngày Độc lập 1947). Quốc khánh mà Ấn Độ và Bộ Ngoại giao Việt Nam dùng để gửi điện mừng là Ngày Cộng hòa 26/1/1950; thư mừng gửi theo 26/1.
ID|In-đô-nê-xi-a|08-17|1945-08-17|Ngày Độc lập (Quốc khánh)|
IR|I-ran|holiday:IR:Islamic Revolution Day|1979-02-11|Ngày Chiến thắng Cách mạng Hồi giáo (22 Bahman)|Theo lịch Hijri mặt trời nên rơi vào 10 hoặc 11/2; lấy ngày từ gói holidays.
IQ|I-rắc|10-03|1932-10-03|Quốc khánh (Ngày Độc lập)|Từ năm 2020 I-rắc lấy 3/10 làm Quốc khánh (trước đó 14/7).
IE|Ai-len|03-17||Quốc khánh (Ngày Thánh Patrick)|
IL|I-xra-en|holiday:IL:Independence Day|1948-05-14|Ngày Độc lập|Theo lịch Do Thái (5 Iyar, cuối tháng 4 – giữa tháng 5), dời khi trùng Sa-bát; lấy từ gói holidays (kể cả ngày "observed" khi dời).
IT|I-ta-li-a|06-02|1946-06-02|Ngày Cộng hòa (Quốc khánh)|
JM|Gia-mai-ca|08-06|1962-08-06|Ngày Độc lập|
JP|Nhật Bản|holiday:JP:Emperor's Birthday||Ngày sinh Nhà vua (Quốc khánh)|Quốc khánh Nhật Bản là Ngày sinh Nhà vua: 23/2 từ năm 2020 (Nhà vua Naruhito), 23/12 trước năm 2019, không có trong năm 2019; lấy từ gói holidays để tự theo triều đại. Khớp seed 001 Phụ lục 01 dòng 2.
JO|Gioóc-đa-ni|05-25|1946-05-25|Ngày Độc lập|
KZ|Ca-dắc-xtan|10-25|1990-10-25|Ngày Cộng hòa (Quốc khánh)|! Từ năm 2022, luật ngày lễ của Ca-dắc-xtan quy định Ngày Cộng hòa 25/10 là quốc lễ chính (national holiday); Ngày Độc lập 16/12 chuyển thành ngày lễ nhà nước. Chưa xác minh Bộ Ngoại giao Việt Nam đã chuyển sang 25/10 hay vẫn dùng 16/12.
KE|Kê-ni-a|12-12|1963-12-12|Ngày Độc lập (Jamhuri)|
KI|Ki-ri-ba-ti|07-12|1979-07-12|Ngày Độc lập|
KW|Cô-oét|02-25||Quốc khánh|
KG|Cư-rơ-gư-xtan|08-31|1991-08-31|Ngày Độc lập|
LA|Lào|12-02|1975-12-02|Quốc khánh nước Cộng hòa Dân chủ Nhân dân Lào|
LV|Lát-vi-a|11-18|1918-11-18|Ngày tuyên bố nền Cộng hòa (Quốc khánh)|
LB|Li-băng|11-22|1943-11-22|Ngày Độc lập|
LS|Lê-xô-thô|10-04|1966-10-04|Ngày Độc lập|
LR|Li-bê-ri-a|07-26|1847-07-26|Ngày Độc lập|
LY|Li-bi|12-24|1951-12-24|Ngày Độc lập|! Sau năm 2011, Li-bi có cả 17/2 (Ngày Cách mạng) và 24/12 (Ngày Độc lập); chưa xác minh được ngày Bộ Ngoại giao Việt Nam dùng.
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
ME|Môn-tê-nê-grô|07-13|1878-07-13|Ngày Nhà nước|! Môn-tê-nê-grô có Ngày Độc lập 21/5 (2006) và Ngày Nhà nước 13/7; chưa xác minh được ngày Bộ Ngoại giao Việt Nam dùng.
MA|Ma-rốc|07-30|1999-07-30|Ngày Lên ngôi (Quốc khánh)|
MZ|Mô-dăm-bích|06-25|1975-06-25|Ngày Độc lập|
MM|Mi-an-ma|01-04|1948-01-04|Ngày Độc lập|
NA|Na-mi-bi-a|03-21|1990-03-21|Ngày Độc lập|
NR|Nau-ru|01-31|1968-01-31|Ngày Độc lập|
NP|Nê-pan|holiday:NP:Constitution Day|2015-09-20|Ngày Hiến pháp (Quốc khánh)|Theo lịch Bikram Sambat (mồng 3 tháng Asoj), rơi vào 19 hoặc 20/9; lấy từ gói holidays.
NL|Hà Lan|holiday:NL:King's Day||Ngày Nhà vua (Koningsdag, Quốc khánh)|Seed 001 Phụ lục 01 dòng 3 ghi 30/4: đó là Ngày Nữ hoàng (Koninginnedag) đến năm 2013. Từ 2014 là Ngày Nhà vua 27/4 (sinh nhật Vua Willem-Alexander), dời sang 26/4 khi 27/4 là Chủ nhật; lấy từ gói holidays.
NZ|Niu Di-lân|02-06|1840-02-06|Ngày Waitangi (Quốc khánh)|
NI|Ni-ca-ra-goa|09-15|1821-09-15|Ngày Độc lập|
NE|Ni-giê|12-18|1958-12-18|Quốc khánh (Ngày Cộng hòa)|
NG|Ni-giê-ri-a|10-01|1960-10-01|Ngày Độc lập|
MK|Bắc Ma-xê-đô-ni-a|09-08|1991-09-08|Ngày Độc lập|
NO|Na Uy|05-17|1814-05-17|Ngày Hiến pháp (Quốc khánh)|
OM|Ô-man|11-20||Quốc khánh|Từ năm 2020 (Quốc vương Haitham) Quốc khánh Ô-man là 20/11 (trước đó 18/11); ngày nghỉ lễ có thể được dời, ngày kỷ niệm vẫn là 20/11.
PK|Pa-ki-xtan|03-23|1940-03-23|Ngày Pa-ki-xtan (Quốc khánh)|
PW|Pa-lau|07-09|1979-07-09|Ngày Hiến pháp|! Pa-lau còn có Ngày Độc lập 1/10 (1994); chưa xác minh được ngày Bộ Ngoại giao Việt Nam dùng.
PS|Nhà nước Pa-le-xtin|11-15|1988-11-15|Ngày Độc lập (Tuyên ngôn Độc lập 1988)|
PA|Pa-na-ma|11-03|1903-11-03|Ngày Độc lập (tách khỏi Cô-lôm-bi-a)|
PG|Pa-pua Niu Ghi-nê|09-16|1975-09-16|Ngày Độc lập|
PY|Pa-ra-goay|05-14|1811-05-14|Ngày Độc lập|
PE|Pê-ru|07-28|1821-07-28|Ngày Độc lập|
PH|Phi-líp-pin|06-12|1898-06-12|Ngày Độc lập|
PL|Ba Lan|05-03|1791-05-03|Quốc khánh (Ngày Hiến pháp 3/5)|Ba Lan có hai ngày: 3/5 (Hiến pháp 1791, ngày Đại sứ quán tổ chức chiêu đãi Quốc khánh) và 11/11 (Ngày Độc lập 1918).
PT|Bồ Đào Nha|06-10||Quốc khánh (Ngày Bồ Đào Nha)|
QA|Ca-ta|12-18|1878-12-18|Quốc khánh|
KR|Hàn Quốc|10-03||Ngày Lập quốc (Gaecheonjeol, Quốc khánh)|Seed 001 Phụ lục 01 dòng 10 ghi 15/8: đó là Ngày Giải phóng (Gwangbokjeol). Quốc khánh chính thức của Đại Hàn Dân Quốc mà các cơ quan đại diện Hàn Quốc kỷ niệm và đoàn ngoại giao chúc mừng là Ngày Lập quốc 3/10.
RO|Ru-ma-ni|12-01|1918-12-01|Ngày Đại Đoàn kết (Quốc khánh)|
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
SK|Xlô-va-ki-a|09-01|1992-09-01|Ngày Hiến pháp (Quốc khánh)|! Xlô-va-ki-a có 1/1 (thành lập nước 1993) và 1/9 (Hiến pháp 1992); các Đại sứ quán thường tổ chức Quốc khánh vào 1/9; chưa xác minh với danh sách của Bộ Ngoại giao.
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
TH|Thái Lan|12-05||Quốc khánh (Ngày sinh cố Quốc vương Bhumibol, Ngày của Cha)|Khớp seed 001 Phụ lục 01 dòng 14. Theo luật Thái Lan, 5/12 vẫn là Ngày Quốc gia sau khi Quốc vương Bhumibol băng hà (gói holidays: "National Day"); sinh nhật Quốc vương Vajiralongkorn 28/7 là ngày lễ riêng.
TL|Đông Ti-mo|05-20|2002-05-20|Ngày Khôi phục Độc lập|! Đông Ti-mo còn có 28/11 (Tuyên bố Độc lập 1975); Đại sứ quán Đông Ti-mo thường lấy 20/5 làm Quốc khánh; chưa xác minh với danh sách của Bộ Ngoại giao.
TG|Tô-gô|04-27|1960-04-27|Ngày Độc lập|
TO|Tông-ga|06-04|1970-06-04|Ngày Giải phóng (Emancipation Day, Quốc khánh)|! Tông-ga còn có Ngày Hiến pháp 4/11 và sinh nhật Nhà vua 4/7; chưa xác minh được ngày Bộ Ngoại giao Việt Nam dùng.
TT|Tri-ni-đát và Tô-ba-gô|08-31|1962-08-31|Ngày Độc lập|
TN|Tuy-ni-di|03-20|1956-03-20|Ngày Độc lập|
TR|Thổ Nhĩ Kỳ|10-29|1923-10-29|Ngày Cộng hòa (Quốc khánh)|
TM|Tuốc-mê-ni-xtan|09-27|1991-09-27|Ngày Độc lập|! Ngày kỷ niệm độc lập được Tuốc-mê-ni-xtan chuyển từ 27/10 sang 27/9 từ năm 2018.
TV|Tu-va-lu|10-01|1978-10-01|Ngày Độc lập|
UG|U-gan-đa|10-09|1962-10-09|Ngày Độc lập|
UA|U-crai-na|08-24|1991-08-24|Ngày Độc lập|
AE|Các Tiểu vương quốc A-rập Thống nhất|12-02|1971-12-02|Quốc khánh|
GB|Vương quốc Anh|rrule:FREQ=YEARLY;BYMONTH=6;BYDAY=SA;BYMONTHDAY=8,9,10,11,12,13,14||Ngày sinh chính thức của Nhà vua (Quốc khánh)|! Vương quốc Anh không có quốc khánh; các Đại sứ quán Anh tổ chức chiêu đãi nhân Ngày sinh chính thức của Nhà vua, do Chính phủ Anh công bố hằng năm (thường là thứ Bảy thứ hai hoặc thứ ba của tháng 6: 15/6/2024, 14/6/2025). Ở đây dùng thứ Bảy thứ hai của tháng 6; cần điều chỉnh theo thông báo mỗi năm.
US|Hoa Kỳ|07-04|1776-07-04|Ngày Độc lập (Quốc khánh)|
UY|U-ru-goay|08-25|1825-08-25|Ngày Độc lập|
UZ|U-dơ-bê-ki-xtan|09-01|1991-09-01|Ngày Độc lập|
VU|Va-nu-a-tu|07-30|1980-07-30|Ngày Độc lập|
VA|Tòa Thánh Va-ti-can|05-08|2025-05-08|Ngày kỷ niệm Giáo hoàng Lê-ô XIV đắc cử (Quốc khánh)|Quốc khánh của Tòa Thánh là ngày kỷ niệm Giáo hoàng đương nhiệm đắc cử: 13/3 (Giáo hoàng Phan-xi-cô, 2013–2025), 8/5 từ năm 2025 (Giáo hoàng Lê-ô XIV). Thay đổi khi có Giáo hoàng mới. Tòa Thánh chưa có Đại sứ quán tại Việt Nam: thư gửi Đại diện thường trú của Tòa Thánh tại Việt Nam.
VE|Vê-nê-xu-ê-la|07-05|1811-07-05|Ngày Độc lập|
YE|Y-ê-men|05-22|1990-05-22|Ngày Thống nhất (Quốc khánh)|
ZM|Dăm-bi-a|10-24|1964-10-24|Ngày Độc lập|
ZW|Dim-ba-bu-ê|04-18|1980-04-18|Ngày Độc lập|
"""
# fmt: on

# Countries whose title is not "Quốc khánh <name>" (the day is not called national day).
TITLES = {
    "JP": "Ngày sinh Nhà vua Nhật Bản (Quốc khánh Nhật Bản)",
    "NL": "Ngày Nhà vua Hà Lan (Quốc khánh Hà Lan)",
    "GB": "Ngày sinh chính thức của Nhà vua Anh (Quốc khánh Vương quốc Anh)",
    "DK": "Ngày Hiến pháp Đan Mạch (Quốc khánh Đan Mạch)",
    "VA": "Ngày kỷ niệm Giáo hoàng đắc cử (Quốc khánh Tòa Thánh Va-ti-can)",
    "AU": "Ngày nước Úc (Quốc khánh Ô-xtrây-li-a)",
}
# Where the letter goes, if not "Đại sứ quán <name>".
RECIPIENT = {
    "VA": "Đại diện thường trú của Tòa Thánh tại Việt Nam",
}
# Event rule extras.
EXTRA = {
    "VA": {"start": 2025},
}


def q(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def rows():
    seen = set()
    for line in TABLE.strip().splitlines():
        if line.startswith("MD_"):
            continue
        cc, name, date, since, kind, note = (line.split("|") + [""] * 6)[:6]
        assert len(cc) == 2 and cc.isupper(), line
        assert cc not in seen, cc
        seen.add(cc)
        yield cc, name, date, since, kind, note


def main() -> int:
    data = list(rows())
    doubtful = [(cc, name, note[1:].strip()) for cc, name, _, _, _, note in data if note.startswith("!")]
    out = []
    w = out.append
    w("# Quốc khánh các nước — SINH TỰ ĐỘNG bởi tools/gen_national_days.py; đừng sửa tay tệp này,")
    w("# hãy sửa bảng trong tools/gen_national_days.py rồi chạy: /work/venv/bin/python tools/gen_national_days.py")
    w("#")
    w(f"# {len(data)} nước: 192 quốc gia thành viên Liên hợp quốc (trừ Việt Nam — Quốc khánh 2/9 nằm ở")
    w("# ngay-le-viet-nam.toml) cộng Nhà nước Pa-le-xtin và Tòa Thánh Va-ti-can. Không có Đài Loan.")
    w("# Mỗi nước chỉ sinh việc nếu mã nước có trong một tier của [partners] trong cấu hình tỉnh.")
    w("#")
    w("# Hai việc cho mỗi nước (seed 001 §II.1):")
    w('#   tier "regular"           → thư của Chủ tịch UBND tỉnh gửi Đại sứ quán, 05–07 ngày làm việc trước (§II.1.1)')
    w('#   tier "local_cooperation" → thư gửi Đại sứ quán và lãnh đạo địa phương đối tác, 10–15 ngày làm việc trước (§II.1.2)')
    w("#")
    w("# Nguồn: seed 001 Phụ lục 01 (14 nước); luật/ngày lễ chính thức của từng nước; gói `holidays` 0.109")
    w("# (Hà Lan, Nhật Bản, Nê-pan, I-ran lấy ngày trực tiếp từ gói); các danh sách ngày quốc khánh dùng")
    w("# trong ngoại giao (danh sách quốc khánh của các Bộ Ngoại giao/Lễ tân, national-day.com, Wikipedia")
    w("# \"National day\"); báo Ca-dắc-xtan (Kazinform 22/9/2022) cho Ngày Cộng hòa 25/10.")
    w("# KHÔNG tra được trực tiếp danh sách của Cục Lễ tân Nhà nước (Bộ Ngoại giao Việt Nam): trước khi dùng")
    w("# chính thức, Sở Ngoại vụ nên đối chiếu bảng này với danh sách Quốc khánh do Cục Lễ tân Nhà nước gửi hằng năm.")
    w("#")
    w("# Khác với seed 001 Phụ lục 01 (giải thích ở từng mục): Hà Lan (seed 30/4 → Ngày Nhà vua 27/4/26/4),")
    w("# Hàn Quốc (seed 15/8 → 3/10), Ấn Độ (seed 15/8 → 26/1).")
    w("#")
    w("# Ngày CHƯA kiểm chứng được đầy đủ (cần đối chiếu trước khi gửi thư):")
    for cc, name, note in doubtful:
        w(f"#   {cc} {name}: {note}")
    w("")
    for cc, name, date, since, kind, note in data:
        lc = cc.lower()
        title = TITLES.get(cc, f"Quốc khánh {name}")
        recipient = RECIPIENT.get(cc, f"Đại sứ quán {name}")
        w("")
        src = "seed 001 Phụ lục 01" if cc in {"CU","JP","NL","IT","RU","US","FR","SG","IN","KR","KP","CN","LA","TH"} else "danh sách quốc khánh"
        w(f"# {cc} — {kind}; nguồn: {src}; thư theo seed 001 §II.1.1–1.2")
        if note:
            text = note[1:].strip() if note.startswith("!") else note
            prefix = "CHƯA KIỂM CHỨNG: " if note.startswith("!") else ""
            w(f"# {prefix}{text}")
        w("[[event]]")
        w(f"id = {q('quoc-khanh-' + lc)}")
        w(f"title = {q(title)}")
        w(f"date = {q(date)}")
        w(f"country = {q(cc)}")
        w('tags = ["quoc-khanh"]')
        if since:
            w(f"since = {q(since)}")
        for k, v in EXTRA.get(cc, {}).items():
            w(f"{k} = {v}")
        desc = f"{kind} của {name}."
        if since:
            desc += f" Mốc tính số năm: {int(since[8:10])}/{int(since[5:7])}/{since[:4]}."
        w(f"description = {q(desc)}")
        w("")
        w("[[event.task]]")
        w('id = "thu-chuc-mung"')
        w(f"action = {q(f'Chủ tịch UBND tỉnh gửi thư chúc mừng {recipient} nhân Quốc khánh {name}')}")
        w('lead = "5-7wd"')
        w('owner = "so-ngoai-vu"')
        w('tier = "regular"')
        w("")
        w("[[event.task]]")
        w('id = "thu-chuc-mung-dia-phuong"')
        w(f"action = {q(f'Chủ tịch UBND tỉnh gửi thư chúc mừng {recipient} và lãnh đạo địa phương của {name} có quan hệ hợp tác với tỉnh nhân Quốc khánh {name}')}")
        w('lead = "10-15wd"')
        w('owner = "so-ngoai-vu"')
        w('tier = "local_cooperation"')
    OUT.parent.mkdir(exist_ok=True)
    OUT.write_text("\n".join(out) + "\n", encoding="utf-8")
    print(f"wrote {OUT} ({len(data)} events, {2 * len(data)} tasks)")
    write_names(data)
    return 0


def _english_names() -> dict[str, str]:
    """English short names from the holidays package's registry ("UnitedKingdom" → "United Kingdom")."""
    import re

    from holidays import registry

    out = {}
    for cls, code, *_ in registry.COUNTRIES.values():
        out[code] = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", cls)
    return out


def write_names(data) -> None:
    en = _english_names()
    vi = {cc: name for cc, name, *_ in data} | {"VN": "Việt Nam"}
    lines = [
        '"""Country names for titles and feed names, Vietnamese and English.',
        "",
        "GENERATED by tools/gen_national_days.py from its table (Vietnamese: the names the catalog uses;",
        "English: the `holidays` package's registry). Do not edit by hand.",
        '"""',
        "",
        "from __future__ import annotations",
        "",
        "VI: dict[str, str] = {",
        *[f"    {cc!r}: {vi[cc]!r}," for cc in sorted(vi)],
        "}",
        "",
        "EN: dict[str, str] = {",
        *[f"    {cc!r}: {en[cc]!r}," for cc in sorted(en) if cc in vi],
        "}",
        "",
        "",
        "def country_name(code: str, language: str = \"vi\") -> str:",
        '    """The country\'s name in ``language``; the code itself if we have none."""',
        "    table = EN if language == \"en\" else VI",
        "    return table.get(code) or VI.get(code) or code",
        "",
    ]
    NAMES_OUT.write_text("\n".join(lines), encoding="utf-8")
    print(f"wrote {NAMES_OUT} ({len(vi)} names)")


if __name__ == "__main__":
    sys.exit(main())
