"""The material library of a plan: đề cương, tài liệu sinh hoạt chi bộ, hỏi–đáp, khẩu hiệu.

A :class:`Material` is the item; each change of its text is a :class:`MaterialVersion`. A published
version never changes: a new text is a new version, which shows its diff against the one before,
and publishing it supersedes the old one. Every paragraph carries a citable label ("Mục II.1,
đoạn 2"). A loudspeaker :class:`Script` is built from a published version and approved by a person;
a script over its time limit cannot be approved.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class MaterialKind(models.TextChoices):
    OUTLINE = "outline", _("Đề cương tuyên truyền")
    CELL = "cell", _("Tài liệu sinh hoạt chi bộ")
    QA = "qa", _("Hỏi – đáp")
    SLOGAN = "slogan", _("Khẩu hiệu")


class Access(models.TextChoices):
    PUBLIC = "public", _("Công khai")
    INTERNAL = "internal", _("Nội bộ")


class Material(models.Model):
    document = models.ForeignKey(
        "plans.Document", verbose_name=_("kế hoạch"), on_delete=models.PROTECT, related_name="materials"
    )
    office = models.ForeignKey(
        "org.Unit", verbose_name=_("đơn vị quản lý"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("loại tài liệu"), max_length=10, choices=MaterialKind.choices)
    title = models.CharField(_("tên tài liệu"), max_length=500)
    issuer_name = models.CharField(_("cơ quan ban hành"), max_length=300, blank=True)
    number = models.CharField(_("số, ký hiệu"), max_length=80, blank=True)
    issued_on = models.DateField(_("ngày ban hành"), null=True, blank=True)
    access = models.CharField(_("phạm vi"), max_length=10, choices=Access.choices, default=Access.PUBLIC)
    themes = models.ManyToManyField("plans.Theme", verbose_name=_("chủ đề"), blank=True, related_name="+")
    audiences = models.JSONField(_("đối tượng"), default=list, blank=True)
    source = models.ForeignKey(
        "self",
        verbose_name=_("tài liệu gốc (khi địa phương biên soạn lại)"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="adaptations",
    )
    source_version = models.ForeignKey(
        "MaterialVersion",
        verbose_name=_("phiên bản gốc đã biên soạn lại"),
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
    created_at = models.DateTimeField(_("thời điểm tạo"), auto_now_add=True)

    class Meta:
        verbose_name = _("tài liệu tuyên truyền")
        verbose_name_plural = _("tài liệu tuyên truyền")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title

    def published(self) -> "MaterialVersion | None":
        return self.versions.filter(status=MaterialVersion.Status.PUBLISHED).order_by("-number").first()


class MaterialVersion(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Dự thảo")
        PUBLISHED = "published", _("Đã phát hành")
        SUPERSEDED = "superseded", _("Đã thay thế")

    material = models.ForeignKey(
        Material, verbose_name=_("tài liệu"), on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField(_("phiên bản"))
    text = models.TextField(_("nội dung"))
    paragraphs = models.JSONField(_("các đoạn (có nhãn trích dẫn)"), default=list)
    content_hash = models.CharField(_("mã băm nội dung"), max_length=64)
    filename = models.CharField(_("tên tệp"), max_length=255, blank=True)
    status = models.CharField(_("tình trạng"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField(_("phát hành lúc"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người phát hành"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("thời điểm tạo"), auto_now_add=True)

    class Meta:
        verbose_name = _("phiên bản tài liệu")
        verbose_name_plural = _("phiên bản tài liệu")
        ordering = ["material", "-number"]
        constraints = [models.UniqueConstraint(fields=["material", "number"], name="material_version_unique")]

    def __str__(self) -> str:
        return f"{self.material} (v{self.number})"


class Script(models.Model):
    """A loudspeaker script (kịch bản phát thanh) built from a published version."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Dự thảo")
        APPROVED = "approved", _("Đã duyệt")

    version = models.ForeignKey(
        MaterialVersion,
        verbose_name=_("phiên bản tài liệu"),
        on_delete=models.PROTECT,
        related_name="scripts",
    )
    limit_seconds = models.PositiveSmallIntegerField(
        _("thời lượng tối đa (giây)"), choices=[(60, "60"), (120, "120"), (180, "180")], default=120
    )
    text = models.TextField(_("nội dung để đọc"))
    seconds = models.FloatField(_("thời lượng ước tính (giây)"))
    status = models.CharField(_("tình trạng"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người duyệt"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("duyệt lúc"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người soạn"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("thời điểm tạo"), auto_now_add=True)

    class Meta:
        verbose_name = _("kịch bản phát thanh")
        verbose_name_plural = _("kịch bản phát thanh")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{_('Kịch bản')} {self.version} ({self.limit_seconds} s)"


class MaterialUse(models.Model):
    """A unit used a version: broadcast it on the loudspeakers, posted it on the bulletin board, or
    used it in an activity. "Dùng ở 37/126 xã" counts these."""

    class Kind(models.TextChoices):
        BROADCAST = "broadcast", _("Đã phát trên loa")
        POSTED = "posted", _("Đã niêm yết")
        USED = "used", _("Đã sử dụng")

    version = models.ForeignKey(
        MaterialVersion, verbose_name=_("phiên bản"), on_delete=models.CASCADE, related_name="uses"
    )
    unit = models.ForeignKey("org.Unit", verbose_name=_("đơn vị"), on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("cách dùng"), max_length=10, choices=Kind.choices)
    activity = models.ForeignKey(
        "activities.Activity",
        verbose_name=_("hoạt động"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    at = models.DateTimeField(_("thời điểm"), auto_now_add=True)

    class Meta:
        verbose_name = _("lượt sử dụng tài liệu")
        verbose_name_plural = _("lượt sử dụng tài liệu")

    def __str__(self) -> str:
        return f"{self.unit} — {self.get_kind_display()}"


class PlanAudience(models.Model):
    """An audience group a plan names (found by the parser, with its source sentence), confirmed or
    dropped by the office. Groups revealing party membership, ethnicity or religion are sensitive
    (NĐ 356/2025 Điều 4): never offered for e-mail subscription."""

    document = models.ForeignKey(
        "plans.Document", verbose_name=_("kế hoạch"), on_delete=models.CASCADE, related_name="+"
    )
    key = models.CharField(_("mã nhóm"), max_length=60)
    name = models.CharField(_("nhóm đối tượng"), max_length=200)
    tier = models.PositiveSmallIntegerField(_("tầng"))
    sensitive = models.BooleanField(_("nhạy cảm"), default=False)
    source = models.TextField(_("câu nguồn"), blank=True)
    confirmed = models.BooleanField(_("đã xác nhận"), null=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người xác nhận"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("đối tượng của kế hoạch")
        verbose_name_plural = _("đối tượng của kế hoạch")
        ordering = ["tier", "name"]
        constraints = [models.UniqueConstraint(fields=["document", "key"], name="plan_audience_unique")]

    def __str__(self) -> str:
        return self.name


class Variant(models.Model):
    """A form of a published version for one channel, approved by a person: the text of at most
    150 words for portals, or the one-page PDF uploaded to the Sổ tay đảng viên điện tử (Loa
    cannot reach it: the officer uploads the PDF there and logs a ``handbook`` activity)."""

    class Kind(models.TextChoices):
        PORTAL = "portal", _("Bài ngắn cho cổng thông tin (tối đa 150 chữ)")
        HANDBOOK = "handbook", _("Bản PDF một trang cho Sổ tay đảng viên")
        POSTER = "poster", _("Áp phích (PDF A4)")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Dự thảo")
        APPROVED = "approved", _("Đã duyệt")

    version = models.ForeignKey(
        MaterialVersion,
        verbose_name=_("phiên bản tài liệu"),
        on_delete=models.PROTECT,
        related_name="variants",
    )
    kind = models.CharField(_("dạng"), max_length=10, choices=Kind.choices)
    text = models.TextField(_("nội dung"), blank=True)
    file = models.FileField(_("tệp"), upload_to="materials/variants/%Y/%m/", blank=True)
    status = models.CharField(_("tình trạng"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người duyệt"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("duyệt lúc"), null=True, blank=True)
    created_at = models.DateTimeField(_("thời điểm tạo"), auto_now_add=True)

    class Meta:
        verbose_name = _("dạng thể hiện")
        verbose_name_plural = _("dạng thể hiện")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.version}"


class Subscription(models.Model):
    """An e-mail subscription to a plan's public materials, no account: audiences (never sensitive
    groups), themes, weekly or monthly. Double opt-in: pending until the person POSTs the confirmation
    page; pending requests are deleted after 7 days. The address is encrypted at rest; ``address_key``
    (an HMAC of the folded address) finds it without decrypting. Consent is kept as proof."""

    ENCRYPTED_FIELDS = ("email",)  # loa.core.crypto.rotate_all

    class Frequency(models.TextChoices):
        WEEKLY = "weekly", _("Hằng tuần")
        MONTHLY = "monthly", _("Hằng tháng")

    document = models.ForeignKey(
        "plans.Document", verbose_name=_("kế hoạch"), on_delete=models.CASCADE, related_name="+"
    )
    email = models.TextField(_("thư điện tử (mã hóa)"))
    address_key = models.CharField(max_length=64, db_index=True, editable=False)
    audiences = models.JSONField(_("đối tượng"), default=list, blank=True)
    themes = models.JSONField(_("chủ đề (số mục)"), default=list, blank=True)
    frequency = models.CharField(
        _("tần suất"), max_length=10, choices=Frequency.choices, default=Frequency.WEEKLY
    )
    confirmed_at = models.DateTimeField(_("xác nhận lúc"), null=True, blank=True)
    consent_version = models.CharField(_("phiên bản nội dung đồng ý"), max_length=20)
    requested_at = models.DateTimeField(_("đăng ký lúc"))
    last_mail_at = models.DateTimeField(_("thư xác nhận gần nhất"), null=True, blank=True)

    class Meta:
        verbose_name = _("đăng ký nhận tin")
        verbose_name_plural = _("đăng ký nhận tin")
        constraints = [
            models.UniqueConstraint(fields=["document", "address_key"], name="subscription_unique")
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.get_frequency_display()}"

    @property
    def choice_key(self) -> str:
        """The distinct set of choices (hashed, any number of themes fits): the digest is rendered
        once per key."""
        import hashlib

        raw = f"{self.frequency}|{','.join(sorted(self.audiences))}|{','.join(sorted(self.themes))}"
        return hashlib.sha1(raw.encode()).hexdigest()


class DigestRun(models.Model):
    """One digest of a plan for one frequency and period. Runs with nothing new are not created."""

    document = models.ForeignKey("plans.Document", on_delete=models.CASCADE, related_name="+")
    frequency = models.CharField(max_length=10, choices=Subscription.Frequency.choices)
    period_start = models.DateField()
    period_end = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["document", "frequency", "period_start"], name="digest_run_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.document_id} {self.frequency} {self.period_start}"


class DigestBody(models.Model):
    """The digest rendered once per distinct set of choices."""

    run = models.ForeignKey(DigestRun, on_delete=models.CASCADE, related_name="bodies")
    choice_key = models.CharField(max_length=40)
    subject = models.CharField(max_length=300)
    body = models.TextField()
    # the materials this body carries: mails sent are counted per item (and per audience), never per person
    materials = models.JSONField(default=list, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["run", "choice_key"], name="digest_body_unique")]

    def __str__(self) -> str:
        return self.subject


class DigestDelivery(models.Model):
    """One subscriber's copy, queued once (unique per run) and marked when sent: a job killed and
    run again queues the missing ones only."""

    run = models.ForeignKey(DigestRun, on_delete=models.CASCADE, related_name="deliveries")
    body = models.ForeignKey(DigestBody, on_delete=models.CASCADE, related_name="+")
    subscription = models.ForeignKey(Subscription, on_delete=models.CASCADE, related_name="+")
    sent_at = models.DateTimeField(null=True, blank=True, db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["run", "subscription"], name="digest_delivery_unique")]

    def __str__(self) -> str:
        return f"{self.run_id}/{self.subscription_id}"


class Question(models.Model):
    """A quiz question of a plan's bank: four options, one key, a citation (document, section,
    sentence), a theme and an audience. Only approved questions are used in a contest."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Dự thảo")
        APPROVED = "approved", _("Đã duyệt")

    class Origin(models.TextChoices):
        IMPORT = "import", _("Nhập từ tệp")
        PLAN = "plan", _("Soạn từ chỉ tiêu, văn bản dẫn của kế hoạch")

    document = models.ForeignKey(
        "plans.Document", verbose_name=_("kế hoạch"), on_delete=models.CASCADE, related_name="+"
    )
    text = models.TextField(_("câu hỏi"))
    options = models.JSONField(_("phương án"))
    key = models.PositiveSmallIntegerField(_("đáp án đúng"))
    cite_document = models.CharField(_("văn bản"), max_length=300)
    cite_section = models.CharField(_("mục"), max_length=200, blank=True)
    cite_sentence = models.TextField(_("câu trích"))
    theme = models.CharField(_("chủ đề (số mục)"), max_length=30, blank=True)
    audience = models.CharField(_("đối tượng"), max_length=30, blank=True)
    origin = models.CharField(_("nguồn"), max_length=10, choices=Origin.choices)
    status = models.CharField(_("tình trạng"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người tạo"),
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
    created_at = models.DateTimeField(_("thời điểm tạo"), auto_now_add=True)

    class Meta:
        verbose_name = _("câu hỏi thi")
        verbose_name_plural = _("ngân hàng câu hỏi")
        ordering = ["created_at", "id"]
        constraints = [models.UniqueConstraint(fields=["document", "text"], name="question_unique_text")]

    def __str__(self) -> str:
        return self.text[:80]


class Contest(models.Model):
    """An online quiz round of a plan (e.g. weekly): approved questions drawn and shuffled per
    attempt, a time limit the server enforces, one attempt or the best of N per phone."""

    document = models.ForeignKey(
        "plans.Document", verbose_name=_("kế hoạch"), on_delete=models.CASCADE, related_name="+"
    )
    title = models.CharField(_("tên vòng thi"), max_length=300)
    opens_at = models.DateTimeField(_("mở lúc"))
    closes_at = models.DateTimeField(_("đóng lúc"))
    questions_per_attempt = models.PositiveSmallIntegerField(_("số câu mỗi lượt"), default=10)
    time_limit_seconds = models.PositiveIntegerField(_("thời gian làm bài (giây)"), default=600)
    max_attempts = models.PositiveSmallIntegerField(_("số lượt tối đa mỗi số điện thoại"), default=1)
    participation_logged = models.BooleanField(_("đã ghi nhận tham gia"), default=False)
    prediction_question = models.CharField(
        _("câu hỏi dự đoán"), max_length=300, default="Dự đoán có bao nhiêu lượt trả lời đúng tất cả các câu?"
    )

    class Meta:
        verbose_name = _("vòng thi trực tuyến")
        verbose_name_plural = _("vòng thi trực tuyến")
        ordering = ["-opens_at"]

    def __str__(self) -> str:
        return self.title


class Attempt(models.Model):
    """One contestant's attempt. The questions drawn (and their option order) are kept here; the key
    never leaves the server before the round closes. Name, unit, phone (encrypted) and age band only."""

    ENCRYPTED_FIELDS = ("phone",)  # loa.core.crypto.rotate_all

    contest = models.ForeignKey(
        Contest, verbose_name=_("vòng thi"), on_delete=models.CASCADE, related_name="attempts"
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    unit = models.ForeignKey("org.Unit", verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("họ tên"), max_length=100)
    phone = models.TextField(_("điện thoại (mã hóa)"))
    phone_key = models.CharField(max_length=64, db_index=True, editable=False)
    age_band = models.CharField(_("độ tuổi"), max_length=10)
    # under 16: the name is published only with the consent of the child and a parent (Luật 91/2025 Điều 24)
    publish_name = models.BooleanField(_("đồng ý công bố tên"), default=True)
    drawn = models.JSONField(_("câu hỏi được rút"), default=list)  # [{"q": id, "order": [option indexes]}]
    answers = models.JSONField(_("trả lời"), default=dict, blank=True)
    prediction = models.PositiveIntegerField(_("dự đoán"), null=True, blank=True)
    started_at = models.DateTimeField(_("bắt đầu lúc"))
    submitted_at = models.DateTimeField(_("nộp lúc"), null=True, blank=True)
    correct = models.PositiveSmallIntegerField(_("số câu đúng"), default=0)
    duration = models.FloatField(_("thời gian làm bài (giây)"), null=True, blank=True)
    # an HMAC of the network address (never the address): attempts from one place, for the organiser
    client = models.CharField(max_length=16, blank=True, editable=False)
    # set by the organiser, with the reason, after looking at a suspicious pattern; never automatic
    excluded_reason = models.CharField(_("lý do không xếp hạng"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("lượt thi")
        verbose_name_plural = _("lượt thi")
        indexes = [models.Index(fields=["contest", "phone_key"])]

    def __str__(self) -> str:
        return f"{self.contest} — #{self.pk}"


class SpentProof(models.Model):
    """A proof of work (or its no-JavaScript fallback) already used: each is good for one form only."""

    digest = models.CharField(max_length=64, primary_key=True)
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = _("mã xác nhận đã dùng")
        verbose_name_plural = _("mã xác nhận đã dùng")

    def __str__(self) -> str:
        return self.digest[:12]


class ContestRefusal(models.Model):
    """A refused start of a round (honeypot filled, proof of work missing, wrong or replayed): counted
    per address key for the organiser's report of suspicious patterns. Starts over the per-address
    limit are not stored (the limit itself bounds them)."""

    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="+")
    client = models.CharField(max_length=16)
    reason = models.CharField(max_length=20)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("lượt bị từ chối")
        verbose_name_plural = _("lượt bị từ chối")
        indexes = [models.Index(fields=["contest", "client"])]

    def __str__(self) -> str:
        return f"{self.contest_id} {self.reason}"
