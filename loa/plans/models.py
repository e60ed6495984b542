"""Documents Loa knows (imported or only cited), their versions, and the structure read from a plan:
sections, themes, channels, tasks with quotas (KPIs), indicators and references between documents."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class DocumentStatus(models.TextChoices):
    IMPORTED = "imported", _("đã nhập")
    CITED = "cited", _("chưa nhập (chỉ được dẫn chiếu)")


class Document(models.Model):
    """One document, imported from a file or only cited by another. A plan is a Document of kind 'Kế hoạch'."""

    kind = models.CharField(_("loại văn bản"), max_length=60, blank=True)
    kind_code = models.CharField(_("ký hiệu loại"), max_length=10, blank=True)
    number = models.CharField(_("số, ký hiệu"), max_length=80, blank=True, db_index=True)
    issued_on = models.DateField(_("ngày ban hành"), null=True, blank=True)
    place = models.CharField(_("địa danh"), max_length=120, blank=True)
    issuer_name = models.CharField(_("cơ quan ban hành"), max_length=300, blank=True)
    issuer = models.ForeignKey(
        "org.Unit",
        verbose_name=_("đơn vị ban hành"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    area = models.ForeignKey(
        "org.Area",
        verbose_name=_("địa bàn"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    title = models.TextField(_("trích yếu"), blank=True)
    status = models.CharField(
        _("trạng thái"), max_length=20, choices=DocumentStatus.choices, default=DocumentStatus.CITED
    )
    is_sample = models.BooleanField(_("dữ liệu mẫu"), default=False)
    period_start_day = models.PositiveSmallIntegerField(
        _("kỳ báo cáo bắt đầu từ ngày"),
        default=1,
        help_text=_(
            "1: theo tháng dương lịch; 15: từ ngày 15 tháng trước đến ngày 14 (Nghị định 09/2019/NĐ-CP)."
        ),
    )
    current_version = models.ForeignKey(
        "DocumentVersion",
        verbose_name=_("phiên bản hiện hành"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("ngày tạo"), auto_now_add=True)
    updated_at = models.DateTimeField(_("cập nhật"), auto_now=True)

    class Meta:
        verbose_name = _("văn bản")
        verbose_name_plural = _("văn bản")
        ordering = ["-issued_on", "-id"]
        indexes = [models.Index(fields=["number", "issued_on"])]

    def __str__(self) -> str:
        label = f"{self.kind or _('Văn bản')} {self.number or ''}".strip()
        if self.issued_on:
            label += f" ngày {self.issued_on:%d/%m/%Y}"
        elif not self.number and self.title:
            label += f": {self.title[:80]}"
        return label

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("plans:detail", args=[self.pk])

    @property
    def is_plan(self) -> bool:
        return self.kind == "Kế hoạch"


class DocumentVersion(models.Model):
    """One imported file of a document. The same file twice is the same version."""

    document = models.ForeignKey(
        Document, verbose_name=_("văn bản"), on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField(_("phiên bản"))
    file = models.FileField(_("tệp"), upload_to="plans/%Y/%m/")
    filename = models.CharField(_("tên tệp"), max_length=255)
    content_hash = models.CharField(_("mã băm nội dung"), max_length=64, unique=True)
    size = models.PositiveIntegerField(_("dung lượng (byte)"))
    text = models.TextField(_("nội dung đã chuẩn hóa"))
    parsed = models.JSONField(_("cấu trúc đọc được"))
    warnings = models.JSONField(_("cảnh báo"), default=list, blank=True)
    imported_at = models.DateTimeField(_("thời điểm nhập"), auto_now_add=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người nhập"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("phiên bản văn bản")
        verbose_name_plural = _("phiên bản văn bản")
        ordering = ["document", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["document", "number"], name="plans_version_unique_number")
        ]

    def __str__(self) -> str:
        return f"{self.document} (v{self.number})"


class Reference(models.Model):
    """A citation in one document of another. ``cited`` is a Document row, imported or not yet."""

    source = models.ForeignKey(
        Document, verbose_name=_("văn bản dẫn"), on_delete=models.CASCADE, related_name="references"
    )
    cited = models.ForeignKey(
        Document, verbose_name=_("văn bản được dẫn"), on_delete=models.CASCADE, related_name="cited_by"
    )
    text = models.TextField(_("trích dẫn"))
    is_basis = models.BooleanField(_("là căn cứ"), default=False)
    order = models.PositiveIntegerField(_("thứ tự"), default=0)

    class Meta:
        verbose_name = _("văn bản dẫn chiếu")
        verbose_name_plural = _("văn bản dẫn chiếu")
        ordering = ["source", "order"]
        constraints = [models.UniqueConstraint(fields=["source", "cited"], name="plans_reference_unique")]

    def __str__(self) -> str:
        return self.text[:120]


class Section(models.Model):
    version = models.ForeignKey(
        DocumentVersion, verbose_name=_("phiên bản"), on_delete=models.CASCADE, related_name="sections"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("mục cha"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="children",
    )
    label = models.CharField(_("số mục"), max_length=30)
    heading = models.TextField(_("đề mục"))
    text = models.TextField(_("nội dung"), blank=True)
    depth = models.PositiveSmallIntegerField(_("cấp"), default=0)
    order = models.PositiveIntegerField(_("thứ tự"), default=0)

    class Meta:
        verbose_name = _("đề mục")
        verbose_name_plural = _("đề mục")
        ordering = ["version", "order"]

    def __str__(self) -> str:
        return f"{self.label}. {self.heading[:80]}"


class Theme(models.Model):
    version = models.ForeignKey(
        DocumentVersion, verbose_name=_("phiên bản"), on_delete=models.CASCADE, related_name="themes"
    )
    label = models.CharField(_("số mục"), max_length=30)
    title = models.TextField(_("chủ đề"))
    parent_label = models.CharField(_("mục cha"), max_length=30, blank=True)
    order = models.PositiveIntegerField(_("thứ tự"), default=0)

    class Meta:
        verbose_name = _("nội dung tuyên truyền")
        verbose_name_plural = _("nội dung tuyên truyền")
        ordering = ["version", "order"]

    def __str__(self) -> str:
        return f"{self.label}. {self.title[:80]}"

    @property
    def depth(self) -> int:
        return self.label.count(".")


class ChannelKind(models.TextChoices):
    PRESS = "press", _("Báo chí")
    WEB_PORTAL = "web_portal", _("Cổng/trang thông tin điện tử")
    SOCIAL_MEDIA = "social_media", _("Mạng xã hội, nền tảng số")
    BROADCAST = "broadcast", _("Phát thanh, truyền hình, truyền thanh cơ sở")
    VISUAL = "visual", _("Tuyên truyền trực quan, cổ động")
    MEETING = "meeting", _("Tuyên truyền miệng, sinh hoạt")
    CONFERENCE = "conference", _("Hội thảo, tọa đàm, diễn đàn")
    TRAINING = "training", _("Đào tạo, bồi dưỡng, học tập")
    SCHOOL = "school", _("Trường học")
    DIALOGUE = "dialogue", _("Đối thoại trực tiếp")
    CONTEST = "contest", _("Cuộc thi")
    HANDBOOK = "handbook", _("Sổ tay đảng viên điện tử")


class Channel(models.Model):
    version = models.ForeignKey(
        DocumentVersion, verbose_name=_("phiên bản"), on_delete=models.CASCADE, related_name="channels"
    )
    kind = models.CharField(_("loại kênh"), max_length=20, choices=ChannelKind.choices)
    label = models.CharField(_("số mục"), max_length=30, blank=True)
    text = models.TextField(_("nội dung"))
    order = models.PositiveIntegerField(_("thứ tự"), default=0)

    class Meta:
        verbose_name = _("hình thức tuyên truyền")
        verbose_name_plural = _("hình thức tuyên truyền")
        ordering = ["version", "order"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.text[:60]}"


class Recurrence(models.TextChoices):
    CONTINUOUS = "continuous", _("thường xuyên")
    DAILY = "daily", _("hằng ngày")
    WEEKLY = "weekly", _("hằng tuần")
    MONTHLY = "monthly", _("hằng tháng")
    QUARTERLY = "quarterly", _("hằng quý")
    YEARLY = "yearly", _("hằng năm")


class TaskStatus(models.TextChoices):
    OPEN = "open", _("đang thực hiện")
    CLOSED = "closed", _("đã đóng (không còn trong phiên bản mới)")


class Task(models.Model):
    """One task of a plan's implementation part. Keeps its identity across versions while unit and text match."""

    document = models.ForeignKey(
        Document, verbose_name=_("kế hoạch"), on_delete=models.CASCADE, related_name="tasks"
    )
    assignment_label = models.CharField(_("mục phân công"), max_length=30, blank=True)
    unit_names = models.JSONField(_("đơn vị (như văn bản ghi)"), default=list)
    units = models.ManyToManyField("org.Unit", verbose_name=_("đơn vị"), blank=True, related_name="tasks")
    groups = models.ManyToManyField(
        "org.UnitGroup", verbose_name=_("nhóm đơn vị"), blank=True, related_name="tasks"
    )
    text = models.TextField(_("nhiệm vụ"))
    key = models.CharField(_("khóa nhận diện"), max_length=64, db_index=True)
    deadline = models.DateField(_("thời hạn"), null=True, blank=True)
    recurrence = models.CharField(_("định kỳ"), max_length=20, choices=Recurrence.choices, blank=True)
    status = models.CharField(
        _("trạng thái"), max_length=20, choices=TaskStatus.choices, default=TaskStatus.OPEN
    )
    first_version = models.ForeignKey(
        DocumentVersion, verbose_name=_("có từ phiên bản"), on_delete=models.CASCADE, related_name="+"
    )
    last_version = models.ForeignKey(
        DocumentVersion, verbose_name=_("còn trong phiên bản"), on_delete=models.CASCADE, related_name="+"
    )
    order = models.PositiveIntegerField(_("thứ tự"), default=0)

    class Meta:
        verbose_name = _("nhiệm vụ")
        verbose_name_plural = _("nhiệm vụ")
        ordering = ["document", "order"]

    def __str__(self) -> str:
        return self.text[:100]


