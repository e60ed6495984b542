"""Bodies (đơn vị) and the administrative areas they sit in.

Rows are written only by ``loa.org.services``; keys (``normalized_name``) come from
``loa.org.text.name_key``.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AreaLevel(models.TextChoices):
    CENTRAL = "central", _("Trung ương")
    PROVINCE = "province", _("Tỉnh, thành phố")
    COMMUNE = "commune", _("Xã, phường, đặc khu")


class Area(models.Model):
    """An administrative unit from ``vietnam-provinces`` (post-2025: province, then commune)."""

    code = models.CharField(_("mã"), max_length=10, unique=True)
    name = models.CharField(_("tên"), max_length=200)
    short_name = models.CharField(_("tên địa danh"), max_length=200, blank=True)
    level = models.CharField(_("cấp"), max_length=20, choices=AreaLevel.choices)
    division_type = models.CharField(_("loại đơn vị hành chính"), max_length=40, blank=True)
    codename = models.CharField(_("mã chữ"), max_length=100, blank=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("thuộc"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )

    class Meta:
        verbose_name = _("đơn vị hành chính")
        verbose_name_plural = _("đơn vị hành chính")
        ordering = ["code"]
        indexes = [models.Index(fields=["level", "parent"])]

    def __str__(self) -> str:
        return self.name


class UnitType(models.TextChoices):
    PARTY_COMMITTEE = "party_committee", _("Đảng ủy, cấp ủy")
    PARTY_BOARD = "party_board", _("Ban, cơ quan Đảng")
    PEOPLES_COUNCIL = "peoples_council", _("Hội đồng nhân dân")
    PEOPLES_COMMITTEE = "peoples_committee", _("Ủy ban nhân dân")
    DEPARTMENT = "department", _("Sở, phòng, ban chuyên môn")
    FRONT_ORG = "front_org", _("Mặt trận Tổ quốc, đoàn thể")
    PRESS = "press", _("Cơ quan báo chí")
    SERVICE_CENTRE = "service_centre", _("Trung tâm, đơn vị sự nghiệp")
    SCHOOL = "school", _("Trường học")
    VILLAGE = "village", _("Thôn, tổ dân phố")
    OFFICE = "office", _("Văn phòng")
    OTHER = "other", _("Khác")


class UnitStatus(models.TextChoices):
    CONFIRMED = "confirmed", _("Đã xác nhận")
    UNCONFIRMED = "unconfirmed", _("Chưa xác nhận")
    MERGED = "merged", _("Đã gộp")


class Unit(models.Model):
    """A body (cơ quan, tổ chức): a type, a parent body and an area."""

    name = models.CharField(_("tên đơn vị"), max_length=300)
    short_name = models.CharField(_("tên ngắn"), max_length=200, blank=True)
    unit_type = models.CharField(
        _("loại đơn vị"), max_length=30, choices=UnitType.choices, default=UnitType.OTHER
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("đơn vị cấp trên"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="children",
    )
    area = models.ForeignKey(
        Area,
        verbose_name=_("địa bàn"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="units",
    )
    status = models.CharField(
        _("trạng thái"), max_length=20, choices=UnitStatus.choices, default=UnitStatus.UNCONFIRMED
    )
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("đã gộp vào"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="merged_units",
    )
    normalized_name = models.CharField(_("khóa tên"), max_length=300, db_index=True, editable=False)
    standard_key = models.CharField(_("mã đơn vị chuẩn"), max_length=60, blank=True, db_index=True)
    created_at = models.DateTimeField(_("ngày tạo"), auto_now_add=True)

    class Meta:
        verbose_name = _("đơn vị")
        verbose_name_plural = _("đơn vị")
        ordering = ["name", "id"]
        indexes = [
            models.Index(fields=["area", "normalized_name"]),
            models.Index(fields=["status", "created_at"]),
        ]

    def __str__(self) -> str:
        return self.name


class UnitAlias(models.Model):
    """Another spelling of the same body, resolved within one area ("UBND TP" in Hà Nội)."""

    unit = models.ForeignKey(Unit, verbose_name=_("đơn vị"), on_delete=models.CASCADE, related_name="aliases")
    name = models.CharField(_("tên gọi khác"), max_length=300)
    normalized_name = models.CharField(_("khóa tên"), max_length=300, db_index=True, editable=False)
    area = models.ForeignKey(Area, verbose_name=_("địa bàn"), on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(_("ngày tạo"), auto_now_add=True)

    class Meta:
        verbose_name = _("tên gọi khác")
        verbose_name_plural = _("tên gọi khác")
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["area", "normalized_name"], name="org_alias_unique_in_area")
        ]

    def __str__(self) -> str:
        return self.name


class MemberLevel(models.TextChoices):
    PROVINCE = "province", _("Cấp tỉnh, thành phố")
    COMMUNE = "commune", _("Cấp xã, phường")
    VILLAGE = "village", _("Thôn, tổ dân phố")


class UnitGroup(models.Model):
    """A phrase naming several bodies ("các sở, ban, ngành Thành phố"), with a membership rule.

    Members are the confirmed units in the subtree of ``area`` that match every rule that is
    set: ``member_type``, ``member_level`` (the level of their area; villages sit in a commune)
    and ``member_parent``. See ``selectors.group_members``.
    """

    name = models.CharField(_("tên nhóm"), max_length=300)
    normalized_name = models.CharField(_("khóa tên"), max_length=300, db_index=True, editable=False)
    area = models.ForeignKey(
        Area, verbose_name=_("địa bàn"), on_delete=models.CASCADE, related_name="unit_groups"
    )
    member_type = models.CharField(
        _("loại đơn vị thành viên"), max_length=30, choices=UnitType.choices, blank=True
    )
    member_level = models.CharField(
        _("cấp của đơn vị thành viên"), max_length=20, choices=MemberLevel.choices, blank=True
    )
    member_parent = models.ForeignKey(
        Unit,
        verbose_name=_("trực thuộc đơn vị"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    description = models.TextField(_("mô tả"), blank=True)
    standard_key = models.CharField(_("mã nhóm chuẩn"), max_length=60, blank=True, db_index=True)
    created_at = models.DateTimeField(_("ngày tạo"), auto_now_add=True)

    class Meta:
        verbose_name = _("nhóm đơn vị")
        verbose_name_plural = _("nhóm đơn vị")
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["area", "normalized_name"], name="org_group_unique_in_area")
        ]

    def __str__(self) -> str:
        return self.name


class UnitGroupAlias(models.Model):
    """Another wording of a group ("các sở, ngành TP"), resolved within one area."""

    group = models.ForeignKey(
        UnitGroup, verbose_name=_("nhóm đơn vị"), on_delete=models.CASCADE, related_name="aliases"
    )
    name = models.CharField(_("tên gọi khác"), max_length=300)
    normalized_name = models.CharField(_("khóa tên"), max_length=300, db_index=True, editable=False)
    area = models.ForeignKey(Area, verbose_name=_("địa bàn"), on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = _("tên gọi khác của nhóm")
        verbose_name_plural = _("tên gọi khác của nhóm")
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["area", "normalized_name"], name="org_group_alias_unique_in_area")
        ]

    def __str__(self) -> str:
        return self.name
