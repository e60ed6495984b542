"""The material library in a real browser: the office imports a DOCX outline from the plan's page,
publishes it, builds a 60-second loudspeaker script and approves it; a unit officer opens the
material on a phone and taps "Đã phát"; the library counts the use."""

import docx
import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from loa.accounts.models import Role
from loa.accounts.services import grant_role
from loa.org.services import load_hanoi
from loa.plans.models import TaskAssignment
from loa.plans.services import import_plan
from tests.browser.test_citizen_question import _accessible
from tests.browser.test_record_activity import COMMUNE, login

pytestmark = pytest.mark.django_db(transaction=True)

LINES = [
    "ĐỀ CƯƠNG TUYÊN TRUYỀN (MẪU)",
    "Nghị quyết số 02-NQ/TW ngày 17/3/2026 của Bộ Chính trị về xây dựng và phát triển Thủ đô",
    "I. Ý NGHĨA",
    "Hà Nội là trái tim của cả nước, trung tâm chính trị - hành chính quốc gia.",
    "II. MỤC TIÊU",
    "Đến năm 2030, thu nhập bình quân đầu người đạt 12.000 USD; tỷ lệ đô thị hóa đạt 75%.",
    "Mỗi xã đăng tối thiểu 10 tin, bài/tháng trên cổng thông tin điện tử.",
]


def test_the_office_publishes_a_script_and_a_unit_logs_its_broadcast(
    live_server, browser, samples_dir, tmp_path
):
    load_hanoi()
    plan = import_plan(data=(samples_dir / COMMUNE).read_bytes(), filename=COMMUNE).document
    unit = TaskAssignment.objects.filter(task__document=plan).select_related("unit").first().unit
    users = get_user_model().objects
    grant_role(
        user=users.create_user("lanhdao_xa", password="mat-khau-dai-123"), unit=plan.issuer, role=Role.OFFICE
    )
    grant_role(
        user=users.create_user("truong_thon", password="mat-khau-dai-123"), unit=unit, role=Role.OFFICER
    )
    outline = docx.Document()
    for line in LINES:
        outline.add_paragraph(line)
    path = tmp_path / "de-cuong-mau.docx"
    outline.save(path)

    office = browser.new_context(locale="vi-VN")
    page = office.new_page()
    page.set_default_timeout(20000)
    login(page, live_server.url, "lanhdao_xa")
    page.goto(live_server.url + reverse("plans:detail", args=[plan.pk]))
    page.get_by_role("link", name="Tài liệu tuyên truyền").click()
    assert page.locator("#coverage").is_visible()  # theme × audience matrix
    _accessible(page)
    page.set_input_files("#m-file", str(path))
    page.check("input[name=doi_tuong][value=toan_dan]")
    page.get_by_role("button", name="Nhập", exact=True).click()
    page.wait_for_selector("#versions")
    assert "Hà Nội là trái tim" in page.locator("ol.paragraphs").inner_text()
    page.get_by_role("button", name="Phát hành").click()
    page.select_option("#limit", "60")
    page.get_by_role("button", name="Dựng kịch bản").click()
    script = page.locator(".card.script").first
    assert "/60" in script.inner_text()
    script.get_by_role("button", name="Duyệt").click()
    approved = page.locator(".card.script").first
    assert approved.get_by_role("link", name="TXT").is_visible()
    _accessible(page)
    detail = page.url
    office.close()

    phone = browser.new_context(locale="vi-VN", viewport={"width": 390, "height": 844}, is_mobile=True)
    head = phone.new_page()
    head.set_default_timeout(20000)
    login(head, live_server.url, "truong_thon")
    head.goto(detail)
    assert "dùng ở 0/" in head.locator("#use").inner_text()
    head.get_by_role("button", name="Đã phát").click()
    assert "dùng ở 1/" in head.locator("#use").inner_text()
    head.goto(live_server.url + reverse("materials:library", args=[plan.pk]))
    assert "dùng ở 1/" in head.locator("#materials").inner_text()
    phone.close()
