from loa.docparse.header import read_header
from loa.docparse.normalize import normalize


def header(text):
    lines, _ = normalize(text)
    return read_header(lines)


STATE_HEADER = """ỦY BAN MTTQ VIỆT NAM
XÃ LƯƠNG MINH
BAN THƯỜNG TRỰC

Số: 16/KH-MTTQ-BTT
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
   Độc lập - Tự do - Hạnh phúc

Lương Minh, ngày 18 tháng 11 năm 2025

KẾ HOẠCH
Thực hiện công tác bầu cử đại biểu Quốc hội khóa XVI

Căn cứ Luật Bầu cử.
I. MỤC ĐÍCH, YÊU CẦU
"""


def test_it_reads_number_date_place_issuer_and_title():
    h = header(STATE_HEADER)
    assert (h.kind, h.kind_code, h.number) == ("Kế hoạch", "KH", "16/KH-MTTQ-BTT")
    assert (h.issued_on, h.place) == ("2025-11-18", "Lương Minh")
    assert h.issuer == "BAN THƯỜNG TRỰC ỦY BAN MTTQ VIỆT NAM XÃ LƯƠNG MINH"
    assert h.title == "Thực hiện công tác bầu cử đại biểu Quốc hội khóa XVI"


def test_it_reads_a_blank_number_as_null_with_a_warning():
    h = header(
        "BAN THƯỜNG TRỰC\nSố:        /KH-MTTQ-BTT\nBắc Cam Ranh, ngày    tháng 11 năm 2025\nKẾ HOẠCH\nKiểm tra"
    )
    assert h.number is None and h.issued_on is None
    assert h.place == "Bắc Cam Ranh"
    assert len(h.warnings) == 2


def test_it_reads_a_party_number_and_joins_place_level_lines():
    h = header(
        "ĐẢNG BỘ XÃ HƯNG ĐẠO\nĐẢNG ỦY XÃ\n66-KH/ĐU\nĐẢNG CỘNG SẢN VIỆT NAM\nHưng Đạo, ngày 21 tháng 4 năm 2026\nKẾ HOẠCH\nThông tin"
    )
    assert h.number == "66-KH/ĐU"
    assert h.issued_on == "2026-04-21"


def test_it_takes_the_issuer_from_the_opening_sentence_when_there_is_no_header():
    h = header(
        "KẾ HOẠCH\nThông tin, tuyên truyền\nThực hiện Thông báo số 309-TB/TU, Ban Tuyên giáo và Dân vận Thành ủy xây dựng Kế hoạch như sau:"
    )
    assert h.issuer == "Ban Tuyên giáo và Dân vận Thành ủy"
    assert h.number is None and h.place is None


def test_it_knows_other_kinds():
    assert header("QUYẾT ĐỊNH\nVề việc thành lập Tổ").kind_code == "QĐ"
    assert header("Số: 12/UBND-VP\nV/v triển khai tuyên truyền").kind == "Công văn"
