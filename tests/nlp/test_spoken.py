"""loa.nlp.spoken on real snippets of Vietnamese plans; hypothesis: it never raises, and what it
reads out has no digits left."""

import json
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from loa.nlp.spoken import (
    DEFAULT_PATH,
    Lexicon,
    number_words,
    seconds,
    spoken,
    syllable_count,
    unknown_tokens,
)

Y2026 = "hai nghìn không trăm hai mươi sáu"


# --- issue 9's golden tests, verbatim -----------------------------------------------------------


def test_golden_date():
    assert spoken("17/3/2026") == "ngày mười bảy tháng ba năm hai nghìn không trăm hai mươi sáu"


def test_golden_abbreviation():
    assert spoken("UBND") == "Ủy ban nhân dân"


def test_golden_per():
    assert spoken("bài/tháng") == "bài mỗi tháng"


# --- numbers ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("n", "words"),
    [
        (0, "không"),
        (5, "năm"),
        (10, "mười"),
        (11, "mười một"),
        (14, "mười bốn"),
        (15, "mười lăm"),
        (20, "hai mươi"),
        (21, "hai mươi mốt"),
        (24, "hai mươi tư"),
        (25, "hai mươi lăm"),
        (55, "năm mươi lăm"),
        (100, "một trăm"),
        (101, "một trăm linh một"),
        (105, "một trăm linh năm"),
        (110, "một trăm mười"),
        (115, "một trăm mười lăm"),
        (1000, "một nghìn"),
        (1001, "một nghìn không trăm linh một"),
        (1983, "một nghìn chín trăm tám mươi ba"),
        (2000, "hai nghìn"),
        (2026, Y2026),
        (15_000, "mười lăm nghìn"),
        (105_000, "một trăm linh năm nghìn"),
        (1_000_000, "một triệu"),
        (1_200_000, "một triệu hai trăm nghìn"),
        (1_000_010, "một triệu không trăm mười"),
        (1_000_000_000, "một tỷ"),
        (2_500_000_000, "hai tỷ năm trăm triệu"),
        (1_000_000_005, "một tỷ không trăm linh năm"),
        (1_000_000_000_000, "một nghìn tỷ"),
        (-7, "âm bảy"),
        (-2026, "âm " + Y2026),
    ],
)
def test_number_words(n, words):
    assert number_words(n) == words


def test_southern_le_is_an_option_and_a_lexicon_setting():
    assert number_words(101, zero_tens="lẻ") == "một trăm lẻ một"
    southern = Lexicon.load().merge({"settings": {"zero_tens": "lẻ"}})
    assert spoken("105 hộ", southern) == "một trăm lẻ năm hộ"


@pytest.mark.parametrize(
    ("raw", "said"),
    [
        ("12.000", "mười hai nghìn"),
        ("1.234.567 đồng", "một triệu hai trăm ba mươi tư nghìn năm trăm sáu mươi bảy đồng"),
        ("3,5", "ba phẩy năm"),
        ("tăng 0,05%", "tăng không phẩy không năm phần trăm"),
        ("1,2 tỷ đồng", "một phẩy hai tỷ đồng"),
        ("15%", "mười lăm phần trăm"),
        ("01 bản", "một bản"),
        ("nhiệt độ -5 độ", "nhiệt độ âm năm độ"),
        ("2/3 số hộ", "hai phần ba số hộ"),
        ("1/4 dân số", "một phần tư dân số"),
        ("≥ 90% hộ dân", "không dưới chín mươi phần trăm hộ dân"),
        ("1.2.3. Tuyên truyền", "một chấm hai chấm ba. Tuyên truyền"),
    ],
)
def test_numbers_in_text(raw, said):
    assert spoken(raw) == said


