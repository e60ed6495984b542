"""Reporting rounds: an office asks the units below it to report on a plan for a period."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

TEXT_LIMIT = 10_000


class RoundLevel(models.TextChoices):
    UNITS = "units", _("Mỗi đơn vị được giao nhiệm vụ nộp một phần")
    AREAS = "areas", _("Mỗi địa bàn cấp dưới (xã, phường) nộp một báo cáo")


class ReportRound(models.Model):
    """One reporting round ("đợt báo cáo") of a plan for a period, opened by an office unit.

    ``level`` says who writes: every assigned unit, or one compiling office per area directly
    below the office's area (commune → city), whose section covers every unit of its area."""

    document = models.ForeignKey(
        "plans.Document", verbose_name=_("kế hoạch"), on_delete=models.CASCADE, related_name="report_rounds"
    )
    office = models.ForeignKey(
        "org.Unit", verbose_name=_("đơn vị tổng hợp"), on_delete=models.PROTECT, related_name="report_rounds"
    )
    start = models.DateField(_("từ ngày"))
    end = models.DateField(_("đến ngày"))
    due = models.DateField(_("hạn nộp"))
    level = models.CharField(_("ai nộp"), max_length=10, choices=RoundLevel.choices, default=RoundLevel.UNITS)
    closed_at = models.DateTimeField(_("đóng lúc"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người mở"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("thời điểm mở"), auto_now_add=True)

    class Meta:
        verbose_name = _("đợt báo cáo")
        verbose_name_plural = _("đợt báo cáo")
        ordering = ["-end", "-id"]

    def __str__(self) -> str:
        return f"{self.document} {self.start:%d/%m/%Y}–{self.end:%d/%m/%Y}"


class ReportSection(models.Model):
    """A unit's part of a round: its figures come from its activities; the words from its people."""

    round = models.ForeignKey(
        ReportRound, verbose_name=_("đợt báo cáo"), on_delete=models.CASCADE, related_name="sections"
    )
    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="report_sections"
    )
    area = models.ForeignKey(
        "org.Area",
        verbose_name=_("địa bàn"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Khi có: phần báo cáo của cả địa bàn, do đơn vị tổng hợp của địa bàn viết."),
    )
    assessment = models.TextField(_("đánh giá kết quả"), blank=True, max_length=TEXT_LIMIT)
    difficulties = models.TextField(_("khó khăn, vướng mắc"), blank=True, max_length=TEXT_LIMIT)
    proposals = models.TextField(_("đề xuất, kiến nghị"), blank=True, max_length=TEXT_LIMIT)
    submitted_at = models.DateTimeField(_("nộp lúc"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người nộp"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("cập nhật"), auto_now=True)

    class Meta:
        verbose_name = _("phần báo cáo của đơn vị")
        verbose_name_plural = _("phần báo cáo của đơn vị")
        ordering = ["round", "unit__name"]
        constraints = [models.UniqueConstraint(fields=["round", "unit"], name="reports_section_unique")]
        indexes = [models.Index(fields=["round", "submitted_at"])]

    def __str__(self) -> str:
        return f"{self.unit} — {self.round}"


class PlanDraft(models.Model):
    """A draft implementing plan ("kế hoạch thực hiện") a unit writes from the plan above it. The
    content is edited in the browser as JSON parts; issuing it renders the DOCX and imports it as
    the child plan, linked to its parent."""

    parent = models.ForeignKey(
        "plans.Document", verbose_name=_("kế hoạch cấp trên"), on_delete=models.CASCADE, related_name="drafts"
    )
    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("đơn vị ban hành"), on_delete=models.PROTECT, related_name="+"
    )
    title = models.TextField(_("trích yếu"))
    basis = models.TextField(_("căn cứ"), blank=True)
    purposes = models.TextField(_("mục đích, yêu cầu"), blank=True)
    themes = models.JSONField(_("nội dung tuyên truyền"), default=list, blank=True)
    channels = models.JSONField(_("hình thức tuyên truyền"), default=list, blank=True)
    tasks = models.JSONField(_("tổ chức thực hiện"), default=list, blank=True)
    issued = models.ForeignKey(
        "plans.Document",
        verbose_name=_("kế hoạch đã ban hành"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người soạn"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("ngày tạo"), auto_now_add=True)
    updated_at = models.DateTimeField(_("cập nhật"), auto_now=True)

    class Meta:
        verbose_name = _("dự thảo kế hoạch thực hiện")
        verbose_name_plural = _("dự thảo kế hoạch thực hiện")
        ordering = ["-updated_at"]

    def __str__(self) -> str:
        return f"{self.unit}: {self.title[:80]}"


class ReportFile(models.Model):
    """A report file made in the background: the XLSX annex of every activity counted, or the PDF
    of the report. The page reads its progress."""

    class Kind(models.TextChoices):
        ANNEX = "xlsx", _("Phụ lục hoạt động (Excel)")
        PDF = "pdf", _("Báo cáo (PDF)")

    class Status(models.TextChoices):
        PENDING = "pending", _("đang chờ")
        RUNNING = "running", _("đang xử lý")
        DONE = "done", _("hoàn thành")
        FAILED = "failed", _("thất bại")

    kind = models.CharField(_("loại tệp"), max_length=10, choices=Kind.choices)
    document = models.ForeignKey(
        "plans.Document", verbose_name=_("kế hoạch"), on_delete=models.CASCADE, related_name="+"
    )
    round = models.ForeignKey(
        ReportRound,
        verbose_name=_("đợt báo cáo"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="files",
    )
    area_code = models.CharField(_("địa bàn"), max_length=20, blank=True)
    start = models.DateField(_("từ ngày"))
    end = models.DateField(_("đến ngày"))
    status = models.CharField(_("trạng thái"), max_length=20, choices=Status.choices, default=Status.PENDING)
    progress = models.PositiveSmallIntegerField(_("tiến độ (%)"), default=0)
    stage = models.CharField(_("bước"), max_length=200, blank=True)
    message = models.TextField(_("thông báo"), blank=True)
    rows = models.PositiveIntegerField(_("số dòng"), default=0)
    seconds = models.FloatField(_("thời gian (giây)"), default=0)
    file = models.FileField(_("tệp"), upload_to="reports/%Y/%m/", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người yêu cầu"), on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(_("thời điểm"), auto_now_add=True)

    class Meta:
        verbose_name = _("tệp báo cáo")
        verbose_name_plural = _("tệp báo cáo")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.document_id} {self.start:%d/%m/%Y}–{self.end:%d/%m/%Y}"
