import pytest
from django.contrib.auth import get_user_model

from loa.accounts.models import Role
from loa.accounts.services import grant_role
from loa.org.models import Unit
from loa.org.services import load_hanoi
from loa.plans.services import import_plan
from tests.browser.test_record_activity import COMMUNE, login
from tests.listening.test_desk import export_csv

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_office_uploads_an_export_sees_the_surge_opens_it_and_marks_the_claim_answered(
    live_server, page, samples_dir, tmp_path
):
    load_hanoi()
    plan = import_plan(data=(samples_dir / COMMUNE).read_bytes(), filename=COMMUNE).document
    office = get_user_model().objects.create_user("vanphong_xa", password="mat-khau-dai-123")
    grant_role(
        user=office, unit=Unit.objects.get(area=plan.area, unit_type="peoples_committee"), role=Role.OFFICE
    )
    export = tmp_path / "facebook-export.csv"
    export.write_bytes(export_csv())

    login(page, live_server.url, "vanphong_xa")
    page.get_by_role("link", name="Lắng nghe").click()
    page.locator("#desk-plans a").first.click()
    page.locator("input[name=tep]").set_input_files(str(export))
    page.get_by_role("button", name="Tải lên").click()
    assert "Đã nhận 252 mục mới" in page.content()
    # the vendored chart library draws the weekly sentiment (the SVG stays for pages without JS)
    page.locator("#chart-sentiment.drawn canvas").first.wait_for()
    page.screenshot(path=str(samples_dir.parents[2] / "var" / "listening-desk.png"), full_page=True)
    surges = page.locator("#surges")
    assert "cắt nước" in surges.inner_text()
    surges.get_by_role("link", name="cắt nước").first.click()
    assert "Tin đồn: ngày mai cắt nước" in page.content()
    page.locator("#chart-curve.drawn canvas").first.wait_for()
    page.locator(".group").first.get_by_role("button", name="Cần xác minh").click()
    page.get_by_label("Kết luận").select_option("false")
    page.get_by_label("Đường dẫn thông tin chính thức đã trả lời").fill(
        "https://nuocsachhanoi.example.vn/thong-bao"
    )
    page.get_by_role("button", name="Lưu kết luận").click()
    assert page.locator("#claim-status").inner_text() == "Sai"
    assert page.locator("#claim-mentions").is_visible()
