import pytest
from axe_playwright_python.sync_playwright import Axe
from django.contrib.auth import get_user_model

from loa.accounts.models import Role
from loa.accounts.services import grant_role
from loa.org.services import load_hanoi
from loa.plans.services import import_plan
from tests.browser.test_record_activity import COMMUNE, login

pytestmark = pytest.mark.django_db(transaction=True)


def _accessible(page):
    """axe-core (shipped inside axe-playwright-python, MPL-2.0): no serious or critical violation.
    ``page`` has JavaScript on (axe runs in the page); the citizen's own pages have it off."""
    results = Axe().run(page)
    bad = [v for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
    assert not bad, [(v["id"], v["help"], [n["target"] for n in v["nodes"]][:3]) for v in bad]


def test_a_citizen_asks_on_a_phone_the_unit_answers_citing_the_plan_and_the_citizen_reads_it(
    live_server, browser, samples_dir
):
    load_hanoi()
    plan = import_plan(data=(samples_dir / COMMUNE).read_bytes(), filename=COMMUNE).document
    users = get_user_model().objects
    grant_role(
        user=users.create_user("canbo_vp", password="mat-khau-dai-123"), unit=plan.issuer, role=Role.OFFICER
    )
    grant_role(
        user=users.create_user("lanhdao_xa", password="mat-khau-dai-123"), unit=plan.issuer, role=Role.OFFICE
    )

    # The citizen: a phone, no account, no JavaScript.
    phone = browser.new_context(
        locale="vi-VN",
        viewport={"width": 390, "height": 844},
        is_mobile=True,
        has_touch=True,
        java_script_enabled=False,
    )
    citizen = phone.new_page()
    citizen.set_default_timeout(15000)
    checker = browser.new_context(
        locale="vi-VN", viewport={"width": 390, "height": 844}, is_mobile=True
    ).new_page()
    checker.set_default_timeout(15000)
    for path in ["/y-kien/", f"/y-kien/ke-hoach/{plan.pk}/", "/y-kien/tra-cuu/"]:
        checker.goto(live_server.url + path)
        _accessible(checker)
    citizen.goto(live_server.url + "/y-kien/")
    citizen.locator("#plans a").first.click()
    citizen.get_by_label("Câu hỏi", exact=True).check()
    citizen.get_by_label("Nội dung", exact=True).fill(
        "Xin hỏi xã sẽ tuyên truyền Nghị quyết 02 trên hệ thống truyền thanh của thôn thế nào, bao nhiêu tin mỗi tháng?"
    )
    citizen.get_by_label("Số điện thoại").fill("0912 345 678")
    citizen.get_by_role("button", name="Gửi").click()
    assert "đồng ý" in citizen.locator("#form-errors").inner_text()  # contact data needs consent
    citizen.get_by_label("Tôi đồng ý").check()
    citizen.get_by_role("button", name="Gửi").click()
    code = citizen.locator("#receipt-code").inner_text().strip()
    assert len(code) == 19 and code not in citizen.url

    # The unit's officer drafts the answer, citing a passage Loa proposes from the plan.
    office_ctx = browser.new_context(locale="vi-VN", viewport={"width": 1280, "height": 900})
    officer = office_ctx.new_page()
    officer.set_default_timeout(30000)
    login(officer, live_server.url, "canbo_vp")
    officer.get_by_role("link", name="Ý kiến người dân").click()
    officer.locator("#feedback-inbox a").first.click()
    officer.get_by_role("button", name="Tiếp nhận").click()
    officer.get_by_label("Nội dung trả lời").fill(
        "Trung tâm dịch vụ tổng hợp xã đăng tải tối thiểu 10 tin, bài mỗi tháng và phát trên hệ thống truyền thanh của thôn."
    )
    suggestion = officer.locator("ul.suggestions input[name=cite]").first
    suggestion.check()
    officer.get_by_role("button", name="Trình duyệt").click()
    assert "Chờ duyệt" in officer.locator("#answer").inner_text()
    office_ctx.clear_cookies()

    # The approver publishes it, to the person and to the FAQ.
    login(officer, live_server.url, "lanhdao_xa")
    officer.get_by_role("link", name="Ý kiến người dân").click()
    officer.locator("#feedback-inbox a").first.click()
    officer.get_by_label("Đưa vào hỏi–đáp công khai").check()
    officer.get_by_role("button", name="Duyệt và công bố").click()
    assert "Đã công bố" in officer.locator("#answer").inner_text()

    # The citizen reads the answer with the receipt code.
    citizen.goto(live_server.url + "/y-kien/tra-cuu/")
    citizen.get_by_label("Mã tra cứu").fill(code)
    citizen.get_by_role("button", name="Tra cứu").click()
    assert citizen.locator("#status").inner_text() == "Đã trả lời"
    answer = citizen.locator("#answer").inner_text()
    assert "10 tin, bài mỗi tháng" in answer and "Căn cứ" in answer
    var = samples_dir.parents[2] / "var"
    citizen.screenshot(path=str(var / "feedback-status-phone.png"), full_page=True)
    officer.goto(live_server.url + "/y-kien/xu-ly/")
    officer.screenshot(path=str(var / "feedback-inbox.png"), full_page=True)
    checker.goto(live_server.url + "/y-kien/tra-cuu/")
    checker.get_by_label("Mã tra cứu").fill(code)
    checker.get_by_role("button", name="Tra cứu").click()
    _accessible(checker)  # the status page with the answer
    citizen.goto(live_server.url + f"/y-kien/ke-hoach/{plan.pk}/hoi-dap/?q=truyen+thanh")
    assert "10 tin, bài mỗi tháng" in citizen.content()
    phone.close()
    office_ctx.close()
