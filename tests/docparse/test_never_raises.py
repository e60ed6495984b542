from hypothesis import given
from hypothesis import strategies as st

from loa.docparse import DocumentError, parse_bytes, parse_text

VIETNAMESE = st.text(
    alphabet=st.sampled_from(
        list("aăâbcdđeêghiklmnoôơpqrstuưvxyAĐÊÔƯ0123456789 .,;:-+/()*#|\n\t}“”ạảãàáằắẳẵặầấẩẫậ")
    ),
    max_size=400,
)
LINES = st.lists(
    st.one_of(
        VIETNAMESE,
        st.sampled_from(
            [
                "KẾ HOẠCH",
                "I. MỤC ĐÍCH",
                "1.",
                "1.1. Nội dung",
                "a)",
                "- ",
                "Nơi nhận:",
                "TM. ỦY BAN NHÂN DÂN",
                "Số: /KH-",
                "IV. TỔ CHỨC THỰC HIỆN",
                "II. NỘI DUNG, HÌNH THỨC",
                "ngày 32/13/2026",
                "tối thiểu 10 tin, bài/ tháng",
            ]
        ),
    ),
    max_size=40,
)


@given(st.text(max_size=2000))
def test_parse_text_never_raises_on_arbitrary_text(text):
    try:
        parse_text(text).to_dict()
    except DocumentError as exc:
        assert exc.code == "secret"


@given(LINES)
def test_parse_text_never_raises_on_plan_shaped_text(lines):
    try:
        parse_text("\n".join(lines)).to_dict()
    except DocumentError as exc:
        assert exc.code == "secret"


@given(st.binary(max_size=3000), st.sampled_from(["a.txt", "a.md", "a.docx", "a.pdf", "a.doc", "a.exe"]))
def test_parse_bytes_raises_only_document_errors(data, name):
    try:
        parse_bytes(data, name).to_dict()
    except DocumentError as exc:
        assert exc.message
