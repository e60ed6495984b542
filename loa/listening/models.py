"""The listening desk: public posts and news in aggregate — topics, surges, sentiment, claims.

Topics, never persons: an :class:`Item` keeps text (stripped of handles, phones, e-mails, ID
numbers and profile links), time, platform, the source link and engagement counts, and nothing
about who wrote it. Raw items are deleted after ``LOA_LISTENING_RETENTION_DAYS`` (365); surges
and claims (aggregates) stay.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Source(models.Model):
    """Where items come from: an uploaded export, pasted text (later: a feed)."""

    class Kind(models.TextChoices):
        UPLOAD = "upload", _("Tệp xuất dữ liệu (CSV, JSONL, XLSX)")
        PASTE = "paste", _("Văn bản dán vào")
        FEED = "feed", _("Nguồn tin RSS/Atom")

    document = models.ForeignKey(
        "plans.Document",
        verbose_name=_("kế hoạch"),
        on_delete=models.CASCADE,
        related_name="listening_sources",
    )
    office = models.ForeignKey(
        "org.Unit", verbose_name=_("đơn vị theo dõi"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("loại nguồn"), max_length=10, choices=Kind.choices)
    name = models.CharField(_("tên nguồn"), max_length=255)
    rows = models.PositiveIntegerField(_("số dòng"), default=0)
    created = models.PositiveIntegerField(_("mục mới"), default=0)
    duplicates = models.PositiveIntegerField(_("mục đã có"), default=0)
    stripped = models.PositiveIntegerField(_("thông tin cá nhân đã xóa"), default=0)
    errors = models.JSONField(_("dòng lỗi"), default=list, blank=True)
    # feeds only: fetched on a schedule, with backoff after failures
    url = models.URLField(_("địa chỉ nguồn tin"), max_length=1000, blank=True)
    active = models.BooleanField(_("đang theo dõi"), default=True)
    last_fetched_at = models.DateTimeField(_("lấy tin lần cuối"), null=True, blank=True)
    next_fetch_at = models.DateTimeField(_("lấy tin lần tới"), null=True, blank=True, db_index=True)
    failures = models.PositiveSmallIntegerField(_("số lần lỗi liên tiếp"), default=0)
    last_error = models.CharField(_("lỗi gần nhất"), max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người tải lên"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("thời điểm"), auto_now_add=True)

    class Meta:
        verbose_name = _("nguồn dữ liệu lắng nghe")
        verbose_name_plural = _("nguồn dữ liệu lắng nghe")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.name


class Item(models.Model):
    """One public post, comment or news item — its text and numbers, never its author."""

    source = models.ForeignKey(
        Source, verbose_name=_("nguồn"), on_delete=models.CASCADE, related_name="items"
    )
    document = models.ForeignKey(
        "plans.Document", verbose_name=_("kế hoạch"), on_delete=models.CASCADE, related_name="listening_items"
    )
    key = models.CharField(_("khóa chống trùng"), max_length=64)
    text = models.TextField(_("nội dung"))
    published_at = models.DateTimeField(_("thời điểm đăng"), db_index=True)
    platform = models.CharField(_("nền tảng"), max_length=40, blank=True)
    link = models.URLField(_("đường dẫn nguồn"), max_length=1000, blank=True)
    likes = models.PositiveIntegerField(_("lượt thích"), default=0)
    shares = models.PositiveIntegerField(_("lượt chia sẻ"), default=0)
    comments = models.PositiveIntegerField(_("lượt bình luận"), default=0)
    views = models.PositiveIntegerField(_("lượt xem"), default=0)
    # filled by the pipeline (loa.listening.pipeline)
    claimed_at = models.DateTimeField(_("bắt đầu xử lý"), null=True, blank=True)
    processed_at = models.DateTimeField(_("xử lý xong"), null=True, blank=True)
    sentiment = models.CharField(_("sắc thái"), max_length=10, blank=True, db_index=True)
    sentiment_score = models.FloatField(_("độ tin cậy sắc thái"), null=True, blank=True)
    theme = models.ForeignKey(
        "plans.Theme",
        verbose_name=_("chủ đề"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    theme_score = models.FloatField(
        _("độ tương đồng chủ đề"),
        null=True,
        blank=True,
        help_text=_("Độ tương đồng với chủ đề gần nhất trừ trung bình với các chủ đề của kế hoạch."),
    )
    group = models.ForeignKey(
        "self",
        verbose_name=_("nhóm trùng lặp"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="copies",
        help_text=_("Mục đầu tiên của nhóm tin gần trùng (đăng lại, chia sẻ lại)."),
    )
    keyphrases = models.JSONField(_("cụm từ khóa"), default=list, blank=True)

    class Meta:
        verbose_name = _("mục lắng nghe")
        verbose_name_plural = _("mục lắng nghe")
        constraints = [models.UniqueConstraint(fields=["document", "key"], name="listening_item_unique")]
        indexes = [
            models.Index(fields=["document", "published_at"]),
            models.Index(fields=["document", "theme"]),
            models.Index(fields=["processed_at", "claimed_at"]),
        ]

    def __str__(self) -> str:
        return self.text[:80]


class ItemBand(models.Model):
    """One MinHash band key of an item: items sharing a key are near-duplicates (loa.nlp.dedup)."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="+")
    document = models.ForeignKey("plans.Document", on_delete=models.CASCADE, related_name="+")
    key = models.BigIntegerField()

    class Meta:
        indexes = [models.Index(fields=["document", "key"])]

    def __str__(self) -> str:
        return f"{self.item_id}: {self.key}"