# --- dates and times ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "said"),
    [
        ("17/03/2026", "ngày mười bảy tháng ba năm " + Y2026),
        ("ngày 17/3/2026", "ngày mười bảy tháng ba năm " + Y2026),  # "ngày" not doubled
        ("Ngày 17-3-2026", "Ngày mười bảy tháng ba năm " + Y2026),
        ("17.3.2026", "ngày mười bảy tháng ba năm " + Y2026),
        ("từ ngày 01/4/2026", "từ ngày một tháng tư năm " + Y2026),
        ("ngày 24/12/2026", "ngày hai mươi tư tháng mười hai năm " + Y2026),
        ("tháng 3/2026", "tháng ba năm " + Y2026),
        ("03/2026", "tháng ba năm " + Y2026),
        ("tháng 4", "tháng tư"),
        ("tháng 1 và tháng 11", "tháng một và tháng mười một"),
        ("năm 2026", "năm " + Y2026),
        ("Năm 2026", "Năm " + Y2026),  # words not rewritten keep their case
        ("Sáng 17/3, tại hội trường", "Sáng ngày mười bảy tháng ba, tại hội trường"),
        ("từ 17-20/3/2026", "từ ngày mười bảy đến hai mươi tháng ba năm " + Y2026),
        ("ngày 21/01/1983", "ngày hai mươi mốt tháng một năm một nghìn chín trăm tám mươi ba"),
    ],
)
def test_dates(raw, said):
    assert spoken(raw) == said


@pytest.mark.parametrize(
    ("raw", "said"),
    [
        ("7h30", "bảy giờ ba mươi phút"),
        ("7 giờ 30", "bảy giờ ba mươi phút"),
        ("7 giờ 30 phút", "bảy giờ ba mươi phút"),
        ("8:00", "tám giờ"),
        ("19:05", "mười chín giờ năm phút"),
        ("từ 7h30 đến 11h ngày 17/3", "từ bảy giờ ba mươi phút đến mười một giờ ngày mười bảy tháng ba"),
    ],
)
def test_times(raw, said):
    assert spoken(raw) == said


# --- ranges, ordinals, Roman numerals, document numbers -------------------------------------------


@pytest.mark.parametrize(
    ("raw", "said"),
    [
        ("2021-2025", "hai nghìn không trăm hai mươi mốt đến hai nghìn không trăm hai mươi lăm"),
        ("nhiệm kỳ 2026 - 2031", "nhiệm kỳ " + Y2026 + " đến hai nghìn không trăm ba mươi mốt"),
        ("khoảng 1-2 ngày", "khoảng một đến hai ngày"),
        ("thứ 2", "thứ hai"),
        ("Thứ 7", "Thứ bảy"),
        ("lần thứ 4", "lần thứ tư"),
        ("lần thứ 1", "lần thứ nhất"),
        ("Khóa XIII", "Khóa mười ba"),
        ("Đại hội XIV của Đảng", "Đại hội mười bốn của Đảng"),
        ("đại biểu Quốc hội khoá XVI", "đại biểu Quốc hội khóa mười sáu"),
        ("quý IV", "quý bốn"),
        ("I. MỤC ĐÍCH, YÊU CẦU", "một. MỤC ĐÍCH, YÊU CẦU"),
        ("II.1. Nội dung", "hai chấm một. Nội dung"),
        ("Nghị quyết số 02-NQ/TW", "Nghị quyết số không hai"),
        ("Thông báo số 309-TB/TU", "Thông báo số ba trăm linh chín"),
        (
            "Tờ trình số 08/TTr-HĐND ngày 23/3/2026",
            "Tờ trình số không tám ngày hai mươi ba tháng ba năm " + Y2026,
        ),
    ],
)
def test_ranges_ordinals_romans_and_document_numbers(raw, said):
    assert spoken(raw) == said


def test_a_capital_letter_alone_is_not_a_roman_numeral():
    assert spoken("phần C") == "phần C"
    assert spoken("ông Nguyễn Văn A") == "ông Nguyễn Văn A"


