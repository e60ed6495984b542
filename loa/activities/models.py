"""What units actually published or held, and which activity forms count for which quota unit."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from loa.plans.models import ChannelKind


class ActivityForm(models.TextChoices):
    NEWS = "tin", _("Tin")
    ARTICLE = "bai", _("Bài viết")
    VIDEO = "video", _("Video, clip")
    INFOGRAPHIC = "infographic", _("Infographic")
    REPORTAGE = "phong_su", _("Phóng sự")
    BROADCAST = "buoi_phat_thanh", _("Buổi phát thanh")
    POSTER = "pano", _("Pano, áp phích, băng rôn")
    MEETING = "hoi_nghi", _("Hội nghị, buổi sinh hoạt")
    TALK = "toa_dam", _("Hội thảo, tọa đàm")
    CLASS = "lop_hoc", _("Lớp học, tập huấn")
    CONTEST = "cuoc_thi", _("Cuộc thi")
    DIALOGUE = "doi_thoai", _("Buổi đối thoại")
    LEAFLET = "to_roi", _("Tờ rơi, tài liệu")
    OTHER = "khac", _("Khác")


class Audience(models.TextChoices):
    PARTY = "can_bo_dang_vien", _("Cán bộ, đảng viên")
    YOUTH = "thanh_nien", _("Thanh niên")
    PUPILS = "hoc_sinh", _("Học sinh, sinh viên")
    BUSINESS = "doanh_nghiep", _("Doanh nghiệp")
    ELDERLY = "nguoi_cao_tuoi", _("Người cao tuổi")
    FARMERS = "nong_dan", _("Nông dân")
    WOMEN = "phu_nu", _("Phụ nữ")
    EVERYONE = "toan_dan", _("Toàn dân")


class Activity(models.Model):
    """One output or event of a unit: an article, a broadcast, a meeting held."""

    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="activities"
    )
    date = models.DateField(_("ngày"), db_index=True)
    channel = models.CharField(_("kênh"), max_length=20, choices=ChannelKind.choices)
    form = models.CharField(_("hình thức"), max_length=30, choices=ActivityForm.choices)
    quantity = models.PositiveIntegerField(_("số lượng"), default=1)
    title = models.CharField(_("tiêu đề"), max_length=500)
    link = models.URLField(_("đường dẫn"), max_length=1000, blank=True)
    summary = models.TextField(_("tóm tắt"), blank=True)
    themes = models.ManyToManyField(
        "plans.Theme", verbose_name=_("chủ đề"), blank=True, related_name="activities"
    )
    tasks = models.ManyToManyField(
        "plans.Task", verbose_name=_("tính cho nhiệm vụ"), blank=True, related_name="activities"
    )
    audiences = models.JSONField(_("đối tượng"), default=list, blank=True)
    views = models.PositiveIntegerField(_("lượt xem"), null=True, blank=True)
    shares = models.PositiveIntegerField(_("lượt chia sẻ"), null=True, blank=True)
    participants = models.PositiveIntegerField(_("người tham dự"), null=True, blank=True)
    copies = models.PositiveIntegerField(_("số bản"), null=True, blank=True)
    attachment = models.FileField(_("tệp đính kèm"), upload_to="activities/%Y/%m/", blank=True)
    external_id = models.CharField(_("mã bên ngoài"), max_length=200, blank=True)
    is_sample = models.BooleanField(_("dữ liệu mẫu"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người nhập"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("thời điểm nhập"), auto_now_add=True)

    class Meta:
        verbose_name = _("hoạt động")
        verbose_name_plural = _("hoạt động")
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["unit", "date"])]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "external_id"],
                condition=~models.Q(external_id=""),
                name="activities_unique_external_id",
            )
        ]

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} {self.unit}: {self.title[:80]}"

    @property
    def reach(self) -> int:
        return sum(x or 0 for x in (self.views, self.shares, self.participants, self.copies))


class QuotaForm(models.Model):
    """Which activity forms count for a quota's unit as written in plans ("tin, bài" counts tin, bài,
    video, infographic...). Editable in the admin, not code."""

    quota_unit = models.CharField(_("đơn vị tính của chỉ tiêu"), max_length=60, db_index=True)
    form = models.CharField(_("hình thức được tính"), max_length=30, choices=ActivityForm.choices)

    class Meta:
        verbose_name = _("hình thức tính chỉ tiêu")
        verbose_name_plural = _("hình thức tính chỉ tiêu")
        constraints = [
            models.UniqueConstraint(fields=["quota_unit", "form"], name="activities_quotaform_unique")
        ]

    def __str__(self) -> str:
        return f"{self.quota_unit} ← {self.get_form_display()}"


class BulkImportJob(models.Model):
    """A CSV/XLSX file of activities being imported in the background; the page reads its progress."""

    class Status(models.TextChoices):
        PENDING = "pending", _("đang chờ")
        RUNNING = "running", _("đang xử lý")
        DONE = "done", _("hoàn thành")
        FAILED = "failed", _("thất bại")

    file = models.FileField(_("tệp"), upload_to="activity-imports/%Y/%m/")
    filename = models.CharField(_("tên tệp"), max_length=255)
    status = models.CharField(_("trạng thái"), max_length=20, choices=Status.choices, default=Status.PENDING)
    progress = models.PositiveSmallIntegerField(_("tiến độ (%)"), default=0)
    stage = models.CharField(_("bước"), max_length=200, blank=True)
    message = models.TextField(_("thông báo"), blank=True)
    created = models.PositiveIntegerField(_("tạo mới"), default=0)
    updated = models.PositiveIntegerField(_("cập nhật"), default=0)
    unchanged = models.PositiveIntegerField(_("không đổi"), default=0)
    errors = models.JSONField(_("dòng lỗi"), default=list, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người nhập"), on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(_("thời điểm"), auto_now_add=True)

    class Meta:
        verbose_name = _("lượt nhập hoạt động")
        verbose_name_plural = _("lượt nhập hoạt động")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.filename} ({self.get_status_display()})"


# ---------------------------------------------------------------------------------------------
# Tallies: what the dashboards read. Kept by ``loa.activities.tallies`` on every activity write
# (recomputed per plan and unit, so they heal themselves), rebuilt by ``loa rebuild-tallies``.
# ---------------------------------------------------------------------------------------------


class PlanTally(models.Model):
    """The activities one unit carried out for one plan, per calendar month and channel."""

    document = models.ForeignKey(
        "plans.Document", verbose_name=_("kế hoạch"), on_delete=models.CASCADE, related_name="+"
    )
    unit = models.ForeignKey("org.Unit", verbose_name=_("đơn vị"), on_delete=models.CASCADE, related_name="+")
    month = models.DateField(_("tháng"))
    channel = models.CharField(_("kênh"), max_length=20, choices=ChannelKind.choices)
    activities = models.PositiveIntegerField(_("số hoạt động"), default=0)
    quantity = models.PositiveBigIntegerField(_("số lượng"), default=0)
    reach = models.PositiveBigIntegerField(_("lượt tiếp cận"), default=0)

    class Meta:
        verbose_name = _("tổng hợp hoạt động theo kế hoạch")
        verbose_name_plural = _("tổng hợp hoạt động theo kế hoạch")
        constraints = [
            models.UniqueConstraint(
                fields=["document", "unit", "month", "channel"], name="activities_plantally_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.document_id}/{self.unit_id} {self.month:%m/%Y} {self.channel}: {self.quantity}"


class PlanMonthTally(models.Model):
    """:class:`PlanTally` summed over channels: one row per plan, unit and month (the heat map)."""

    document = models.ForeignKey(
        "plans.Document", verbose_name=_("kế hoạch"), on_delete=models.CASCADE, related_name="+"
    )
    unit = models.ForeignKey("org.Unit", verbose_name=_("đơn vị"), on_delete=models.CASCADE, related_name="+")
    month = models.DateField(_("tháng"))
    activities = models.PositiveIntegerField(_("số hoạt động"), default=0)
    quantity = models.PositiveBigIntegerField(_("số lượng"), default=0)
    reach = models.PositiveBigIntegerField(_("lượt tiếp cận"), default=0)

    class Meta:
        verbose_name = _("tổng hợp hoạt động theo tháng")
        verbose_name_plural = _("tổng hợp hoạt động theo tháng")
        constraints = [
            models.UniqueConstraint(
                fields=["document", "unit", "month"], name="activities_planmonthtally_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.document_id}/{self.unit_id} {self.month:%m/%Y}: {self.quantity}"


class PlanChannelTally(models.Model):
    """:class:`PlanTally` summed over months: one row per plan, unit and channel (channel mix, reach)."""

    document = models.ForeignKey(
        "plans.Document", verbose_name=_("kế hoạch"), on_delete=models.CASCADE, related_name="+"
    )
    unit = models.ForeignKey("org.Unit", verbose_name=_("đơn vị"), on_delete=models.CASCADE, related_name="+")
    channel = models.CharField(_("kênh"), max_length=20, choices=ChannelKind.choices)
    activities = models.PositiveIntegerField(_("số hoạt động"), default=0)
    quantity = models.PositiveBigIntegerField(_("số lượng"), default=0)
    reach = models.PositiveBigIntegerField(_("lượt tiếp cận"), default=0)

    class Meta:
        verbose_name = _("tổng hợp hoạt động theo kênh")
        verbose_name_plural = _("tổng hợp hoạt động theo kênh")
        constraints = [
            models.UniqueConstraint(
                fields=["document", "unit", "channel"], name="activities_planchanneltally_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.document_id}/{self.unit_id} {self.channel}: {self.quantity}"


class TaskTally(models.Model):
    """The activities one unit recorded for one task, all dates."""

    task = models.ForeignKey(
        "plans.Task", verbose_name=_("nhiệm vụ"), on_delete=models.CASCADE, related_name="+"
    )
    unit = models.ForeignKey("org.Unit", verbose_name=_("đơn vị"), on_delete=models.CASCADE, related_name="+")
    activities = models.PositiveIntegerField(_("số hoạt động"), default=0)
    quantity = models.PositiveBigIntegerField(_("số lượng"), default=0)

    class Meta:
        verbose_name = _("tổng hợp hoạt động theo nhiệm vụ")
        verbose_name_plural = _("tổng hợp hoạt động theo nhiệm vụ")
        constraints = [models.UniqueConstraint(fields=["task", "unit"], name="activities_tasktally_unique")]

    def __str__(self) -> str:
        return f"{self.task_id}/{self.unit_id}: {self.quantity}"


class AudienceTally(models.Model):
    """The activities of one plan by one unit that addressed one audience group, and their reach."""

    document = models.ForeignKey(
        "plans.Document", verbose_name=_("kế hoạch"), on_delete=models.CASCADE, related_name="+"
    )
    unit = models.ForeignKey("org.Unit", verbose_name=_("đơn vị"), on_delete=models.CASCADE, related_name="+")
    audience = models.CharField(_("nhóm đối tượng"), max_length=30)
    activities = models.PositiveIntegerField(_("số hoạt động"), default=0)
    reach = models.PositiveBigIntegerField(_("lượt tiếp cận"), default=0)

    class Meta:
        verbose_name = _("tổng hợp hoạt động theo nhóm đối tượng")
        verbose_name_plural = _("tổng hợp hoạt động theo nhóm đối tượng")
        constraints = [
            models.UniqueConstraint(
                fields=["document", "unit", "audience"], name="activities_audiencetally_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.document_id}/{self.unit_id} {self.audience}: {self.activities}"


class ThemeTally(models.Model):
    """The activities of one unit tagged with one theme of a plan."""

    theme = models.ForeignKey(
        "plans.Theme", verbose_name=_("chủ đề"), on_delete=models.CASCADE, related_name="+"
    )
    unit = models.ForeignKey("org.Unit", verbose_name=_("đơn vị"), on_delete=models.CASCADE, related_name="+")
    activities = models.PositiveIntegerField(_("số hoạt động"), default=0)

    class Meta:
        verbose_name = _("tổng hợp hoạt động theo chủ đề")
        verbose_name_plural = _("tổng hợp hoạt động theo chủ đề")
        constraints = [models.UniqueConstraint(fields=["theme", "unit"], name="activities_themetally_unique")]

    def __str__(self) -> str:
        return f"{self.theme_id}/{self.unit_id}: {self.activities}"


class AudienceMonthTally(models.Model):
    """:class:`AudienceTally` per calendar month (reports over whole months read it)."""

    document = models.ForeignKey(
        "plans.Document", verbose_name=_("kế hoạch"), on_delete=models.CASCADE, related_name="+"
    )
    unit = models.ForeignKey("org.Unit", verbose_name=_("đơn vị"), on_delete=models.CASCADE, related_name="+")
    month = models.DateField(_("tháng"))
    audience = models.CharField(_("nhóm đối tượng"), max_length=30)
    activities = models.PositiveIntegerField(_("số hoạt động"), default=0)
    reach = models.PositiveBigIntegerField(_("lượt tiếp cận"), default=0)

    class Meta:
        verbose_name = _("tổng hợp hoạt động theo nhóm đối tượng và tháng")
        verbose_name_plural = _("tổng hợp hoạt động theo nhóm đối tượng và tháng")
        constraints = [
            models.UniqueConstraint(
                fields=["document", "unit", "month", "audience"], name="activities_audiencemonthtally_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.document_id}/{self.unit_id} {self.month:%m/%Y} {self.audience}: {self.activities}"


class ThemeMonthTally(models.Model):
    """:class:`ThemeTally` per calendar month (reports over whole months read it)."""

    theme = models.ForeignKey(
        "plans.Theme", verbose_name=_("chủ đề"), on_delete=models.CASCADE, related_name="+"
    )
    unit = models.ForeignKey("org.Unit", verbose_name=_("đơn vị"), on_delete=models.CASCADE, related_name="+")
    month = models.DateField(_("tháng"))
    activities = models.PositiveIntegerField(_("số hoạt động"), default=0)

    class Meta:
        verbose_name = _("tổng hợp hoạt động theo chủ đề và tháng")
        verbose_name_plural = _("tổng hợp hoạt động theo chủ đề và tháng")
        constraints = [
            models.UniqueConstraint(
                fields=["theme", "unit", "month"], name="activities_thememonthtally_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.theme_id}/{self.unit_id} {self.month:%m/%Y}: {self.activities}"
