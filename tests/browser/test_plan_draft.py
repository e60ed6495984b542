import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from loa.accounts.models import Role
from loa.accounts.services import grant_role
from loa.org.models import Unit
from loa.org.services import load_hanoi
from loa.plans.models import Document
from loa.reports.models import PlanDraft
from tests.browser.test_record_activity import login

pytestmark = pytest.mark.django_db(transaction=True)

CITY = "ke-hoach-ban-tuyen-giao-thanh-uy-ky-hop-thu-nhat.txt"


def test_the_commune_party_committee_drafts_its_plan_in_the_browser(live_server, page, samples_dir):
    load_hanoi()
    call_command("import_plan", str(samples_dir / CITY))
    city = Document.objects.get(issuer_name="Ban Tuyên giáo và Dân vận Thành ủy")
    clerk = get_user_model().objects.create_user("vanphong_dangu", password="mat-khau-dai-123")
    grant_role(user=clerk, unit=Unit.objects.get(name="Đảng ủy xã Hưng Đạo"), role=Role.OFFICE)
    login(page, live_server.url, "vanphong_dangu")
    page.goto(f"{live_server.url}/nhiem-vu/tien-do/ke-hoach/{city.pk}/")
    page.get_by_text("Báo cáo, kế hoạch thực hiện").click()
    page.locator("#draft-new button").click()
    page.wait_for_selector("#draft-form")
    page.locator("input[name=theme_keep_0]").uncheck()
    page.fill("textarea[name=purposes]", "Tuyên truyền kết quả kỳ họp đến mọi người dân trong xã.")
    page.fill("input[name=task_unit_0]", "Văn phòng Đảng ủy xã Hưng Đạo")
    page.locator("#draft-form button[type=submit]").click()
    page.wait_for_selector("text=Đã lưu dự thảo.")
    draft = PlanDraft.objects.get()
    assert not draft.themes[0]["keep"] and draft.purposes.startswith("Tuyên truyền kết quả")
    assert draft.tasks[0]["unit"] == "Văn phòng Đảng ủy xã Hưng Đạo"