# --- units, symbols, abbreviations, addresses -----------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "said"),
    [
        ("tin/tuần", "tin mỗi tuần"),
        ("2 lượt/ngày", "hai lượt mỗi ngày"),
        ("người/năm", "người mỗi năm"),
        ("trên 11%/năm", "trên mười một phần trăm mỗi năm"),
        ("60km/h", "sáu mươi ki-lô-mét mỗi giờ"),
        ("5 km", "năm ki-lô-mét"),
        ("50 m2 và 20 m²", "năm mươi mét vuông và hai mươi mét vuông"),
        ("12 ha", "mười hai héc-ta"),
        ("12.000 USD", "mười hai nghìn đô la Mỹ"),
        ("50.000đ", "năm mươi nghìn đồng"),
        ("200.000 VNĐ", "hai trăm nghìn đồng"),
        ("GD&ĐT", "giáo dục và đào tạo"),
        ("A & B", "A và B"),
        ("xã/phường", "xã, phường"),
        ("HĐND/UBND", "Hội đồng nhân dân, Ủy ban nhân dân"),
        ("TP. Hồ Chí Minh", "thành phố Hồ Chí Minh"),
        ("TP.HCM", "Thành phố Hồ Chí Minh"),
        ("Đoàn TNCS HCM", "Đoàn Thanh niên Cộng sản Hồ Chí Minh"),
        ("các sở, ngành TP.", "các sở, ngành thành phố."),
        ("MTTQ và các tổ chức CT-XH", "Mặt trận Tổ quốc và các tổ chức chính trị, xã hội"),
        ("phát triển KT-XH", "phát triển kinh tế, xã hội"),  # " - " is a pause
        ("CBCCVC", "cán bộ, công chức, viên chức"),
        ("học sinh THCS, THPT", "học sinh trung học cơ sở, trung học phổ thông"),
        ("- Đ/c Trưởng Ban,", "đồng chí Trưởng Ban,"),
        ("hợp tác công tư (PPP) trong hạ tầng", "hợp tác công tư trong hạ tầng"),
        ("xem tại hanoi.gov.vn.", "xem tại hanoi chấm gờ o vê chấm vê en."),
        ("Gửi về hopthu@hanoi.gov.vn nhé", "Gửi về hopthu a còng hanoi chấm gờ o vê chấm vê en nhé"),
        ("Gọi 0912 345 678", "Gọi không chín một hai, ba bốn năm, sáu bảy tám"),
        ("Hotline 1900 1234", "Hotline một chín không không, một hai ba bốn"),
        ("gọi 113 khi có cháy; có 113 hộ", "gọi một một ba khi có cháy; có một trăm mười ba hộ"),
        ("https://dichvucong.gov.vn/", "dichvucong chấm gờ o vê chấm vê en"),
        ("K/T TRƯỞNG BAN", "ký thay TRƯỞNG BAN"),
    ],
)
def test_units_symbols_abbreviations_addresses(raw, said):
    assert spoken(raw) == said


def test_abbreviations_are_whole_tokens_and_case_sensitive():
    assert spoken("Ubnd") == "Ubnd"
    assert spoken("UBNDX") == "UBNDX"
    assert spoken("tp") == "tp"


def test_punctuation_for_pauses_stays_and_unread_symbols_go():
    assert spoken("“Thủ đô” (Hà Nội) - trái tim; cả nước!") == "Thủ đô, Hà Nội, trái tim; cả nước!"
    assert (
        spoken("#### **1. Mục đích**\n\n-----\n\n- Mở đợt tuyên truyền")
        == "một. Mục đích\n\nMở đợt tuyên truyền"
    )


def test_vietnamese_words_stay_untouched():
    text = "KẾ HOẠCH Thông tin, tuyên truyền về kỳ họp thứ Nhất của Hội đồng nhân dân Thành phố."
    assert spoken(text) == text


# --- a whole sentence of a plan -------------------------------------------------------------------

SEED = (
    "Thực hiện Kế hoạch số 66-KH/ĐU ngày 21/4/2026 của Đảng ủy xã Hưng Đạo về thông tin, tuyên "
    "truyền, vận động thực hiện Nghị quyết số 02-NQ/TW ngày 17/3/2026 của Bộ Chính trị về xây dựng "
    "và phát triển Thủ đô Hà Nội trong kỷ nguyên mới. UBND xã Hưng Đạo xây dựng kế hoạch tuyên "
    "truyền, vận động thực hiện Nghị quyết như sau:"
)


