"""Importing a plan appendix: a table (``.xlsx``, ``.csv``, ``.docx``) → catalog events.

Every plan a province issues ends in such a table (Phụ lục: STT, nội dung, thời gian,
đơn vị chủ trì, đơn vị phối hợp). :mod:`.readers` reads the tables with openpyxl,
python-docx and the stdlib ``csv``; :mod:`.columns` finds the header row and maps columns
by their Vietnamese headers; :mod:`.departments` turns names as clerks write them ("Sở
NV", "VP UBND tỉnh") into config ids; :mod:`.timeexpr` turns times ("Quý IV/2022",
"trước 30/11", "hằng năm") into the catalog's date forms; :mod:`.preview` makes each row
an event (or says why not), and stores nothing until :func:`.preview.apply` is called.
"""
