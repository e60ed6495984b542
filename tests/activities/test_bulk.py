import csv
import datetime as dt
import io
import unicodedata
from pathlib import Path

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from loa.accounts.access import scope_for
from loa.accounts.models import Role
from loa.accounts.services import grant_role
from loa.activities.bulk import COLUMNS, import_activities, template_rows, update_activity
from loa.activities.models import Activity
from loa.activities.tabular import TabularError, neutralise, read_table, write_csv, write_xlsx
from loa.audit.models import AuditEntry
from loa.org.models import Unit
from loa.org.services import load_hanoi
from loa.plans.services import import_plan

pytestmark = pytest.mark.django_db

SAMPLES = Path(__file__).resolve().parents[2] / "loa" / "samples" / "plans"
COMMUNE = "ke-hoach-ubnd-xa-hung-dao-nghi-quyet-02.txt"
HEADER = [c.key for c in COLUMNS]
HYPERLINK = '=HYPERLINK("http://x","y")'


@pytest.fixture
def hung_dao(django_user_model):
    """The commune plan imported; an officer of the commune's service centre (task "3")."""
    load_hanoi()
    plan = import_plan(data=(SAMPLES / COMMUNE).read_bytes(), filename=COMMUNE).document
    task = plan.tasks.get(assignment_label="3")
    unit = task.units.get()
    officer = django_user_model.objects.create_user("canbo_tt", password="mat-khau-dai-123")
    grant_role(user=officer, unit=unit, role=Role.OFFICER)
    return {
        "plan": plan,
        "task": task,
        "unit": unit,
        "other_task": plan.tasks.get(assignment_label="1"),  # the commune office's, not the centre's
        "officer": officer,
        "units": scope_for(officer).writable_units(),
    }


def row(**values) -> dict:
    return {"ma": "TT-1", "ngay": "05/03/2026", "kenh": "mạng xã hội", "hinh_thuc": "tin"} | values


def csv_bytes(rows: list[dict], *, delimiter: str = ",", encoding: str = "utf-8-sig") -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=HEADER, delimiter=delimiter, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode(encoding)


def valid_rows(w) -> list[dict]:
    return [
        row(
            ma="TT-001",
            don_vi="Trung tâm dịch vụ tổng hợp xã Hưng Đạo",
            tieu_de="Tin về Nghị quyết 02-NQ/TW trên trang của xã",
            duong_dan="https://hungdao.hanoi.gov.vn/tin/1",
            nhiem_vu=str(w["task"].pk),
            chu_de="1.2; 1.2.1",
            doi_tuong="Toàn dân; thanh_nien",
            luot_xem="1.200",
            luot_chia_se="35",
        ),
        row(
            ma="TT-002",
            ngay="2026-03-06",
            don_vi="TTDVTH xã",  # an alias, abbreviated
            kenh="Phát thanh",
            hinh_thuc="Buổi phát thanh",
            so_luong="4",
            tieu_de="Bản tin phát thanh về Thủ đô trong kỷ nguyên mới",
            nhiem_vu=str(w["task"].pk),
        ),
    ]


def run(w, data: bytes, filename: str = "hoat-dong.csv", **kwargs):
    return import_activities(data=data, filename=filename, actor=w["officer"], units=w["units"], **kwargs)


def test_it_creates_activities_linked_to_the_task(hung_dao):
    w = hung_dao
    result = run(w, csv_bytes(valid_rows(w)))
    assert (result.created, result.updated, result.unchanged, result.errors) == (2, 0, 0, [])
    first = Activity.objects.get(unit=w["unit"], external_id="TT-001")
    assert list(first.tasks.all()) == [w["task"]]
    assert sorted(t.label for t in first.themes.all()) == ["1.2", "1.2.1"]
    assert (first.date, first.channel, first.form) == (dt.date(2026, 3, 5), "social_media", "tin")
    assert first.audiences == ["toan_dan", "thanh_nien"]
    assert (first.views, first.shares, first.participants, first.quantity) == (1200, 35, None, 1)
    assert first.created_by == w["officer"]
    second = Activity.objects.get(unit=w["unit"], external_id="TT-002")
    assert (second.channel, second.form, second.quantity) == ("broadcast", "buoi_phat_thanh", 4)
    assert AuditEntry.objects.filter(action="activities.activity.recorded").count() == 2


