"""ReportData → an official "Báo cáo" (docgen.OfficialDocument) → DOCX.

The text is the office's usual report: the basis paragraph, I. results (overall, by channel, by
unit or area, quotas, themes, audiences, highlights), II. assessment drawn from the figures, III.
the tasks still ahead. It is a draft ("DỰ THẢO", no number): the office adds what only people
know and issues it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from loa.docgen import (
    Bullet,
    Heading,
    Image,
    OfficialDocument,
    Paragraph,
    Signature,
    Table,
    bar_chart,
    render_docx,
)

from .builder import ReportData

_PLACE_PREFIX = re.compile(r"^(xã|phường|đặc khu|thị trấn|thành phố|tỉnh)\s+", re.IGNORECASE)


def number(value: float | int) -> str:
    """Vietnamese digit grouping: 12.000."""
    return f"{round(value):,}".replace(",", ".")


def percent(value: float | None) -> str:
    return "—" if value is None else f"{round(100 * value)}%"


def place_name(area_name: str) -> str:
    """ "Xã Hưng Đạo" → "Hưng Đạo", "Thành phố Hà Nội" → "Hà Nội"."""
    return _PLACE_PREFIX.sub("", area_name or "").strip()


def plan_label(document) -> str:
    if document.number:
        when = f" ngày {document.issued_on:%d/%m/%Y}".replace("/0", "/") if document.issued_on else ""
        by = f" của {document.issuer_name}" if document.issuer_name else ""
        return f"{document.kind or 'Kế hoạch'} số {document.number}{when}{by}"
    title = (document.title or "").strip().rstrip(".")
    title = title[0].lower() + title[1:] if title else ""
    by = f" của {document.issuer_name}" if document.issuer_name else ""
    return f"{document.kind or 'Kế hoạch'} {title}{by}".strip()


@dataclass
class Letterhead:
    issuer: str
    issuer_parent: str = ""
    place: str = ""
    signature: Signature = field(default_factory=Signature)
    recipients: list[str] = field(default_factory=list)


def _figures_table(lines, first: str, total_label: str | None = None) -> Table:
    rows = [
        [
            line.label,
            number(line.figures.activities),
            number(line.figures.quantity),
            number(line.figures.reach),
        ]
        for line in lines
    ]
    if total_label is not None:
        rows.append(
            [
                total_label,
                number(sum(line.figures.activities for line in lines)),
                number(sum(line.figures.quantity for line in lines)),
                number(sum(line.figures.reach for line in lines)),
            ]
        )
    return Table([first, "Hoạt động", "Số lượng", "Lượt tiếp cận"], rows, widths_cm=[7.5, 2.7, 2.7, 3.0])


CHART_BARS = 15  # bars per chart; the table above it lists everything


def _chart(lines, number_: int, what: str) -> Image | None:
    """Quantity per line (tin, bài, buổi, sản phẩm), the largest first, as a numbered figure."""
    some = [line for line in lines if line.figures.quantity]
    drawn = some[:CHART_BARS]
    if len(drawn) < 2:  # one bar says nothing the table above does not
        return None
    more = f" ({len(drawn)} {what} có số lượng lớn nhất)" if len(some) > len(drawn) else ""
    return Image(
        bar_chart([line.label for line in drawn], [line.figures.quantity for line in drawn]),
        width_cm=16.0,
        caption=f"Biểu đồ {number_}. Số lượng tin, bài, buổi, sản phẩm theo {what}{more}",
    )


def report_document(data: ReportData, head: Letterhead) -> OfficialDocument:
    period = data.period_label
    plan = plan_label(data.document)
    t = data.totals
    body: list = [
        Paragraph(
            f"Thực hiện {plan}, {head.issuer} báo cáo kết quả công tác thông tin, tuyên truyền {period}"
            + (f" trên địa bàn {data.scope_label}" if data.scope_label else "")
            + " như sau:"
        ),
        Heading("I. KẾT QUẢ THỰC HIỆN"),
        Heading("1. Kết quả chung", level=2),
        Paragraph(
            f"Trong kỳ, {number(data.units_active)}/{number(data.units_assigned)} đơn vị được giao nhiệm vụ đã "
            f"triển khai {number(t.activities)} hoạt động thông tin, tuyên truyền (tổng số lượng "
            f"{number(t.quantity)} tin, bài, buổi, sản phẩm), tiếp cận {number(t.reach)} lượt người xem, "
            f"chia sẻ, tham dự và phát hành."
            + (
                f" Tiến độ chung của kế hoạch đạt {percent(data.progress)}."
                if data.progress is not None
                else ""
            )
        ),
        Heading("2. Theo kênh, hình thức tuyên truyền", level=2),
    ]
    charts = 0
    if data.channels:
        body.append(_figures_table(data.channels, "Kênh", "Tổng cộng"))
        if chart := _chart(data.channels, charts + 1, "kênh"):
            body.append(chart)
            charts += 1
    else:
        body.append(Paragraph("Chưa ghi nhận hoạt động nào trong kỳ."))
    body.append(Heading("3. Theo địa bàn" if data.by_area else "3. Theo đơn vị", level=2))
    body.append(_figures_table(data.units, "Địa bàn" if data.by_area else "Đơn vị"))
    if chart := _chart(data.units, charts + 1, "địa bàn" if data.by_area else "đơn vị"):
        body.append(chart)
    body.append(Heading("4. Thực hiện chỉ tiêu", level=2))
    if data.quotas:
        body.append(
            Table(
                ["Nhiệm vụ", "Đơn vị", "Chỉ tiêu", "Đã thực hiện", "Đạt"],
                [
                    [q.task_label, q.unit, q.quota, number(q.done), "Đạt" if q.met else "Chưa đạt"]
                    for q in data.quotas
                ],
                widths_cm=[2.6, 5.0, 3.8, 2.4, 2.2],
            )
        )
    else:
        body.append(
            Paragraph("Kế hoạch không giao chỉ tiêu định lượng cho các đơn vị trong phạm vi báo cáo.")
        )
    body.append(Heading("5. Nội dung tuyên truyền", level=2))
    if data.themes:
        body.append(
            Table(
                ["Chủ đề", "Nội dung", "Hoạt động"],
                [[label, title, number(n)] for label, title, n in data.themes],
                widths_cm=[1.8, 11.6, 2.6],
            )
        )
        uncovered = [label for label, _title, n in data.themes if not n]
        if uncovered:
            body.append(Paragraph(f"Các chủ đề chưa có hoạt động trong kỳ: {', '.join(uncovered)}."))
    section = 5  # the optional sections below are numbered in turn: none is skipped in the count
    if data.audiences:
        section += 1
        body.append(Heading(f"{section}. Đối tượng được tuyên truyền", level=2))
        body.append(
            Table(
                ["Đối tượng", "Hoạt động", "Lượt tiếp cận"],
                [[a.label, number(a.figures.activities), number(a.figures.reach)] for a in data.audiences],
                widths_cm=[8.0, 3.5, 4.5],
            )
        )
    if data.highlights:
        section += 1
        body.append(Heading(f"{section}. Một số hoạt động tiêu biểu", level=2))
        for h in data.highlights:
            link = f" ({h.link})" if h.link else ""
            body.append(
                Bullet(
                    f"{h.unit}: {h.title}, ngày {h.date:%d/%m/%Y}{link}; {number(h.reach)} lượt tiếp cận.".replace(
                        "/0", "/"
                    )
                )
            )
    if data.feedback:
        totals, by_kind = data.feedback
        section += 1
        body.append(Heading(f"{section}. Tiếp nhận, trả lời ý kiến của Nhân dân", level=2))
        body.append(
            Paragraph(
                f"Trong kỳ tiếp nhận {number(totals.received)} câu hỏi, góp ý, hiến kế, kiến nghị; đã trả lời "
                f"{number(totals.answered)}, trong đó {number(totals.answered_on_time)} đúng hạn; "
                f"{number(totals.overdue)} ý kiến quá hạn chưa xử lý xong."
            )
        )

        def median(value, unit):
            return f"{value:.1f} {unit}".replace(".", ",") if value is not None else "—"

        body.append(
            Table(
                [
                    "Loại",
                    "Tiếp nhận",
                    "Đã trả lời",
                    "Đúng hạn",
                    "Thời gian tiếp nhận (trung vị)",
                    "Thời gian trả lời (trung vị)",
                ],
                [
                    [
                        label,
                        number(f.received),
                        number(f.answered),
                        number(f.answered_on_time),
                        median(f.median_ack_hours, "giờ làm việc"),
                        median(f.median_answer_days, "ngày làm việc"),
                    ]
                    for _k, label, f in by_kind
                ],
                widths_cm=[2.6, 2.2, 2.2, 2.2, 3.4, 3.4],
            )
        )
    body.append(Heading("II. ĐÁNH GIÁ CHUNG"))
    overdue = sum(task.overdue for task in data.tasks)
    body.append(
        Paragraph(
            f"Có {number(data.units_active)} trên {number(data.units_assigned)} đơn vị được giao nhiệm vụ đã có "
            f"hoạt động trong kỳ; {number(overdue)} lượt nhiệm vụ của các đơn vị đã quá hạn mà chưa hoàn thành."
        )
    )
    if data.idle_units:
        shown = data.idle_units[:20]
        more = len(data.idle_units) - len(shown)
        body.append(
            Paragraph(
                "Đơn vị chưa có hoạt động trong kỳ: "
                + ", ".join(shown)
                + (f" và {number(more)} đơn vị khác" if more else "")
                + "."
            )
        )
    said = [n for n in data.narratives if n.assessment]
    if said:
        body.append(Paragraph("Đánh giá của các đơn vị:"))
        body += [Bullet(f"{n.unit}: {n.assessment}") for n in said]
    hard = [n for n in data.narratives if n.difficulties]
    if hard:
        body.append(Heading("Khó khăn, vướng mắc", level=2))
        body += [Bullet(f"{n.unit}: {n.difficulties}") for n in hard]
    asks = [n for n in data.narratives if n.proposals]
    number_ahead = "III"
    if asks:
        body.append(Heading("III. ĐỀ XUẤT, KIẾN NGHỊ"))
        body += [Bullet(f"{n.unit}: {n.proposals}") for n in asks]
        number_ahead = "IV"
    body.append(Heading(f"{number_ahead}. NHIỆM VỤ THỜI GIAN TỚI"))
    ahead = [task for task in data.tasks if task.deadline is None or task.deadline > data.end]
    for task in ahead or data.tasks:
        when = f" (hạn {task.deadline:%d/%m/%Y})".replace("/0", "/") if task.deadline else ""
        body.append(Bullet(f"Tiếp tục: {task.text.rstrip('.;')}{when}."))
    return OfficialDocument(
        issuer=head.issuer,
        issuer_parent=head.issuer_parent,
        kind="BÁO CÁO",
        title=f"Kết quả công tác thông tin, tuyên truyền {period}",
        place=head.place,
        date=None,
        body=body,
        recipients=head.recipients,
        signature=head.signature,
        draft=True,
    )


def report_docx(data: ReportData, head: Letterhead, profile_id: str | None = None) -> bytes:
    return render_docx(report_document(data, head), profile_id)