class KpiPeriod(models.TextChoices):
    DAY = "day", _("ngày")
    WEEK = "week", _("tuần")
    MONTH = "month", _("tháng")
    QUARTER = "quarter", _("quý")
    YEAR = "year", _("năm")


class Kpi(models.Model):
    """A quota of a task: 'tối thiểu 10 tin, bài/ tháng trên các nền tảng số và mạng xã hội'."""

    task = models.ForeignKey(Task, verbose_name=_("nhiệm vụ"), on_delete=models.CASCADE, related_name="kpis")
    comparator = models.CharField(_("so sánh"), max_length=2, default=">=")
    quantity = models.DecimalField(_("số lượng"), max_digits=14, decimal_places=2)
    unit = models.CharField(_("đơn vị tính"), max_length=60)
    per = models.CharField(_("mỗi"), max_length=10, choices=KpiPeriod.choices, blank=True)
    channels = models.JSONField(_("kênh"), default=list, blank=True)

    class Meta:
        verbose_name = _("chỉ tiêu nhiệm vụ")
        verbose_name_plural = _("chỉ tiêu nhiệm vụ")

    def __str__(self) -> str:
        per = f"/{self.get_per_display()}" if self.per else ""
        symbol = {">=": "≥", "<=": "≤", "~": "≈", "=": ""}.get(self.comparator, self.comparator)
        return f"{symbol} {self.quantity.normalize():f} {self.unit}{per}".strip()