def test_importing_the_same_file_again_changes_nothing(hung_dao):
    w = hung_dao
    data = csv_bytes(valid_rows(w))
    run(w, data)
    again = run(w, data)
    assert (again.created, again.updated, again.unchanged, again.errors) == (0, 0, 2, [])
    assert Activity.objects.count() == 2
    assert not AuditEntry.objects.filter(action="activities.activity.updated").exists()


def test_a_corrected_row_updates_its_activity_and_is_audited(hung_dao):
    w = hung_dao
    rows = valid_rows(w)
    run(w, csv_bytes(rows))
    rows[1]["tieu_de"] = "Bản tin phát thanh (đã sửa)"
    rows[1]["nhiem_vu"] = ""
    again = run(w, csv_bytes(rows))
    assert (again.created, again.updated, again.unchanged, again.errors) == (0, 1, 1, [])
    activity = Activity.objects.get(external_id="TT-002")
    assert activity.title == "Bản tin phát thanh (đã sửa)" and not activity.tasks.exists()
    entry = AuditEntry.objects.get(action="activities.activity.updated", object_id=str(activity.pk))
    assert entry.actor == w["officer"]
    assert entry.data["before"] == {
        "title": "Bản tin phát thanh về Thủ đô trong kỷ nguyên mới",
        "tasks": [w["task"].pk],
    }
    assert entry.data["after"] == {"title": "Bản tin phát thanh (đã sửa)", "tasks": []}


def test_bad_rows_are_reported_with_their_row_and_the_good_rows_are_saved(hung_dao):
    w = hung_dao
    centre = "Trung tâm dịch vụ tổng hợp xã Hưng Đạo"
    rows = [
        row(ma="A1", don_vi=centre, tieu_de="Hợp lệ", nhiem_vu=str(w["task"].pk)),  # row 2
        row(ma="A2", don_vi=centre, tieu_de="Sai ngày", ngay="31/02/2026"),  # row 3
        row(ma="A3", don_vi="Trung tâm không có thật", tieu_de="Đơn vị lạ"),  # row 4
        row(ma="A4", don_vi="Trung tâm dịch vụ tổng hợp phường Ba Đình", tieu_de="Xã khác"),  # row 5
        row(ma="A5", don_vi=centre, tieu_de=HYPERLINK),  # row 6: text, saved as written
        row(ma="A6", don_vi=centre, tieu_de="Nhiệm vụ khác", nhiem_vu=str(w["other_task"].pk)),  # row 7
        row(ma="A7", don_vi=centre, tieu_de=""),  # row 8
        row(ma="A1", don_vi=centre, tieu_de="Trùng mã"),  # row 9
        row(ma="A8", don_vi=centre, tieu_de="Số âm", luot_xem="-3", kenh="bồ câu đưa thư"),  # row 10
    ]
    result = run(w, csv_bytes(rows))

    assert (result.created, result.updated, result.unchanged) == (2, 0, 0)
    assert set(Activity.objects.values_list("external_id", flat=True)) == {"A1", "A5"}
    found = {(e.row, e.column): e for e in result.errors}
    assert set(found) == {
        (3, "ngay"),
        (4, "don_vi"),
        (5, "don_vi"),
        (7, "nhiem_vu"),
        (8, "tieu_de"),
        (9, "ma"),
        (10, "luot_xem"),
        (10, "kenh"),
    }
    assert result.rejected == 7
    assert "Ngày “31/02/2026” không hợp lệ" in found[3, "ngay"].message_vi
    assert found[3, "ngay"].value == "31/02/2026"
    assert "Không tìm thấy đơn vị" in found[4, "don_vi"].message_vi
    assert "không thuộc phạm vi bạn được nhập" in found[5, "don_vi"].message_vi
    assert "không được giao cho đơn vị" in found[7, "nhiem_vu"].message_vi
    assert found[8, "tieu_de"].message_vi == "Chưa ghi tiêu đề."
    assert "đã dùng ở dòng 2" in found[9, "ma"].message_vi
    assert "không được là số âm" in found[10, "luot_xem"].message_vi
    assert "Không nhận ra kênh “bồ câu đưa thư”" in found[10, "kenh"].message_vi

    formula = Activity.objects.get(external_id="A5")
    assert formula.title == HYPERLINK  # stored as written, never evaluated
    assert neutralise(formula.title) == "'" + HYPERLINK
    report = write_csv([["tieu_de"], [formula.title]]).decode("utf-8-sig")
    assert "'=HYPERLINK" in report and '\n"=' not in report


