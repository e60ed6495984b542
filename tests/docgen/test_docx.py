"""Generated DOCX files read back with python-docx: page, margins, fonts, sizes, header table."""

import datetime as dt
import io

import docx
import pytest
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from loa.docgen import (
    PARTY,
    STATE,
    Bullet,
    Heading,
    OfficialDocument,
    Paragraph,
    ProfileError,
    Signature,
    Table,
    load_profile,
    place_and_date,
    profile_for_issuer,
    render_docx,
)


def state_report(**over) -> OfficialDocument:
    fields = dict(
        issuer="ỦY BAN NHÂN DÂN XÃ HƯNG ĐẠO",
        kind="BÁO CÁO",
        title="Kết quả công tác thông tin, tuyên truyền tháng 6 năm 2026",
        number="15/BC-UBND",
        place="Hưng Đạo",
        date=dt.date(2026, 6, 5),
        body=[
            Heading("I. KẾT QUẢ THỰC HIỆN"),
            Paragraph(
                "Thực hiện Kế hoạch số 12/KH-UBND ngày 17/3/2026 của UBND xã, các đơn vị đã triển khai."
            ),
            Bullet("Đăng 12 tin, bài trên Cổng thông tin điện tử xã"),
            Table(["Đơn vị", "Tin, bài", "Hội nghị"], [["UBND xã", "12", "3"], ["Đảng ủy xã", "4", "1"]]),
        ],
        recipients=["Ban Tuyên giáo và Dân vận Thành ủy", "Thường trực Đảng ủy xã;"],
        archive="VHXH",
        signature=Signature(
            authority="TM. ỦY BAN NHÂN DÂN",
            deputy="KT. CHỦ TỊCH",
            position="PHÓ CHỦ TỊCH",
            name="Nguyễn Văn An",
        ),
    )
    fields.update(over)
    return OfficialDocument(**fields)


def read(doc: OfficialDocument, profile=None):
    return docx.Document(io.BytesIO(render_docx(doc, profile)))


def cell_text(cell) -> list[str]:
    return [p.text for p in cell.paragraphs if p.text]


def runs(document):
    for paragraph in document.paragraphs:
        yield from paragraph.runs
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                for paragraph in cell.paragraphs:
                    yield from paragraph.runs


def test_it_lays_out_a4_with_the_decree_margins():
    section = read(state_report()).sections[0]

    def mm(length):
        return round(length.mm, 1)

    assert (mm(section.page_width), mm(section.page_height)) == (210, 297)
    assert mm(section.top_margin) == 20 and mm(section.bottom_margin) == 20
    assert mm(section.left_margin) == 30 and mm(section.right_margin) == 15


def test_every_run_names_times_new_roman_for_every_script():
    document = read(state_report())
    for run in runs(document):
        fonts = run._r.rPr.find(qn("w:rFonts"))
        assert run.font.name == "Times New Roman", run.text
        assert fonts.get(qn("w:eastAsia")) == "Times New Roman"
        assert fonts.get(qn("w:asciiTheme")) is None


def test_the_header_is_a_borderless_two_column_table_with_number_and_italic_date():
    document = read(state_report())
    header = document.tables[0]
    assert len(header.columns) == 2
    borders = header._tbl.tblPr.find(qn("w:tblBorders"))
    assert {el.get(qn("w:val")) for el in borders} == {"nil"}
    assert cell_text(header.cell(0, 0)) == ["ỦY BAN NHÂN DÂN XÃ HƯNG ĐẠO"]
    assert cell_text(header.cell(0, 1)) == [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
    ]
    assert cell_text(header.cell(1, 0)) == ["Số: 15/BC-UBND"]
    (date,) = header.cell(1, 1).paragraphs[0].runs
    assert date.text == "Hưng Đạo, ngày 05 tháng 6 năm 2026" and date.italic
    issuer = header.cell(0, 0).paragraphs[0].runs[0]
    assert issuer.bold and issuer.font.size == Pt(13)


def test_rules_are_real_lines_not_underscores():
    document = read(state_report())
    xml = document.tables[0]._tbl.xml
    assert xml.count("<w:pBdr>") == 2  # under the issuer and under the motto
    assert "___" not in xml


def test_kind_and_title_are_centred_and_bold_and_the_body_is_justified_with_indent():
    document = read(state_report())
    texts = [p for p in document.paragraphs if p.text]
    kind, title = texts[0], texts[1]
    assert kind.text == "BÁO CÁO" and kind.runs[0].bold and kind.alignment == 1
    assert title.text.startswith("Kết quả công tác") and title.runs[0].bold and title.alignment == 1
    body = next(p for p in texts if p.text.startswith("Thực hiện Kế hoạch"))
    assert body.alignment == 3  # justify
    assert abs(body.paragraph_format.first_line_indent - Cm(1.27)) < Cm(0.01)
    assert body.runs[0].font.size == Pt(14)
    assert any(p.text == "- Đăng 12 tin, bài trên Cổng thông tin điện tử xã" for p in texts)