class Indicator(models.Model):
    """A quantified target the plan states (chỉ tiêu)."""

    version = models.ForeignKey(
        DocumentVersion, verbose_name=_("phiên bản"), on_delete=models.CASCADE, related_name="indicators"
    )
    metric = models.CharField(_("chỉ tiêu"), max_length=300)
    comparator = models.CharField(_("so sánh"), max_length=2, default="=")
    value = models.DecimalField(_("giá trị"), max_digits=18, decimal_places=4)
    unit = models.CharField(_("đơn vị"), max_length=40)
    year = models.PositiveSmallIntegerField(_("năm"), null=True, blank=True)
    from_year = models.PositiveSmallIntegerField(_("từ năm"), null=True, blank=True)
    order = models.PositiveIntegerField(_("thứ tự"), default=0)

    class Meta:
        verbose_name = _("chỉ tiêu")
        verbose_name_plural = _("chỉ tiêu")
        ordering = ["version", "order"]

    def __str__(self) -> str:
        return f"{self.metric}: {self.comparator} {self.value.normalize():f} {self.unit}"


class ImportStatus(models.TextChoices):
    PENDING = "pending", _("đang chờ")
    RUNNING = "running", _("đang xử lý")
    DONE = "done", _("hoàn thành")
    FAILED = "failed", _("thất bại")


