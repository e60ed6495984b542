import pytest
from django.contrib.auth import get_user_model

pytestmark = pytest.mark.django_db(transaction=True)


def test_it_logs_in_and_sees_vietnamese_home(live_server, page):
    get_user_model().objects.create_user("canbo", password="mat-khau-dai-123")
    page.goto(live_server.url + "/accounts/login/")
    assert page.locator("html").get_attribute("lang") == "vi"
    page.fill("input[name=username]", "canbo")
    page.fill("input[name=password]", "mat-khau-dai-123")
    page.click("button[type=submit]")
    page.wait_for_url(live_server.url + "/")
    assert page.locator("header .who").inner_text().startswith("canbo")
    assert "điều hành công tác thông tin" in page.locator("h1").inner_text()