class Surge(models.Model):
    """An alert of the surge detector (loa.nlp.surges) on the desk's items."""

    document = models.ForeignKey(
        "plans.Document", verbose_name=_("kế hoạch"), on_delete=models.CASCADE, related_name="+"
    )

    class Window(models.TextChoices):
        DAY = "day", _("theo ngày")
        HOUR = "hour", _("theo giờ")

    topic = models.CharField(_("chủ đề"), max_length=200)
    label = models.CharField(_("nhãn"), max_length=500)
    window = models.CharField(_("cửa sổ"), max_length=4, choices=Window.choices, default=Window.DAY)
    window_start = models.DateTimeField(_("ngày"))
    observed = models.PositiveIntegerField(_("số mục"))
    expected = models.FloatField(_("số mục dự kiến"))
    p_value = models.FloatField(_("giá trị p"))
    severity = models.CharField(_("mức độ"), max_length=20)
    evidence = models.JSONField(_("các mục"), default=list)
    curve = models.JSONField(_("diễn biến"), default=list)
    created_at = models.DateTimeField(_("phát hiện lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("điểm nóng")
        verbose_name_plural = _("điểm nóng")
        ordering = ["-window_start", "p_value"]
        constraints = [
            models.UniqueConstraint(
                fields=["document", "topic", "window_start"], name="listening_surge_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.label} {self.window_start:%d/%m/%Y}"


class Claim(models.Model):
    """Items asserting the same thing (a near-duplicate group), checked and answered by the office."""

    class Status(models.TextChoices):
        UNVERIFIED = "unverified", _("Chưa xác minh")
        TRUE = "true", _("Đúng")
        FALSE = "false", _("Sai")
        MISLEADING = "misleading", _("Gây hiểu lầm")

    document = models.ForeignKey(
        "plans.Document", verbose_name=_("kế hoạch"), on_delete=models.CASCADE, related_name="+"
    )
    group = models.OneToOneField(
        Item, verbose_name=_("nhóm tin"), on_delete=models.CASCADE, related_name="claim"
    )
    summary = models.CharField(_("nội dung luận điệu"), max_length=500)
    joined = models.JSONField(
        _("nhóm tin khác lời đã gộp"),
        default=list,
        blank=True,
        help_text=_("Các nhóm tin nói cùng điều này bằng lời khác, người xác minh đã gộp vào."),
    )
    status = models.CharField(_("kết luận"), max_length=12, choices=Status.choices, default=Status.UNVERIFIED)
    official_link = models.URLField(_("thông tin chính thức"), max_length=1000, blank=True)
    answer = models.ForeignKey(
        "activities.Activity",
        verbose_name=_("hoạt động trả lời"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    first_seen = models.DateTimeField(_("xuất hiện lần đầu"))
    answered_at = models.DateTimeField(_("trả lời lúc"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người tạo"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("luận điệu cần xác minh")
        verbose_name_plural = _("luận điệu cần xác minh")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.summary[:80]


class DayTally(models.Model):
    """Processed items of a plan per local day, theme and sentiment: the desk's counts. Kept by the
    pipeline as items are processed, and kept when raw items are purged (an aggregate)."""

    document = models.ForeignKey(
        "plans.Document", verbose_name=_("kế hoạch"), on_delete=models.CASCADE, related_name="+"
    )
    day = models.DateField(_("ngày"))
    theme_key = models.PositiveBigIntegerField(
        _("chủ đề"), default=0, help_text=_("Mã chủ đề; 0: không thuộc chủ đề nào.")
    )
    sentiment = models.CharField(_("sắc thái"), max_length=10, blank=True)
    items = models.PositiveIntegerField(_("số mục"), default=0)

    class Meta:
        verbose_name = _("tổng hợp mục lắng nghe theo ngày")
        verbose_name_plural = _("tổng hợp mục lắng nghe theo ngày")
        constraints = [
            models.UniqueConstraint(
                fields=["document", "day", "theme_key", "sentiment"], name="listening_daytally_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.document_id} {self.day} {self.theme_key} {self.sentiment}: {self.items}"
