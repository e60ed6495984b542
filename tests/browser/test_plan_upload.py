import pytest
from django.contrib.auth import get_user_model

from loa.accounts.models import Role
from loa.accounts.services import grant_role
from loa.org.models import Unit
from loa.org.services import load_hanoi

pytestmark = pytest.mark.django_db(transaction=True)

COMMUNE = "ke-hoach-ubnd-xa-hung-dao-nghi-quyet-02.txt"


def test_an_officer_uploads_a_plan_and_sees_its_assignment_table(live_server, page, samples_dir):
    load_hanoi()
    user = get_user_model().objects.create_user("canbo", password="mat-khau-dai-123")
    board = Unit.objects.get(name="Ban Tuyên giáo và Dân vận Thành ủy Hà Nội")
    grant_role(user=user, unit=board, role=Role.OFFICE)
    page.goto(live_server.url + "/accounts/login/?next=/ke-hoach/nhap/")
    page.fill("input[name=username]", "canbo")
    page.fill("input[name=password]", "mat-khau-dai-123")
    page.click("button[type=submit]")
    page.wait_for_url("**/ke-hoach/nhap/")
    page.set_input_files("input[type=file]", str(samples_dir / COMMUNE))
    page.click("#upload-form button[type=submit]")
    page.wait_for_url("**/ke-hoach/nhap/*/")
    page.wait_for_selector("#job-link a", timeout=30000)
    assert page.locator("#job-progress").get_attribute("value") == "100"
    assert "ngắt trang" in page.locator("#job-warnings").inner_text()
    page.click("#job-link a")
    page.wait_for_selector("#assignments")
    table = page.locator("#assignments").inner_text()
    assert "Trung tâm dịch vụ tổng hpt xã".replace("hpt", "hợp") in table
    assert "10 tin, bài/tháng" in table
    assert "Trưởng các thôn" in table
    assert "chưa nhập" in page.locator("#parents").inner_text()
    page.screenshot(path=str(samples_dir.parents[2] / "var" / "plan-page.png"), full_page=False)
