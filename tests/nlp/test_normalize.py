"""loa.nlp.normalize and privacy on real snippets; hypothesis: they never raise."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from loa.nlp.normalize import clean, fold, lacks_diacritics, normalize
from loa.nlp.privacy import strip_personal
from loa.nlp.segment import ngrams, syllables


@pytest.mark.parametrize(
    ("raw", "canonical"),
    [
        ("Uỷ ban nhân dân xã Hoà Bình", "Ủy ban nhân dân xã Hòa Bình"),
        ("khoẻ mạnh, thuỷ lợi, tuỳ theo", "khỏe mạnh, thủy lợi, tùy theo"),
        ("hoàn thành, quý, Quỳnh, khuya", "hoàn thành, quý, Quỳnh, khuya"),  # untouched
        ("HOÀ", "HÒA"),
        ("Ha\u0300 No\u0302\u0323i", "Hà Nội"),  # NFD from a Mac → NFC
        ("a\u200bb\ufeff\x00c   d\t\te", "abc d e"),
    ],
)
def test_normalize_gives_one_canonical_form(raw, canonical):
    assert normalize(raw) == canonical


def test_the_two_tone_placements_read_the_same():
    assert clean("Hoà bình, uỷ ban") == clean("Hòa bình, ủy ban") == "hòa bình , ủy ban"


def test_clean_expands_teencode_and_turns_urls_numbers_emojis_and_hashtags_into_tokens():
    text = "ko dc gì hết 😡 :(( xem https://vnexpress.net/abc-123.html #ChuyenDoiSo 2.500 người 👍"
    assert clean(text) == ("không được gì hết emo_neg emo_neg xem url chuyendoiso num người emo_pos")
    assert clean("Gửi về hopthu@hanoi.gov.vn nhé :)") == "gửi về email nhé emo_pos"


def test_fold_and_text_without_diacritics():
    assert fold("Chuyển đổi số ĐẢNG") == "chuyen doi so dang"
    assert lacks_diacritics("khong co dien tu chieu nay a")
    assert not lacks_diacritics("không có điện từ chiều nay")
    assert not lacks_diacritics("ok ok")  # too short to judge


def test_syllables_and_ngrams():
    tokens = syllables(clean("Chuyển đổi số, toàn dân!"))
    assert tokens == ["chuyển", "đổi", "số", "toàn", "dân"]
    assert ngrams(tokens, 2)[-2:] == ["số toàn", "toàn dân"]
    assert len(ngrams(tokens, 3)) == 5 + 4 + 3


def test_personal_data_is_stripped_from_the_text():
    text = (
        "@nguyenvana nói đúng! Liên hệ anh Nam 0912 345 678 hoặc +84 912.345.678, máy bàn 024 3825 1234, "
        "email nam.nguyen@gmail.com, CCCD 001203004567, CMND 012345678, trang facebook.com/nguyen.van.a "
        "và https://www.facebook.com/profile.php?id=1000123"
    )
    out = strip_personal(text)
    for gone in (
        "nguyenvana",
        "0912",
        "912.345",
        "3825",
        "gmail",
        "001203004567",
        "012345678",
        "nguyen.van.a",
        "1000123",
    ):
        assert gone not in out.text
    assert out.counts == {"profile": 2, "email": 1, "mention": 1, "phone": 3, "id_number": 2}
    assert out.text.startswith("[người dùng] nói đúng!")


def test_sources_and_figures_are_not_personal_data():
    text = (
        "Theo https://vnexpress.net/thoi-su/abc-4800000.html, năm 2026 Hà Nội có 126 xã, phường; "
        "ngân sách 1.234.567.890 đồng; #HaNoi https://www.facebook.com/hashtag/hanoi"
    )
    assert strip_personal(text).text == text


@given(st.text())
def test_nothing_raises_on_any_text(text):
    assert isinstance(normalize(text), str)
    assert isinstance(clean(text), str)
    assert isinstance(fold(text), str)
    assert isinstance(strip_personal(text).text, str)
    syllables(text)


def test_a_repost_is_a_near_duplicate_and_another_story_on_the_same_street_is_not():
    from loa.nlp.dedup import Groups

    groups = Groups()
    original = "Hà Nội: Ngập sâu tại phố Chùa Bộc sau trận mưa lớn chiều 12/6, nhiều xe chết máy giữa đường"
    assert groups.add("a", original) == "a"
    assert groups.add("b", "HÀ NỘI - " + original[9:] + "!!! Chia sẻ ngay") == "a"
    assert groups.add("c", "Ngập sâu tại phố Chùa Bộc, người dân dắt bộ xe máy về nhà trong đêm") == "c"
    assert groups.add("d", "") == "d"  # no words: its own group
    assert groups.sizes == {"a": 2, "c": 1, "d": 1}


@given(st.text())
def test_grouping_never_raises(text):
    from loa.nlp.dedup import Groups

    Groups().add("x", text)
