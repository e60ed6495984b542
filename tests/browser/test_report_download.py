import datetime as dt
import io

import docx
import pytest
from django.contrib.auth import get_user_model

from loa.accounts.models import Role
from loa.accounts.services import grant_role
from loa.activities.services import record_activity
from loa.org.models import Unit
from loa.org.services import load_hanoi
from loa.plans.models import TaskAssignment
from loa.plans.services import import_plan
from tests.browser.test_record_activity import COMMUNE, login

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_commune_office_downloads_the_monthly_report_from_the_plan_dashboard(
    live_server, page, samples_dir
):
    load_hanoi()
    plan = import_plan(data=(samples_dir / COMMUNE).read_bytes(), filename=COMMUNE).document
    assignment = TaskAssignment.objects.select_related("unit", "task").get(
        task__document=plan, task__assignment_label="3"
    )
    today = dt.date.today()
    record_activity(
        actor=None,
        unit=assignment.unit,
        date=today.replace(day=1),
        channel="social_media",
        form="tin",
        quantity=7,
        title="Tin tuyên truyền Nghị quyết 02 trên Fanpage xã",
        tasks=[assignment.task],
        views=900,
    )
    office = get_user_model().objects.create_user("vanphong_xa", password="mat-khau-dai-123")
    grant_role(
        user=office, unit=Unit.objects.get(area=plan.area, unit_type="peoples_committee"), role=Role.OFFICE
    )
    login(page, live_server.url, "vanphong_xa")
    page.goto(f"{live_server.url}/nhiem-vu/tien-do/ke-hoach/{plan.pk}/")
    page.get_by_text("Báo cáo, kế hoạch thực hiện").click()
    with page.expect_download() as info:
        page.get_by_role("button", name="Tải báo cáo tháng").click()
    download = info.value
    assert download.suggested_filename.endswith(".docx")
    document = docx.Document(io.BytesIO(open(download.path(), "rb").read()))
    texts = [p.text for p in document.paragraphs]
    assert "BÁO CÁO" in texts
    assert any(f"tháng {today.month} năm {today.year}" in t for t in texts)
    assert any("1 hoạt động" in t and "900 lượt" in t for t in texts)