def test_an_xlsx_file_written_with_openpyxl_works_the_same(hung_dao):
    w = hung_dao
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(HEADER)
    first = valid_rows(w)[0]
    sheet.append([first.get(k, "") for k in HEADER])
    sheet.append([first.get(k, "") for k in HEADER])  # same ma: a duplicate
    sheet["A3"] = "TT-003"
    sheet["B3"] = dt.datetime(2026, 3, 7)  # a real date cell
    sheet["M3"] = 1500  # luot_xem as a number
    sheet.append(["TT-004", "31/02/2026", "Trung tâm dịch vụ tổng hợp xã", "Báo chí", "bai", 1, "x"])
    sheet.append(["TT-005", "08/03/2026", "", "Báo chí", "bai", 1, HYPERLINK])
    sheet["G5"].data_type = "s"  # typed as text, the way Excel keeps a leading '=
    buffer = io.BytesIO()
    workbook.save(buffer)

    result = run(w, buffer.getvalue(), "hoat-dong.xlsx")
    assert (result.created, result.updated, result.unchanged) == (3, 0, 0)
    assert [(e.row, e.column) for e in result.errors] == [(4, "ngay")]
    assert Activity.objects.get(external_id="TT-003").date == dt.date(2026, 3, 7)
    assert Activity.objects.get(external_id="TT-003").views == 1500
    # don_vi left empty: the officer writes one unit only
    assert Activity.objects.get(external_id="TT-005").unit == w["unit"]
    assert Activity.objects.get(external_id="TT-005").title == HYPERLINK

    again = run(w, buffer.getvalue(), "hoat-dong.xlsx")
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)


def test_a_semicolon_csv_in_windows_1258_is_read(hung_dao):
    w = hung_dao
    data = csv_bytes(valid_rows(w)[1:], delimiter=";", encoding="utf-8")
    text = data.decode("utf-8")
    result = run(w, _cp1258(text))
    assert (result.created, result.errors) == (1, [])
    assert Activity.objects.get().title == "Bản tin phát thanh về Thủ đô trong kỷ nguyên mới"


def _cp1258(text: str) -> bytes:
    """Windows-1258 as Vietnamese Windows writes it: base letters precomposed, tones combining."""
    out = bytearray()
    for ch in text:
        try:
            out += ch.encode("cp1258")
        except UnicodeEncodeError:
            parts = unicodedata.normalize("NFD", ch)
            out += unicodedata.normalize("NFC", parts[:-1]).encode("cp1258") + parts[-1].encode("cp1258")
    return bytes(out)


@pytest.mark.parametrize(
    ("data", "filename"),
    [
        (bytes(range(256)) * 40, "hoat-dong.csv"),
        (bytes(range(256)) * 40, "hoat-dong.xlsx"),
        (b"PK\x03\x04" + bytes(range(256)) * 4, "hoat-dong.xlsx"),
        (b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, "anh.csv"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512), "cu.xls"),
        (b"", "rong.csv"),
    ],
)
def test_a_file_that_is_not_a_table_raises_a_vietnamese_error(hung_dao, data, filename):
    with pytest.raises(TabularError) as caught:
        run(hung_dao, data, filename)
    assert caught.value.message.startswith("Tệp “") and "tệp" in caught.value.message[5:]
    assert not Activity.objects.exists()


