import pytest
from django.contrib.auth import get_user_model

from loa.accounts.models import Role
from loa.accounts.services import grant_role
from loa.org.models import Unit
from loa.org.services import load_hanoi
from loa.plans.models import TaskAssignment
from loa.plans.services import import_plan

pytestmark = pytest.mark.django_db(transaction=True)

COMMUNE = "ke-hoach-ubnd-xa-hung-dao-nghi-quyet-02.txt"


def login(page, base, username):
    page.goto(base + "/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "mat-khau-dai-123")
    page.click("button[type=submit]")
    page.wait_for_url(base + "/")


def test_a_commune_officer_records_an_activity_on_a_phone_and_the_quota_bar_moves(
    live_server, browser, samples_dir
):
    load_hanoi()
    plan = import_plan(data=(samples_dir / COMMUNE).read_bytes(), filename=COMMUNE).document
    assignment = TaskAssignment.objects.select_related("unit").get(
        task__document=plan, task__assignment_label="3"
    )
    users = get_user_model().objects
    officer = users.create_user("canbo_xa", password="mat-khau-dai-123")
    grant_role(user=officer, unit=assignment.unit, role=Role.OFFICER)

    phone = browser.new_context(
        locale="vi-VN", viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    page = phone.new_page()
    page.set_default_timeout(15000)
    login(page, live_server.url, "canbo_xa")
    page.goto(live_server.url + "/nhiem-vu/")
    card = page.locator(f"#assignment-{assignment.pk}")
    assert card.locator(".kpi-done").inner_text() == "0"
    card.get_by_text("Ghi nhận hoạt động").click()
    page.fill("input[name=title]", "Bài viết về phát triển toàn diện văn hóa, con người Thủ đô")
    page.select_option("select[name=form]", "bai")
    page.fill("input[name=quantity]", "3")
    # The theme that shares words with the title is ticked by the suggestion.
    page.wait_for_function("document.querySelector('input[name=themes][data-suggested]') !== null")
    page.click("#activity-form button[type=submit]")
    page.wait_for_url(live_server.url + "/nhiem-vu/")
    card = page.locator(f"#assignment-{assignment.pk}")
    assert card.locator(".kpi-done").inner_text() == "3"
    assert card.locator("progress").get_attribute("value") == "30"
    assert "đang thực hiện" in card.inner_text()
    page.screenshot(path=str(samples_dir.parents[2] / "var" / "phone-tasks.png"))
    phone.close()

    # The commune office sees it on the plan's dashboard, on a desktop, without asking anyone.
    office = users.create_user("vanphong_xa", password="mat-khau-dai-123")
    grant_role(
        user=office, unit=Unit.objects.get(area=plan.area, unit_type="peoples_committee"), role=Role.OFFICE
    )
    desk = browser.new_context(locale="vi-VN", viewport={"width": 1280, "height": 900})
    page = desk.new_page()
    page.set_default_timeout(15000)
    login(page, live_server.url, "vanphong_xa")
    page.goto(f"{live_server.url}/nhiem-vu/tien-do/ke-hoach/{plan.pk}/")
    row = page.locator("#units tr", has_text=assignment.unit.name)
    assert "30%" in row.inner_text()  # 3 of 10 tin, bài this month
    cell = page.locator("#heat-map tr", has_text=assignment.unit.name).locator("a").last
    assert cell.inner_text() == "3"
    cell.click()  # every figure links to the activities behind it
    assert "phát triển toàn diện văn hóa" in page.locator("#activity-list").inner_text()
    desk.close()