def test_a_sentence_from_a_plan():
    assert spoken(SEED) == (
        "Thực hiện Kế hoạch số sáu mươi sáu ngày hai mươi mốt tháng tư năm " + Y2026 + " của Đảng ủy "
        "xã Hưng Đạo về thông tin, tuyên truyền, vận động thực hiện Nghị quyết số không hai ngày mười "
        "bảy tháng ba năm " + Y2026 + " của Bộ Chính trị về xây dựng và phát triển Thủ đô Hà Nội "
        "trong kỷ nguyên mới. Ủy ban nhân dân xã Hưng Đạo xây dựng kế hoạch tuyên truyền, vận động "
        "thực hiện Nghị quyết như sau:"
    )


def test_targets_of_a_plan():
    text = (
        "Mục tiêu duy trì tốc độ tăng trưởng GRDP bình quân trên 11%/năm trong các giai đoạn từ "
        "2026 - 2045, đạt tối thiểu 95.000 USD vào năm 2065."
    )
    assert spoken(text) == (
        "Mục tiêu duy trì tốc độ tăng trưởng tổng sản phẩm trên địa bàn bình quân trên mười một phần "
        "trăm mỗi năm trong các giai đoạn từ " + Y2026 + " đến hai nghìn không trăm bốn mươi lăm, đạt "
        "tối thiểu chín mươi lăm nghìn đô la Mỹ vào năm hai nghìn không trăm sáu mươi lăm."
    )


# --- length -------------------------------------------------------------------------------------


def test_syllables_and_seconds_are_measured_on_the_spoken_form():
    assert syllable_count("17/3/2026") == 13
    assert syllable_count("UBND xã") == 5
    assert syllable_count("5 km") == 4  # năm ki-lô-mét
    assert syllable_count("VT") == 2  # not in the lexicon: spelled out letter by letter
    assert seconds("17/3/2026") == pytest.approx(13 * 60 / 200)
    assert seconds("UBND xã", per_minute=100) == pytest.approx(3.0)
    assert seconds("") == 0
    with pytest.raises(ValueError):
        seconds("xã", per_minute=0)


def test_a_sixty_second_script_is_two_hundred_syllables():
    assert seconds(" ".join(["loa"] * 200)) == pytest.approx(60)


# --- lexicon --------------------------------------------------------------------------------------


def test_the_shipped_lexicon_is_valid_json_with_a_reasonable_list():
    data = json.loads(DEFAULT_PATH.read_text(encoding="utf-8"))
    assert {"abbreviations", "units", "per", "url_words", "settings"} <= set(data)
    assert len(data["abbreviations"]) >= 50
    lex = Lexicon.load()
    assert lex.abbreviations["HĐND"] == "Hội đồng nhân dân"
    assert Lexicon.load(DEFAULT_PATH).abbreviations == lex.abbreviations


def test_merge_adds_overrides_and_drops_without_touching_the_original():
    base = Lexicon.load()
    mine = base.merge({"KH": "kế hoạch", "UBND": "Ủy ban", "units": {"sào": "sào"}, "HĐND": None})
    assert spoken("KH của UBND, HĐND", mine) == "kế hoạch của Ủy ban, HĐND"
    assert spoken("5 sào", mine) == "năm sào"
    assert spoken("KH của UBND") == "KH của Ủy ban nhân dân"
    assert "KH" not in base.abbreviations
    with pytest.raises(TypeError):
        base.abbreviations["X"] = "y"  # read-only


def test_load_from_a_file(tmp_path):
    path = tmp_path / "lex.json"
    path.write_text(json.dumps({"abbreviations": {"BQL": "Ban quản lý"}}), encoding="utf-8")
    lex = Lexicon.load(path)
    assert spoken("BQL chợ, UBND", lex) == "Ban quản lý chợ, UBND"
    assert spoken("12 km", lex) == "mười hai km"  # no units in this lexicon