def test_tables_are_ruled_with_a_bold_header():
    document = read(state_report())
    table = document.tables[1]
    assert table.style.name == "Table Grid"
    assert [c.text for c in table.rows[0].cells] == ["Đơn vị", "Tin, bài", "Hội nghị"]
    assert table.rows[0].cells[0].paragraphs[0].runs[0].bold
    assert table.rows[1].cells[1].text == "12"


def test_recipients_and_signature_follow_the_state_format():
    document = read(state_report())
    closing = document.tables[-1]
    left, right = closing.cell(0, 0), closing.cell(0, 1)
    lines = cell_text(left)
    assert lines[0] == "Nơi nhận:"
    heading = left.paragraphs[0].runs[0]
    assert heading.bold and heading.italic and heading.font.size == Pt(12)
    assert lines[1:] == [
        "- Ban Tuyên giáo và Dân vận Thành ủy;",
        "- Thường trực Đảng ủy xã;",
        "- Lưu: VT, VHXH.",
    ]
    assert left.paragraphs[1].runs[0].font.size == Pt(11)
    assert cell_text(right) == ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Nguyễn Văn An"]


def test_party_bodies_get_the_party_format():
    doc = state_report(
        issuer="BAN TUYÊN GIÁO VÀ DÂN VẬN THÀNH ỦY",
        issuer_parent="ĐẢNG BỘ THÀNH PHỐ HÀ NỘI",
        number="66-BC/BTGDVTU",
        place="Hà Nội",
        signature=Signature(
            authority="T/M BAN TUYÊN GIÁO", deputy="K/T TRƯỞNG BAN", position="PHÓ TRƯỞNG BAN"
        ),
    )
    assert profile_for_issuer(doc.issuer, doc.issuer_parent) == PARTY
    document = read(doc)
    header = document.tables[0]
    assert cell_text(header.cell(0, 0)) == [
        "ĐẢNG BỘ THÀNH PHỐ HÀ NỘI",
        "BAN TUYÊN GIÁO VÀ DÂN VẬN THÀNH ỦY",
        "*",
    ]
    assert cell_text(header.cell(0, 1)) == ["ĐẢNG CỘNG SẢN VIỆT NAM"]
    assert header.cell(0, 1).paragraphs[0].runs[0].font.size == Pt(15)
    assert cell_text(header.cell(1, 0)) == ["Số 66-BC/BTGDVTU"]
    assert "- Lưu Văn phòng, VHXH." in cell_text(document.tables[-1].cell(0, 0))


def test_state_bodies_and_the_front_use_the_state_format():
    assert profile_for_issuer("ỦY BAN NHÂN DÂN XÃ HƯNG ĐẠO") == STATE
    assert profile_for_issuer("ĐẢNG ỦY XÃ HƯNG ĐẠO") == PARTY
    assert profile_for_issuer("THÀNH ỦY HÀ NỘI") == PARTY


def test_a_draft_without_number_or_date_leaves_blanks_to_fill():
    document = read(state_report(number="", date=None, draft=True))
    header = document.tables[0]
    assert cell_text(header.cell(1, 0))[0].startswith("Số:") and "/" in cell_text(header.cell(1, 0))[0]
    assert "tháng" in header.cell(1, 1).paragraphs[0].text
    assert any(p.text == "DỰ THẢO" for p in document.paragraphs)


@pytest.mark.parametrize(
    ("date", "text"),
    [
        (dt.date(2026, 6, 5), "Hưng Đạo, ngày 05 tháng 6 năm 2026"),
        (dt.date(2026, 2, 17), "Hưng Đạo, ngày 17 tháng 02 năm 2026"),
        (dt.date(2026, 12, 1), "Hưng Đạo, ngày 01 tháng 12 năm 2026"),
    ],
)
def test_dates_follow_the_decree(date, text):
    assert place_and_date("Hưng Đạo", date) == text


def test_profiles_are_versioned_data_and_unknown_ones_are_refused():
    state = load_profile(STATE)
    assert state["version"] >= 1 and "30/2020" in state["source"]
    with pytest.raises(ProfileError):
        load_profile("../../etc/passwd")
    with pytest.raises(ProfileError):
        load_profile("nd99-2099")