class ImportJob(models.Model):
    """An upload being imported in the background; the page reads its real progress."""

    file = models.FileField(_("tệp"), upload_to="uploads/%Y/%m/")
    filename = models.CharField(_("tên tệp"), max_length=255)
    status = models.CharField(
        _("trạng thái"), max_length=20, choices=ImportStatus.choices, default=ImportStatus.PENDING
    )
    progress = models.PositiveSmallIntegerField(_("tiến độ (%)"), default=0)
    stage = models.CharField(_("bước"), max_length=200, blank=True)
    message = models.TextField(_("thông báo"), blank=True)
    warnings = models.JSONField(_("cảnh báo"), default=list, blank=True)
    document = models.ForeignKey(
        Document,
        verbose_name=_("văn bản"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người nhập"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("thời điểm"), auto_now_add=True)

    class Meta:
        verbose_name = _("lượt nhập văn bản")
        verbose_name_plural = _("lượt nhập văn bản")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.filename} ({self.get_status_display()})"


class TaskAssignment(models.Model):
    """A task as one unit carries it out. A task given to a group fans out to one row per member unit."""

    task = models.ForeignKey(
        Task, verbose_name=_("nhiệm vụ"), on_delete=models.CASCADE, related_name="assignments"
    )
    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("đơn vị"), on_delete=models.CASCADE, related_name="task_assignments"
    )
    via_group = models.ForeignKey(
        "org.UnitGroup",
        verbose_name=_("giao qua nhóm"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    done_at = models.DateTimeField(_("hoàn thành lúc"), null=True, blank=True)
    done_note = models.TextField(_("kết quả, minh chứng"), blank=True)
    evidence = models.FileField(_("tệp minh chứng"), upload_to="evidence/%Y/%m/", blank=True)
    created_at = models.DateTimeField(_("ngày giao"), auto_now_add=True)

    class Meta:
        verbose_name = _("nhiệm vụ của đơn vị")
        verbose_name_plural = _("nhiệm vụ của đơn vị")
        ordering = ["task__document", "task__order", "unit__name"]
        constraints = [models.UniqueConstraint(fields=["task", "unit"], name="plans_assignment_unique")]

    def __str__(self) -> str:
        return f"{self.unit}: {self.task}"


class TaskComment(models.Model):
    """A remark on a unit's task: a question from the unit, an instruction from the office."""

    assignment = models.ForeignKey(
        TaskAssignment,
        verbose_name=_("nhiệm vụ của đơn vị"),
        on_delete=models.CASCADE,
        related_name="comments",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người viết"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    text = models.TextField(_("nội dung"))
    created_at = models.DateTimeField(_("thời điểm"), auto_now_add=True)

    class Meta:
        verbose_name = _("trao đổi về nhiệm vụ")
        verbose_name_plural = _("trao đổi về nhiệm vụ")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.text[:80]
