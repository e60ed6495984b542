"""The pure name functions: no database."""

import pytest

from loa.org.text import clean_name, fold, guess_unit_type, is_group_phrase, name_key


def test_fold_lowercases_strips_diacritics_and_collapses_spaces():
    assert fold("  Đảng   Uỷ  xã HƯNG ĐẠO ") == "dang uy xa hung dao"
    assert fold("Ủy ban nhân dân") == fold("Uỷ ban nhân dân") == "uy ban nhan dan"


def test_fold_treats_composed_and_decomposed_text_alike():
    import unicodedata

    text = "Phòng Văn hóa - Xã hội"
    assert fold(unicodedata.normalize("NFD", text)) == fold(text) == "phong van hoa - xa hoi"


def test_fold_keeps_punctuation_and_handles_empty_text():
    assert fold("") == ""
    assert fold("CT-XH, TP.") == "ct-xh, tp."


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("Đề nghị Đảng ủy HĐND Thành phố", "Đảng ủy HĐND Thành phố"),
        ("##### **2. Đề nghị Đảng ủy UBND Thành phố**", "Đảng ủy UBND Thành phố"),
        ("a) Giao Phòng Văn hóa - Xã hội;", "Phòng Văn hóa - Xã hội"),
        ("- Các sở, ban, ngành TP,", "Các sở, ban, ngành TP"),
        ("5. Trưởng các thôn", "Trưởng các thôn"),
        ("Giáo dục", "Giáo dục"),
    ],
)
def test_clean_name_drops_courtesy_prefixes_numbering_and_punctuation(raw, clean):
    assert clean_name(raw) == clean


def test_name_key_expands_abbreviations_both_ways():
    assert name_key("UBND TP") == name_key("Ủy ban nhân dân Thành phố") == "uy ban nhan dan thanh pho"
    assert name_key("MTTQ và các tổ chức CT-XH TP") == name_key(
        "Mặt trận Tổ quốc và các tổ chức chính trị - xã hội Thành phố"
    )
    assert name_key("Phòng VH-XH") == name_key("Phòng Văn hóa - Xã hội")
    assert name_key("ĐU xã") == name_key("Đảng ủy xã")
    assert name_key("Ban TG&DV TU") == name_key("Ban Tuyên giáo và Dân vận Thành ủy")


def test_name_key_keeps_different_bodies_apart():
    assert name_key("Đảng ủy UBND Thành phố") != name_key("UBND Thành phố")


def test_name_key_does_not_expand_ordinary_words():
    assert name_key("Sở Tư pháp") == "so tu phap"
    assert name_key("Sở Du lịch") == "so du lich"


@pytest.mark.parametrize(
    "phrase",
    ["các sở, ban, ngành Thành phố", "Trưởng các thôn", "Các Phòng, ban, đơn vị thuộc xã", "Đề nghị các xã"],
)
def test_is_group_phrase_spots_plural_phrases(phrase):
    assert is_group_phrase(phrase)


def test_is_group_phrase_leaves_single_bodies():
    assert not is_group_phrase("Đảng ủy các cơ quan Đảng Thành phố")
    assert not is_group_phrase("UBND xã Hưng Đạo")


@pytest.mark.parametrize(
    ("name", "unit_type"),
    [
        ("Đảng ủy UBND Thành phố", "party_committee"),
        ("Ban Tuyên giáo và Dân vận Thành ủy", "party_board"),
        ("Sở Nội vụ", "department"),
        ("Phòng Văn hóa - Xã hội", "department"),
        ("Cơ quan Báo và phát thanh, truyền hình Hà Nội", "press"),
        ("Trung tâm dịch vụ tổng hợp xã", "service_centre"),
        ("Trường THCS Hưng Đạo", "school"),
        ("Thôn Đông", "village"),
        ("Văn phòng HĐND và UBND xã", "office"),
        ("Mặt trận Tổ quốc xã", "front_org"),
        ("Hội Cựu chiến binh xã", "front_org"),
        ("Hội đồng nhân dân xã", "peoples_council"),
        ("UBND xã", "peoples_committee"),
        ("Công an xã", "other"),
    ],
)
def test_guess_unit_type_reads_head_words(name, unit_type):
    assert guess_unit_type(name) == unit_type