def test_a_zip_bomb_is_refused_before_it_is_opened():
    data = write_xlsx([["ma"], ["x" * 5000]])
    with pytest.raises(TabularError) as caught:
        read_table(data, "bom.xlsx", max_unzipped_bytes=1000)
    assert caught.value.code == "zip_bomb" and "giải nén" in caught.value.message


def test_too_many_rows_and_missing_columns_are_refused(hung_dao):
    with pytest.raises(TabularError) as caught:
        read_table(b"ma\n" + b"1\n" * 11, "nhieu.csv", max_rows=10)
    assert caught.value.code == "too_many_rows" and "hơn 10 dòng" in caught.value.message
    assert len(read_table(b"ma\n" + b"1\n" * 10, "du.csv", max_rows=10).rows) == 10
    with pytest.raises(TabularError) as caught:
        run(hung_dao, b"ma,ngay\nA,01/01/2026\n")
    assert caught.value.code == "missing_columns" and "tieu_de" in caught.value.message


def test_english_and_written_out_headers_are_accepted(hung_dao):
    w = hung_dao
    data = (
        "Mã,Ngày (dd/mm/yyyy),unit,channel,Hình thức,Tiêu đề,Lượt xem\n"
        "E1,01/03/2026,Trung tâm dịch vụ tổng hợp xã Hưng Đạo,social_media,video,Clip,10\n"
    ).encode()
    result = run(w, data)
    assert (result.created, result.errors) == (1, [])
    assert Activity.objects.get().views == 10


def test_the_template_rows_are_examples_that_are_not_imported_as_is(hung_dao):
    w = hung_dao
    rows = template_rows(unit=w["unit"], task_id=w["task"].pk)
    assert rows[0] == HEADER and len(rows) == 3
    assert all(r[0].startswith("VI-DU-") and r[6].startswith("(Ví dụ)") for r in rows[1:])
    result = run(w, write_csv(rows))
    assert result.created == 0 and {e.row for e in result.errors} == {2, 3}
    assert all("dòng ví dụ" in e.message_vi for e in result.errors if e.column == "ma")
    # Rename the examples and they are valid rows.
    for r in rows[1:]:
        r[0] = r[0].replace("VI-DU-", "TT-")
    result = run(w, write_xlsx(rows), "mau.xlsx")
    assert (result.created, result.errors) == (2, [])


def test_progress_is_reported_up_to_100(hung_dao):
    w = hung_dao
    calls = []
    rows = [row(ma=f"P{i}", tieu_de=f"Tin {i}") for i in range(450)]
    run(w, csv_bytes(rows), progress=lambda percent, stage: calls.append((percent, stage)))
    percents = [p for p, _s in calls]
    assert percents == sorted(percents) and percents[-1] == 100
    assert sum(1 for _p, s in calls if s.startswith("Đã xử lý")) == 3  # every 200 rows
    assert Activity.objects.count() == 450


def test_lookups_cost_the_same_queries_for_5_or_50_rows(hung_dao):
    w = hung_dao

    def queries(n: int) -> int:
        rows = [row(ma=f"Q{i}", don_vi="Không có", tieu_de="x", nhiem_vu="1", chu_de="1.1") for i in range(n)]
        with CaptureQueriesContext(connection) as ctx:
            result = run(w, csv_bytes(rows))
        assert result.rejected == n
        return len(ctx.captured_queries)

    assert queries(5) == queries(50)


def test_update_activity_refuses_a_task_of_another_unit(hung_dao):
    w = hung_dao
    run(w, csv_bytes(valid_rows(w)))
    activity = Activity.objects.get(external_id="TT-001")
    with pytest.raises(Exception, match="không được giao cho đơn vị này"):
        update_activity(activity=activity, actor=w["officer"], tasks=[w["other_task"]])
    with pytest.raises(TypeError):
        update_activity(activity=activity, actor=w["officer"], unit=Unit.objects.first())
    assert list(activity.tasks.all()) == [w["task"]]


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_neutralise_prefixes_formula_starts(start):
    assert neutralise(start + "1+1") == "'" + start + "1+1"
    assert neutralise("Tin 1") == "Tin 1" and neutralise("") == ""
