"""BM25 over words, with and without diacritics, phrases above scattered words."""

from hypothesis import given
from hypothesis import strategies as st

from loa.nlp.search import BM25, terms

PASSAGES = [
    ("kh-1", "Đẩy mạnh chuyển đổi số trong các cơ quan nhà nước, phát triển chính quyền số."),
    ("kh-2", "Tuyên truyền bảo vệ môi trường, thu gom và phân loại rác thải tại nguồn."),
    ("kh-3", "Số hóa hồ sơ, chuyển sang xử lý trực tuyến; đổi mới cách làm việc."),
    ("kh-4", "Tổ chức hội nghị học tập, quán triệt Nghị quyết của Đảng."),
]


def test_the_passage_with_the_phrase_ranks_first():
    index = BM25(PASSAGES)
    hits = index.search("chuyển đổi số")
    assert hits[0].id == "kh-1" and hits[0].score > hits[1].score  # kh-3 has the words, not the phrase


def test_queries_without_diacritics_find_the_same_passage():
    index = BM25(PASSAGES)
    assert index.search("phan loai rac thai")[0].id == "kh-2"
    assert index.search("nghi quyet")[0].id == "kh-4"


def test_nothing_matches_nothing():
    assert BM25(PASSAGES).search("bóng đá") == []
    assert BM25().search("chuyển đổi số") == []
    assert terms("") == []


@given(st.text(), st.text())
def test_search_never_raises(passage, query):
    BM25([(1, passage)]).search(query)
