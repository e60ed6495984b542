"""The periodic report counts citizens' submissions: received, answered on time, medians, by kind;
text from citizens never reaches the report, and a hostile text cannot become a formula or markup."""

import datetime as dt
import io
import zoneinfo

import docx

from loa.feedback import services
from loa.org.models import Unit
from loa.reports.builder import build_report
from loa.reports.render import report_docx
from loa.reports.selectors import letterhead_for

HCM = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")


def test_the_report_has_a_feedback_section_by_kind(world, django_capture_on_commit_callbacks):
    plan = world["plan"]
    june = dt.datetime(2026, 6, 8, 9, 0, tzinfo=HCM)  # a Monday
    with django_capture_on_commit_callbacks(execute=True):
        q, _ = services.submit(
            kind="question",
            text='=HYPERLINK("http://x") Xin hỏi lịch tiếp dân tháng 6?',
            document=plan,
            now=june,
        )
        services.submit(
            kind="petition",
            text="<b>Kiến nghị</b> sửa loa truyền thanh của thôn Đông.",
            document=plan,
            now=june,
        )
    q.refresh_from_db()
    services.acknowledge(submission=q, actor=world["office_a"], now=june + dt.timedelta(hours=2))
    answer = services.save_answer(
        submission=q,
        text="Lịch tiếp dân đăng trên cổng thông tin của xã.",
        citations=[{"document": "Kế hoạch xã"}],
        actor=world["office_a"],
        send_for_approval=True,
    )
    services.publish(answer=answer, actor=world["office_a"], now=june + dt.timedelta(days=3))
    data = build_report(plan, Unit.objects.all(), dt.date(2026, 6, 1), dt.date(2026, 6, 30))
    totals, by_kind = data.feedback
    assert (totals.received, totals.answered, totals.answered_on_time) == (2, 1, 1)
    assert totals.median_ack_hours == 2.0 and totals.median_answer_days == 3.0
    assert {k: f.received for k, _l, f in by_kind} == {"question": 1, "petition": 1}
    document = docx.Document(io.BytesIO(report_docx(data, letterhead_for(plan))))
    texts = "\n".join(p.text for p in document.paragraphs)
    assert "Tiếp nhận, trả lời ý kiến của Nhân dân" in texts and "tiếp nhận 2 câu hỏi" in texts
    # the optional sections are numbered in turn: with no audiences or highlights in June it is 6
    numbered = 5 + bool(data.audiences) + bool(data.highlights) + 1
    assert f"{numbered}. Tiếp nhận, trả lời ý kiến của Nhân dân" in texts
    table = next(t for t in document.tables if t.rows[0].cells[0].text == "Loại")
    assert [c.text for c in table.rows[1].cells][:4] == ["Câu hỏi", "1", "1", "1"]
    everything = texts + "".join(c.text for t in document.tables for r in t.rows for c in r.cells)
    assert "HYPERLINK" not in everything and "<b>" not in everything
    assert build_report(plan, Unit.objects.all(), dt.date(2026, 7, 1), dt.date(2026, 7, 31)).feedback is None