def test_unknown_tokens_lists_what_the_office_should_add():
    text = "Lưu: VT, VP, BC-XB. KẾ HOẠCH tăng trưởng GRDP, mô hình TOD (TOD); UBND xã 2026"
    assert unknown_tokens(text) == ["VT", "VP", "BC-XB", "TOD"]
    assert unknown_tokens(text, Lexicon.load().merge({"TOD": "ti-ô-đi"})) == ["VT", "VP", "BC-XB"]


# --- properties -----------------------------------------------------------------------------------

_WORDS = st.sampled_from(
    ["xã", "Hưng Đạo", "tuyên truyền", "Nhân dân", "KẾ HOẠCH", "ngày", "tháng", "năm", "khoảng", "từ", "đến"]
)
_N = st.integers(min_value=0, max_value=10**13)


def _dotted(n: int) -> str:
    return f"{n:,}".replace(",", ".")


_PATTERNS = st.one_of(
    _N.map(str),
    _N.map(_dotted),
    st.builds(lambda a, b: f"{a},{b}", _N, st.integers(0, 999)),
    st.builds(lambda a: f"{a}%", st.integers(0, 100)),
    st.builds(
        lambda d, m, y, sep: f"{d}{sep}{m}{sep}{y}",
        st.integers(1, 31),
        st.integers(1, 12),
        st.integers(1900, 2100),
        st.sampled_from("/-."),
    ),
    st.builds(lambda d, m: f"{d:02d}/{m:02d}", st.integers(1, 31), st.integers(1, 12)),
    st.builds(lambda m, y: f"tháng {m}/{y}", st.integers(1, 12), st.integers(1900, 2100)),
    st.builds(lambda h, m: f"{h}h{m:02d}", st.integers(0, 23), st.integers(0, 59)),
    st.builds(lambda h, m: f"{h}:{m:02d}", st.integers(0, 23), st.integers(0, 59)),
    st.builds(lambda h, m: f"{h} giờ {m}", st.integers(0, 23), st.integers(0, 59)),
    st.builds(lambda a, b, s: f"{a}{s}{b}", _N, _N, st.sampled_from(["-", " - ", "–"])),
    st.builds(
        lambda n, s: f"{n:02d}-{s}", st.integers(0, 9999), st.sampled_from(["NQ/TW", "KH/ĐU", "QĐ-UBND"])
    ),
    st.builds(lambda n: f"thứ {n}", st.integers(1, 100)),
    st.builds(lambda n, u: f"{n} {u}", _N, st.sampled_from(["km", "m2", "m²", "ha", "USD", "đ", "kg"])),
    st.builds(
        lambda n, w: f"{n} {w}", st.integers(1, 100), st.sampled_from(["bài/tháng", "lượt/ngày", "%/năm"])
    ),
    st.builds(lambda n: f"-{n}", _N),
    st.builds(lambda n: "0" + "".join(map(str, n)), st.lists(st.integers(0, 9), min_size=9, max_size=9)),
    st.sampled_from(["Khóa XIII", "Đại hội XIV", "quý IV", "UBND", "HĐND", "KT-XH", "24/7"]),
)
_SEPARATORS = st.sampled_from([" ", ", ", ". ", "; ", "\n", " (", ") "])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.one_of(_PATTERNS, _WORDS), _SEPARATORS), max_size=8))
def test_supported_patterns_come_out_without_digits(parts):
    text = "".join(p + s for p, s in parts)
    said = spoken(text)
    assert not re.search(r"\d", said), (text, said)
    assert "%" not in said and "/" not in said, (text, said)


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_spoken_never_raises_and_reads_every_digit(text):
    said = spoken(text)
    assert isinstance(said, str)
    assert not re.search(r"\d", said)
    assert syllable_count(text) >= 0
    assert isinstance(unknown_tokens(text), list)


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=-(10**15) + 1, max_value=10**15 - 1))
def test_number_words_reads_every_integer_with_vietnamese_words(n):
    words = number_words(n).split()
    vocabulary = {"không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín", "mười", "mươi"}
    vocabulary |= {"mốt", "tư", "lăm", "linh", "trăm", "nghìn", "triệu", "tỷ", "âm"}
    assert set(words) <= vocabulary
    assert spoken(str(n)) == number_words(n)
