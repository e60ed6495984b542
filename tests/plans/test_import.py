import pytest

from loa.audit.models import AuditEntry
from loa.docparse import DocumentError
from loa.plans.models import Document, DocumentStatus, DocumentVersion, Reference, Task, TaskStatus
from loa.plans.services import import_plan

pytestmark = pytest.mark.django_db

PARENT = """ĐẢNG BỘ XÃ HƯNG ĐẠO
ĐẢNG ỦY XÃ
Số 66-KH/ĐU
ĐẢNG CỘNG SẢN VIỆT NAM
Hưng Đạo, ngày 21 tháng 4 năm 2026
KẾ HOẠCH
Thông tin, tuyên truyền, vận động thực hiện Nghị quyết số 02-NQ/TW ngày 17/3/2026 của Bộ Chính trị
I. MỤC ĐÍCH, YÊU CẦU
Tuyên truyền sâu rộng.
II. TỔ CHỨC THỰC HIỆN
1. Ủy ban nhân dân xã
- Xây dựng kế hoạch thực hiện trước ngày 30/4/2026.
"""


def read(samples_dir, name):
    return (samples_dir / name).read_bytes()


COMMUNE = "ke-hoach-ubnd-xa-hung-dao-nghi-quyet-02.txt"
CITY = "ke-hoach-ban-tuyen-giao-thanh-uy-ky-hop-thu-nhat.txt"


def test_it_imports_a_plan_with_tasks_units_and_quotas(hanoi, samples_dir):
    result = import_plan(data=read(samples_dir, COMMUNE), filename=COMMUNE, is_sample=True)
    doc = result.document
    assert result.created_document and doc.status == DocumentStatus.IMPORTED and doc.is_sample
    assert doc.area.name.endswith("Hưng Đạo")
    assert doc.tasks.count() == 6
    centre = doc.tasks.get(assignment_label="3")
    kpi = centre.kpis.get()
    assert (kpi.quantity, kpi.unit, kpi.per) == (10, "tin, bài", "month")
    assert centre.units.get().name.startswith("Trung tâm")
    villages = doc.tasks.get(assignment_label="5")
    assert villages.groups.exists() and not villages.units.exists()
    assert AuditEntry.objects.filter(action="plans.document.imported", object_id=str(doc.pk)).exists()


def test_it_is_idempotent_for_the_same_file(hanoi, samples_dir):
    first = import_plan(data=read(samples_dir, CITY), filename=CITY)
    again = import_plan(data=read(samples_dir, CITY), filename="copy.txt")
    assert again.document == first.document and not again.created_version
    assert Document.objects.filter(status=DocumentStatus.IMPORTED).count() == 1
    assert DocumentVersion.objects.count() == 1
    assert Task.objects.count() == first.document.tasks.count()


def test_a_changed_file_becomes_a_new_version_and_keeps_task_identity(hanoi, samples_dir):
    text = read(samples_dir, COMMUNE).decode()
    first = import_plan(data=text.encode(), filename=COMMUNE)
    kept = first.document.tasks.get(assignment_label="3")
    changed = text.replace(
        "Tăng cường tuyên truyền đến người dân bằng các hình thức phù hợp", "Tuyên truyền hằng tuần"
    )
    second = import_plan(data=changed.encode(), filename=COMMUNE)
    assert second.document == first.document and second.version.number == 2
    assert second.document.tasks.get(pk=kept.pk).status == TaskStatus.OPEN
    closed = second.document.tasks.filter(status=TaskStatus.CLOSED)
    assert closed.count() == 1 and "hình thức phù hợp" in closed.get().text
    assert second.document.tasks.filter(status=TaskStatus.OPEN, text__contains="hằng tuần").exists()


def test_cited_documents_are_unresolved_until_imported_whichever_comes_first(hanoi, samples_dir):
    child = import_plan(data=read(samples_dir, COMMUNE), filename=COMMUNE).document
    cited = Reference.objects.get(source=child, cited__number="66-KH/ĐU").cited
    assert cited.status == DocumentStatus.CITED
    parent = import_plan(data=PARENT.encode(), filename="66.txt").document
    ref = Reference.objects.get(source=child, cited__number="66-KH/ĐU")
    assert ref.cited == parent and parent.status == DocumentStatus.IMPORTED
    assert not Document.objects.filter(number="66-KH/ĐU", status=DocumentStatus.CITED).exists()
    # The parent cites the resolution the child cites too: one row for it.
    assert Document.objects.filter(number="02-NQ/TW").count() == 1
    assert Reference.objects.filter(cited__number="02-NQ/TW").count() == 2


def test_parent_first_then_child_links_too(hanoi, samples_dir):
    parent = import_plan(data=PARENT.encode(), filename="66.txt").document
    child = import_plan(data=read(samples_dir, COMMUNE), filename=COMMUNE).document
    assert Reference.objects.filter(source=child, cited=parent, is_basis=True).exists()


def test_a_bad_file_writes_nothing(hanoi):
    with pytest.raises(DocumentError) as err:
        import_plan(data=b"", filename="rong.txt")
    assert err.value.code == "empty"
    with pytest.raises(DocumentError):
        import_plan(data=b"\x00\x01\x02binary" * 50, filename="x.txt")
    assert Document.objects.count() == 0 and DocumentVersion.objects.count() == 0
