"""Citizens ask, the right unit answers: questions, comments, ideas and petitions about a plan.

Personal data (Luật Bảo vệ dữ liệu cá nhân 91/2025/QH15): a submission may be anonymous; contact
data is asked only when the person wants a direct answer, with consent, encrypted at rest
(:mod:`loa.core.crypto`), shown only to the assigned unit and the office (every view logged),
and erased ``LOA_FEEDBACK_RETENTION_DAYS`` after closing or at once on request by receipt code.
The receipt code itself is never stored: only its SHA-256, so the database cannot reveal it.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    QUESTION = "question", _("Câu hỏi")
    COMMENT = "comment", _("Góp ý")
    IDEA = "idea", _("Hiến kế")
    PETITION = "petition", _("Kiến nghị")


class Status(models.TextChoices):
    RECEIVED = "received", _("Mới nhận")
    ACKNOWLEDGED = "acknowledged", _("Đã tiếp nhận, đang xử lý")
    AWAITING_APPROVAL = "awaiting", _("Đã có dự thảo trả lời, chờ duyệt")
    ANSWERED = "answered", _("Đã trả lời")
    CLOSED = "closed", _("Đã đóng")


class ResponsePolicy(models.Model):
    """How fast each kind must be acknowledged and answered, in working time (editable)."""

    kind = models.CharField(_("loại"), max_length=10, choices=Kind.choices, unique=True)
    ack_hours = models.PositiveSmallIntegerField(_("tiếp nhận trong (giờ làm việc)"), default=8)
    urgent_ack_hours = models.PositiveSmallIntegerField(
        _("tiếp nhận việc khẩn trong (giờ làm việc)"), default=4
    )
    answer_days = models.PositiveSmallIntegerField(_("trả lời trong (ngày làm việc)"), default=15)
    remind_hours = models.PositiveSmallIntegerField(_("nhắc trước hạn (giờ làm việc)"), default=4)

    class Meta:
        verbose_name = _("thời hạn xử lý")
        verbose_name_plural = _("thời hạn xử lý")

    def __str__(self) -> str:
        return str(self.get_kind_display())


class RoutingRule(models.Model):
    """Theme → unit, or place name → unit (a commune), for one plan or for every plan of an office."""

    class Match(models.TextChoices):
        THEME = "theme", _("Chủ đề")
        PLACE = "place", _("Địa danh")

    office = models.ForeignKey(
        "org.Unit", verbose_name=_("cơ quan"), on_delete=models.CASCADE, related_name="+"
    )
    document = models.ForeignKey(
        "plans.Document",
        verbose_name=_("kế hoạch"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="routing_rules",
    )
    match = models.CharField(_("căn cứ"), max_length=10, choices=Match.choices)
    value = models.CharField(_("chủ đề (số mục) hoặc địa danh"), max_length=200)
    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("đơn vị trả lời"), on_delete=models.CASCADE, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người tạo"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("thời điểm"), auto_now_add=True)

    class Meta:
        verbose_name = _("quy tắc chuyển")
        verbose_name_plural = _("quy tắc chuyển")
        ordering = ["match", "value"]
        constraints = [
            models.UniqueConstraint(
                fields=["office", "document", "match", "value"], name="feedback_rule_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_match_display()}: {self.value} → {self.unit}"


class Dialogue(models.Model):
    """A direct dialogue ("đối thoại trực tiếp") between leaders and the public: scheduled, open for
    questions in advance on the public page, held, and summarised. Publishing the summary records
    an activity of the channel "dialogue" for the organising unit."""

    document = models.ForeignKey(
        "plans.Document",
        verbose_name=_("kế hoạch"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("đơn vị tổ chức"), on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("tên buổi đối thoại"), max_length=300)
    held_at = models.DateTimeField(_("thời gian"))
    place = models.CharField(_("địa điểm"), max_length=300)
    leaders = models.CharField(_("người chủ trì, lãnh đạo tham dự"), max_length=500)
    theme = models.ForeignKey(
        "plans.Theme",
        verbose_name=_("chủ đề"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    questions_open = models.BooleanField(_("đang nhận câu hỏi trước"), default=True)
    summary = models.TextField(_("kết quả, tóm tắt"), blank=True)
    participants = models.PositiveIntegerField(_("người tham dự"), null=True, blank=True)
    published_at = models.DateTimeField(_("công bố kết quả lúc"), null=True, blank=True)
    activity = models.ForeignKey(
        "activities.Activity",
        verbose_name=_("hoạt động"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người tạo"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("buổi đối thoại trực tiếp")
        verbose_name_plural = _("buổi đối thoại trực tiếp")
        ordering = ["-held_at"]

    def __str__(self) -> str:
        return self.title


class Submission(models.Model):
    ENCRYPTED_FIELDS = ("contact_name", "contact_phone", "contact_email")  # loa.core.crypto.rotate_all

    document = models.ForeignKey(
        "plans.Document",
        verbose_name=_("kế hoạch"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    addressed_to = models.ForeignKey(
        "org.Unit",
        verbose_name=_("gửi tới"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("đơn vị có trang tiếp nhận mà người dân đã dùng"),
    )
    dialogue = models.ForeignKey(
        Dialogue,
        verbose_name=_("buổi đối thoại"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="questions",
    )
    kind = models.CharField(_("loại"), max_length=10, choices=Kind.choices)
    text = models.TextField(_("nội dung"))
    folded = models.TextField(_("nội dung để tìm kiếm"), blank=True, editable=False)
    urgent = models.BooleanField(_("khẩn"), default=False)
    receipt_hash = models.CharField(_("mã tra cứu (băm)"), max_length=64, unique=True, editable=False)
    channel = models.CharField(_("kênh gửi"), max_length=10, default="web")  # web | api
    # personal data: encrypted tokens (loa.core.crypto), empty when not given or erased
    contact_name = models.TextField(_("họ tên (mã hóa)"), blank=True, editable=False)
    contact_phone = models.TextField(_("điện thoại (mã hóa)"), blank=True, editable=False)
    contact_email = models.TextField(_("thư điện tử (mã hóa)"), blank=True, editable=False)
    consent_at = models.DateTimeField(_("đồng ý xử lý dữ liệu lúc"), null=True, blank=True)
    consent_version = models.CharField(_("phiên bản nội dung đồng ý"), max_length=20, blank=True)
    personal_erased_at = models.DateTimeField(_("đã xóa dữ liệu cá nhân lúc"), null=True, blank=True)
    attachment = models.FileField(_("tệp đính kèm"), upload_to="feedback/%Y/%m/", blank=True)
    attachment_type = models.CharField(_("loại tệp"), max_length=40, blank=True)
    # routing
    theme = models.ForeignKey(
        "plans.Theme",
        verbose_name=_("chủ đề"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # the classifier's margin over the plan's other themes (loa.nlp.themes): ≥ 0.03 is "about it"
    theme_score = models.FloatField(_("độ tin cậy chủ đề"), null=True, blank=True)
    theme_confirmed = models.BooleanField(_("chủ đề đã xác nhận"), default=False)
    unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("đơn vị trả lời"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="feedback",
    )
    route_reason = models.CharField(_("lý do chuyển"), max_length=300, blank=True)
    group = models.ForeignKey(
        "self",
        verbose_name=_("nhóm câu hỏi trùng"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="members",
    )
    vector = models.BinaryField(_("véc-tơ ngữ nghĩa"), null=True, blank=True, editable=False)  # e5, float16
    status = models.CharField(_("trạng thái"), max_length=12, choices=Status.choices, default=Status.RECEIVED)
    received_at = models.DateTimeField(_("nhận lúc"), db_index=True)
    ack_due = models.DateTimeField(_("hạn tiếp nhận"))
    answer_due = models.DateTimeField(_("hạn trả lời"))
    acknowledged_at = models.DateTimeField(_("tiếp nhận lúc"), null=True, blank=True)
    answered_at = models.DateTimeField(_("trả lời lúc"), null=True, blank=True)
    closed_at = models.DateTimeField(_("đóng lúc"), null=True, blank=True)
    reminded = models.JSONField(_("đã nhắc"), default=list, blank=True)
    is_sample = models.BooleanField(_("dữ liệu mẫu"), default=False)

    class Meta:
        verbose_name = _("ý kiến, câu hỏi của người dân")
        verbose_name_plural = _("ý kiến, câu hỏi của người dân")
        ordering = ["-received_at", "-id"]
        indexes = [
            models.Index(fields=["unit", "status"]),
            models.Index(fields=["document", "received_at"]),
            models.Index(fields=["status", "answer_due"]),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.get_kind_display()}"

    @property
    def has_contact(self) -> bool:
        return bool(self.contact_name or self.contact_phone or self.contact_email)

    @property
    def theme_confidence(self) -> str:
        """The classifier's confidence in words: its margin over the plan's other themes."""
        if self.theme_confirmed:
            return str(_("đã xác nhận"))
        if self.theme_score is None:
            return ""
        if self.theme_score >= 0.06:
            return str(_("cao"))
        if self.theme_score >= 0.03:
            return str(_("trung bình"))
        return str(_("thấp"))

    @property
    def leader(self) -> "Submission":
        return self.group if self.group_id else self


class Answer(models.Model):
    """The answer to a submission (and every near-duplicate grouped with it). A person writes it,
    cites a document or attaches evidence, and an approver publishes it."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Dự thảo")
        AWAITING = "awaiting", _("Chờ duyệt")
        PUBLISHED = "published", _("Đã công bố")

    submission = models.OneToOneField(
        Submission, verbose_name=_("câu hỏi"), on_delete=models.CASCADE, related_name="answer"
    )
    text = models.TextField(_("nội dung trả lời"))
    citations = models.JSONField(_("trích dẫn văn bản"), default=list, blank=True)
    evidence = models.FileField(_("minh chứng"), upload_to="feedback/answers/%Y/%m/", blank=True)
    state = models.CharField(_("tình trạng"), max_length=10, choices=State.choices, default=State.DRAFT)
    in_faq = models.BooleanField(_("đưa vào hỏi–đáp công khai"), default=False)
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người soạn"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người duyệt"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("cập nhật"), auto_now=True)
    published_at = models.DateTimeField(_("công bố lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("trả lời")
        verbose_name_plural = _("trả lời")

    def __str__(self) -> str:
        return f"{_('Trả lời')} #{self.submission_id}"


class Throttle(models.Model):
    """Requests per key (a hashed IP address or receipt code) per window: the public side's rate
    limit, shared by every server process through the database."""

    key = models.CharField(max_length=64)
    window = models.DateTimeField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["key", "window"], name="feedback_throttle_unique")]

    def __str__(self) -> str:
        return f"{self.key[:8]} {self.window:%Y-%m-%d %H:%M} {self.count}"


class IdempotentRequest(models.Model):
    """A public API request sent with an ``Idempotency-Key``: a retry with the same key and body
    gets the first answer again (the receipt code kept encrypted for a day), never a second
    submission. Rows older than a day are deleted."""

    ENCRYPTED_FIELDS = ("code",)

    key = models.CharField(max_length=100, unique=True)
    body_hash = models.CharField(max_length=64)
    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="+")
    code = models.TextField()  # the receipt code, encrypted (loa.core.crypto)
    created_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"{self.key[:12]} → #{self.submission_id}"
