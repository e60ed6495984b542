import re

import pytest
from django.core import mail

from loa.materials import services
from loa.materials.models import Subscription
from loa.org.services import load_hanoi
from loa.plans.services import import_plan
from tests.browser.test_record_activity import COMMUNE
from tests.materials.test_library import OUTLINE

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_citizen_subscribes_confirms_from_the_mail_and_unsubscribes(
    live_server, browser, samples_dir, settings
):
    settings.LOA_BASE_URL = live_server.url
    load_hanoi()
    plan = import_plan(data=(samples_dir / COMMUNE).read_bytes(), filename=COMMUNE).document
    material = services.import_material(
        document=plan,
        office=plan.issuer,
        kind="outline",
        data=OUTLINE.encode(),
        filename="dc.txt",
        actor=None,
        audiences=["thanh_nien"],
    )
    services.publish(version=material.versions.get(), actor=None)

    phone = browser.new_context(locale="vi-VN", viewport={"width": 390, "height": 844}, is_mobile=True)
    page = phone.new_page()
    page.set_default_timeout(15000)
    page.goto(live_server.url + f"/tai-lieu/cong-khai/ke-hoach/{plan.pk}/")
    assert material.title in page.locator("#public-materials").inner_text()
    page.get_by_role("link", name="Đăng ký nhận tin qua thư điện tử").click()
    page.locator("#s-email").fill("thanh.nien@example.vn")
    page.get_by_label("Thanh niên").check()
    page.get_by_role("button", name="Đăng ký", exact=True).click()
    assert "Nếu địa chỉ hợp lệ" in page.content()
    assert len(mail.outbox) == 1
    confirm = re.search(r"http://\S+/xac-nhan/\S+/", mail.outbox[0].body).group(0)
    page.goto(confirm)
    assert Subscription.objects.get().confirmed_at is None  # opening the link changes nothing
    page.get_by_role("button", name="Xác nhận").click()
    assert page.locator("#sub-state").inner_text() == "Đang nhận tin."
    assert Subscription.objects.get().confirmed_at is not None
    page.get_by_role("button", name="Hủy đăng ký và xóa địa chỉ").click()
    assert "Đã hủy đăng ký" in page.locator("#sub-gone").inner_text()
    assert not Subscription.objects.exists()
    phone.close()
