"""Quiz question bank import: Aiken, CSV, XLSX, with a reason for every refused question."""

import io

import openpyxl
from hypothesis import given
from hypothesis import strategies as st

from loa.materials import questions

AIKEN = """Nghị quyết 02-NQ/TW được Bộ Chính trị ban hành ngày nào?
A. 17/3/2026
B. 17/3/2025
C. 2/9/2026
D. 1/1/2026
ANSWER: A
CITE: Nghị quyết số 02-NQ/TW | Phần mở đầu | Ngày 17/3/2026, Bộ Chính trị ban hành Nghị quyết số 02-NQ/TW.
THEME: 1.1
AUDIENCE: thanh_nien

Câu hỏi có hai đáp án?
A. Một
B. Hai
C. Ba
D. Bốn
ANSWER: A, B
CITE: Kế hoạch | Mục I | Câu.

Câu hỏi không dẫn nguồn?
A. Một
B. Hai
C. Ba
D. Bốn
ANSWER: C

Thiếu phương án?
A. Một
B. Hai
ANSWER: A
CITE: Kế hoạch | Mục I | Câu.
"""


def test_aiken_keeps_the_good_question_and_names_each_refusal():
    report = questions.read(AIKEN.encode(), "cau-hoi.txt")
    [q] = report.questions
    assert q.key == 0 and q.options[0] == "17/3/2026" and q.theme == "1.1" and q.audience == "thanh_nien"
    assert q.document == "Nghị quyết số 02-NQ/TW" and q.sentence.startswith("Ngày 17/3/2026")
    reasons = dict(report.errors)
    assert "một đáp án" in reasons[2] and "trích dẫn" in reasons[3] and "bốn phương án" in reasons[4]
    assert report.summary == "Nhận 1 câu hỏi; 3 câu bị từ chối."


def test_xlsx_and_csv_rows_are_reported_by_row_number():
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(questions.COLUMNS)
    sheet.append(
        [
            "Thủ đô có tầm nhìn đến năm nào?",
            "2045",
            "2030",
            "2050",
            "2065",
            "A",
            "Nghị quyết 02",
            "Mục 1.2.2",
            "Tầm nhìn đến năm 2045.",
            "1.2.2",
            "",
        ]
    )
    sheet.append(["Câu trùng phương án?", "1", "1", "2", "3", "B", "Nghị quyết 02", "", "Câu.", "", ""])
    sheet.append(
        ['=HYPERLINK("x")', "a", "b", "c", "d", "A", "Nghị quyết 02", "", "Câu.", "", ""]
    )  # never evaluated
    sheet.append(["Câu hỏi?", "a", "b", "c", "d", "E", "Nghị quyết 02", "", "Câu.", "", ""])
    out = io.BytesIO()
    book.save(out)
    report = questions.read(out.getvalue(), "ngan-hang.xlsx")
    assert [q.options[q.key] for q in report.questions] == ["2045"]
    assert dict(report.errors) == {
        3: "Có hai phương án trùng nhau.",
        4: "Thiếu nội dung câu hỏi.",
        5: "Đáp án “E” không phải A, B, C hoặc D.",
    }
    csv = (
        "\ufeff" + ",".join(questions.COLUMNS[:9]) + "\nCâu hỏi?,a,b,c,d,D,Kế hoạch,,Câu trích.\n"
    ).encode()
    assert questions.read(csv, "ngan-hang.csv").questions[0].key == 3
    assert "Thiếu cột" in questions.read(b"x,y\n1,2\n", "sai.csv").errors[0][1]
    assert questions.read(b"\x00\x01binary", "rac.xlsx").errors


@given(st.text(max_size=2000))
def test_reading_never_raises(text):
    questions.read_aiken(text)


def test_drafts_come_from_the_plans_figures_and_cited_documents_and_only_approval_makes_them_usable(world):
    from loa.materials import quiz
    from loa.materials.models import Question

    plan = world["plan"]
    made = quiz.draft_from_plan(plan, world["office_a"])
    assert made >= 3 and quiz.draft_from_plan(plan, world["office_a"]) == 0  # idempotent
    income = Question.objects.get(text__contains="đến năm 2030, thu nhập bình quân đầu người")
    assert income.options[income.key] == "12.000 USD"
    assert set(income.options) >= {"42.000 USD", "95.000 USD"}  # distractors: same-type facts of the plan
    assert "12.000" in income.cite_sentence and income.cite_section.startswith("Mục")
    dated = Question.objects.filter(text__contains="02-NQ/TW").first()
    assert dated is not None and dated.options[dated.key] == "17/03/2026"
    assert not Question.objects.filter(status="approved").exists()
    quiz.approve(income, world["office_a"])
    assert Question.objects.get(pk=income.pk).status == "approved"


def test_an_imported_bank_keeps_good_questions_and_reports_the_rest(world):
    from loa.materials import quiz
    from loa.materials.models import Question

    report = quiz.import_bank(world["plan"], AIKEN.encode(), "cau-hoi.txt", world["office_a"])
    assert Question.objects.count() == 1 and len(report.errors) == 3
