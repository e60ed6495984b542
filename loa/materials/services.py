"""Writes for the material library: import, new versions, publishing, scripts, uses."""

from __future__ import annotations

import difflib
import hashlib

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from loa.audit.services import log_action
from loa.core.errors import Refused
from loa.docparse.errors import DocumentError
from loa.docparse.readers import read_bytes

from . import paragraphs as para
from . import scripts
from .models import Access, Material, MaterialUse, MaterialVersion, Script, Variant

MAX_BYTES = 20 * 1024 * 1024


def _read(data: bytes, filename: str) -> tuple[dict, list[dict], str]:
    try:
        result = read_bytes(data, filename, max_bytes=MAX_BYTES)
    except DocumentError as exc:
        raise Refused(str(exc)) from exc
    fields, paragraphs = para.labelled(result.text)
    if not paragraphs:
        raise Refused(_("Tệp không có đoạn văn nào đọc được."))
    return fields, paragraphs, result.text


def import_material(
    *,
    document,
    office,
    kind: str,
    data: bytes,
    filename: str,
    actor,
    title: str = "",
    access: str = "public",
    themes=(),
    audiences=(),
) -> Material:
    """A new material from a DOCX, PDF or text file: version 1, a draft."""
    fields, paragraphs, text = _read(data, filename)
    with transaction.atomic():
        material = Material.objects.create(
            document=document,
            office=office,
            kind=kind,
            title=(title or fields.get("title") or filename)[:500],
            issuer_name=fields.get("issuer", "")[:300],
            number=fields.get("number", "")[:80],
            issued_on=fields.get("issued_on"),
            access=access,
            audiences=list(audiences),
            created_by=actor,
        )
        if themes:
            material.themes.set(themes)
        _version(material, paragraphs, text, filename)
        log_action("materials.material.imported", material, actor=actor, data={"paragraphs": len(paragraphs)})
    return material


def _version(material: Material, paragraphs: list[dict], text: str, filename: str) -> MaterialVersion:
    last = material.versions.order_by("-number").first()
    digest = hashlib.sha256(text.encode()).hexdigest()
    if last is not None and last.content_hash == digest:
        raise Refused(_("Nội dung giống hệt phiên bản %(n)d.") % {"n": last.number})
    return MaterialVersion.objects.create(
        material=material,
        number=(last.number + 1) if last else 1,
        text=text,
        paragraphs=paragraphs,
        content_hash=digest,
        filename=filename[:255],
    )


def new_version(*, material: Material, data: bytes, filename: str, actor) -> MaterialVersion:
    """A changed text is a new draft version; the published one stays as it is."""
    _fields, paragraphs, text = _read(data, filename)
    with transaction.atomic():
        draft = material.versions.filter(status=MaterialVersion.Status.DRAFT).first()
        if draft is not None:  # a draft may still change: replace it
            draft.delete()
        version = _version(material, paragraphs, text, filename)
        log_action("materials.version.created", version, actor=actor, data={"number": version.number})
    return version


def diff(old: MaterialVersion | None, new: MaterialVersion) -> list[tuple[str, str]]:
    """Paragraph-level changes: ("-", text) removed, ("+", text) added, ("=", label) unchanged."""
    a = [p["text"] for p in (old.paragraphs if old else [])]
    b = [p["text"] for p in new.paragraphs]
    out: list[tuple[str, str]] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if op == "equal":
            out.append(("=", _("%(n)d đoạn không đổi") % {"n": i2 - i1}))
        else:
            out += [("-", t) for t in a[i1:i2]]
            out += [("+", t) for t in b[j1:j2]]
    return out


def units_on(version: MaterialVersion) -> list:
    """Units that used this version (and no later one of the same material)."""
    from loa.org.models import Unit

    later = MaterialUse.objects.filter(
        version__material=version.material, version__number__gt=version.number
    ).values("unit_id")
    ids = MaterialUse.objects.filter(version=version).exclude(unit_id__in=later).values("unit_id")
    return list(Unit.objects.filter(pk__in=ids).order_by("name"))


def set_access(*, material: Material, access: str, actor) -> bool:
    """Change who may read a material (công khai / nội bộ), logged. Made internal, it leaves the public
    page, the feeds and the digests at once (they read the access each time). False when unchanged."""
    if access not in Access.values:
        raise Refused(_("Phạm vi không hợp lệ."))
    if material.access == access:
        return False
    old = material.access
    material.access = access
    material.save(update_fields=["access"])
    log_action("materials.material.access_changed", material, actor=actor, data={"from": old, "to": access})
    return True


def publish(*, version: MaterialVersion, actor) -> list:
    """Publish a draft; the version published before is superseded. Returns the units still using
    the superseded version (to be told)."""
    if version.status != MaterialVersion.Status.DRAFT:
        raise Refused(_("Chỉ phát hành được bản dự thảo; bản đã phát hành không thay đổi."))
    with transaction.atomic():
        old = version.material.published()
        still = units_on(old) if old else []
        if old is not None:
            old.status = MaterialVersion.Status.SUPERSEDED
            old.save(update_fields=["status"])
        version.status = MaterialVersion.Status.PUBLISHED
        version.published_at = timezone.now()
        version.published_by = actor
        version.save(update_fields=["status", "published_at", "published_by"])
        log_action(
            "materials.version.published",
            version,
            actor=actor,
            data={"superseded": old.number if old else None},
        )
    return still


def make_script(*, version: MaterialVersion, limit: int, actor, speaker: str = "") -> Script:
    if version.status != MaterialVersion.Status.PUBLISHED:
        raise Refused(_("Kịch bản chỉ dựng từ bản đã phát hành."))
    if limit not in scripts.LIMITS:
        raise Refused(_("Thời lượng phải là 60, 120 hoặc 180 giây."))
    text, secs = scripts.build(
        title=version.material.title,
        paragraphs=[p["text"] for p in version.paragraphs],
        limit=limit,
        speaker=speaker,
    )
    script = Script.objects.create(
        version=version, limit_seconds=limit, text=text, seconds=round(secs, 1), created_by=actor
    )
    log_action("materials.script.created", script, actor=actor, data={"seconds": script.seconds})
    return script


def edit_script(*, script: Script, text: str, actor) -> Script:
    if script.status == Script.Status.APPROVED:
        raise Refused(_("Kịch bản đã duyệt không sửa được; hãy dựng kịch bản mới."))
    script.text = text.strip()
    script.seconds = round(scripts.measure(script.text), 1)
    script.save(update_fields=["text", "seconds"])
    return script


def approve_script(*, script: Script, actor) -> Script:
    """A person approves; a script over its limit cannot be approved."""
    secs = scripts.measure(script.text)
    if secs > script.limit_seconds:
        raise Refused(
            _("Kịch bản dài %(s).0f giây, vượt thời lượng %(limit)d giây: hãy rút gọn trước khi duyệt.")
            % {"s": secs, "limit": script.limit_seconds}
        )
    with transaction.atomic():
        script.seconds = round(secs, 1)
        script.status = Script.Status.APPROVED
        script.approved_by = actor
        script.approved_at = timezone.now()
        script.save(update_fields=["seconds", "status", "approved_by", "approved_at"])
        log_action("materials.script.approved", script, actor=actor, data={"seconds": script.seconds})
    return script


def log_use(
    *, version: MaterialVersion, unit, kind: str, actor, script: Script | None = None, date=None
) -> MaterialUse:
    """A village head taps "Đã phát" (loudspeaker) or "Đã niêm yết" (bulletin board): the use is
    counted for the material and recorded as the unit's activity."""
    from loa.activities.services import record_activity

    if kind not in MaterialUse.Kind.values:
        raise Refused(_("Cách dùng không hợp lệ."))
    if kind == MaterialUse.Kind.BROADCAST and (script is None or script.status != Script.Status.APPROVED):
        raise Refused(_("Chỉ phát kịch bản đã được duyệt."))
    date = date or timezone.localdate()
    channel, form = (
        ("broadcast", "buoi_phat_thanh") if kind == MaterialUse.Kind.BROADCAST else ("visual", "to_roi")
    )
    with transaction.atomic():
        activity = record_activity(
            actor=actor,
            unit=unit,
            date=date,
            channel=channel,
            form=form,
            title=f"{MaterialUse.Kind(kind).label}: {version.material.title}"[:500],
            summary=_("Tài liệu %(title)s, phiên bản %(n)d.")
            % {"title": version.material.title, "n": version.number},
        )
        use = MaterialUse.objects.create(version=version, unit=unit, kind=kind, activity=activity)
        log_action("materials.use.logged", use, actor=actor, data={"kind": kind})
    return use


TIERS = {1: "Cốt cán", 2: "Cán bộ, đảng viên", 3: "Nhóm công chúng cụ thể", 4: "Toàn dân"}


def plan_audiences(document) -> list:
    """The groups the plan's current version names, as rows the office confirms; rows are created
    from the parse on first use and keep the office's decisions afterwards."""
    from .models import PlanAudience

    parsed = (
        (document.current_version.parsed or {}).get("audiences", []) if document.current_version_id else []
    )
    existing = {a.key for a in PlanAudience.objects.filter(document=document)}
    PlanAudience.objects.bulk_create(
        [
            PlanAudience(
                document=document,
                key=a.get("key") or a["name"],
                name=a["name"],
                tier=int(a.get("tier") or 4),
                sensitive=bool(a.get("sensitive")),
                source=a.get("source", ""),
            )
            for a in parsed
            if (a.get("key") or a["name"]) not in existing
        ],
        ignore_conflicts=True,
    )
    return list(PlanAudience.objects.filter(document=document))


def decide_audiences(*, document, confirmed_keys: set[str], actor) -> None:
    from .models import PlanAudience

    with transaction.atomic():
        for a in PlanAudience.objects.filter(document=document):
            a.confirmed = a.key in confirmed_keys
            a.decided_by = actor
            a.save(update_fields=["confirmed", "decided_by"])
        log_action(
            "materials.audiences.confirmed", document, actor=actor, data={"keys": sorted(confirmed_keys)}
        )


def make_portal_text(*, version: MaterialVersion, actor) -> Variant:
    if version.status != MaterialVersion.Status.PUBLISHED:
        raise Refused(_("Chỉ làm dạng thể hiện từ bản đã phát hành."))
    text = scripts.portal_text(
        title=version.material.title, paragraphs=[p["text"] for p in version.paragraphs]
    )
    variant = Variant.objects.create(version=version, kind=Variant.Kind.PORTAL, text=text)
    log_action(
        "materials.variant.created",
        variant,
        actor=actor,
        data={"kind": "portal", "words": scripts.words(text)},
    )
    return variant


def upload_handbook_pdf(*, version: MaterialVersion, data: bytes, actor) -> Variant:
    """The one-page PDF for the Sổ tay đảng viên điện tử, checked to be a PDF of one page."""
    import io
    import uuid

    from django.core.files.base import ContentFile
    from pypdf import PdfReader

    if version.status != MaterialVersion.Status.PUBLISHED:
        raise Refused(_("Chỉ làm dạng thể hiện từ bản đã phát hành."))
    if not data.lstrip()[:5] == b"%PDF-":
        raise Refused(_("Tệp phải là PDF."))
    try:
        pages = len(PdfReader(io.BytesIO(data)).pages)
    except Exception as exc:  # pypdf raises many kinds on a broken file
        raise Refused(_("Tệp PDF bị hỏng, không mở được.")) from exc
    if pages != 1:
        raise Refused(_("Bản cho Sổ tay phải đúng một trang; tệp này có %(n)d trang.") % {"n": pages})
    variant = Variant(version=version, kind=Variant.Kind.HANDBOOK)
    variant.file.save(f"so-tay-{uuid.uuid4().hex}.pdf", ContentFile(data), save=True)
    log_action("materials.variant.created", variant, actor=actor, data={"kind": "handbook"})
    return variant


def make_poster(*, version: MaterialVersion, url: str, actor, convert) -> Variant:
    """An A4 poster of a public published version: the title, its shortest sentences (slogans are
    short), the QR code; a PDF through ``convert`` (DOCX → PDF), to be approved by a person."""
    import uuid

    from django.core.files.base import ContentFile

    from .board import poster_docx

    if version.status != MaterialVersion.Status.PUBLISHED:
        raise Refused(_("Chỉ làm dạng thể hiện từ bản đã phát hành."))
    material = version.material
    short = sorted(scripts.sentences([p["text"] for p in version.paragraphs]), key=len)
    lines = [s for s in short if len(s) <= 120][:3]
    pdf = convert(
        poster_docx(
            title=material.title, lines=lines, issuer=material.issuer_name or material.office.name, url=url
        )
    )
    variant = Variant(version=version, kind=Variant.Kind.POSTER)
    variant.file.save(f"ap-phich-{uuid.uuid4().hex}.pdf", ContentFile(pdf), save=True)
    log_action("materials.variant.created", variant, actor=actor, data={"kind": "poster"})
    return variant


def edit_variant(*, variant: Variant, text: str, actor) -> Variant:
    if variant.status == Variant.Status.APPROVED:
        raise Refused(_("Bản đã duyệt không sửa được."))
    variant.text = text.strip()
    variant.save(update_fields=["text"])
    return variant


def approve_variant(*, variant: Variant, actor) -> Variant:
    if variant.kind == Variant.Kind.PORTAL and scripts.words(variant.text) > scripts.PORTAL_WORDS:
        raise Refused(
            _("Bài dài %(n)d chữ, vượt %(limit)d chữ: hãy rút gọn trước khi duyệt.")
            % {"n": scripts.words(variant.text), "limit": scripts.PORTAL_WORDS}
        )
    with transaction.atomic():
        variant.status = Variant.Status.APPROVED
        variant.approved_by = actor
        variant.approved_at = timezone.now()
        variant.save(update_fields=["status", "approved_by", "approved_at"])
        log_action("materials.variant.approved", variant, actor=actor, data={"kind": variant.kind})
    return variant


def log_handbook(*, variant: Variant, unit, actor, date=None):
    """The officer uploaded the approved PDF to the Sổ tay: a ``handbook`` activity of the unit."""
    from loa.activities.services import record_activity

    if variant.kind != Variant.Kind.HANDBOOK or variant.status != Variant.Status.APPROVED:
        raise Refused(_("Chỉ ghi nhận bản PDF cho Sổ tay đã được duyệt."))
    with transaction.atomic():
        activity = record_activity(
            actor=actor,
            unit=unit,
            date=date or timezone.localdate(),
            channel="handbook",
            form="tin",
            title=f"Sổ tay đảng viên: {variant.version.material.title}"[:500],
        )
        use = MaterialUse.objects.create(
            version=variant.version, unit=unit, kind=MaterialUse.Kind.USED, activity=activity
        )
        log_action("materials.use.logged", use, actor=actor, data={"kind": "handbook"})
    return use


def adapt(*, source: Material, document, office, actor) -> Material:
    """A commune adapts a material of the plan its own plan implements: a new draft material of the
    commune's plan, its text copied from the source's published version, the link kept."""
    version = source.published()
    if version is None:
        raise Refused(_("Tài liệu gốc chưa được phát hành."))
    with transaction.atomic():
        material = Material.objects.create(
            document=document,
            office=office,
            kind=source.kind,
            title=source.title,
            issuer_name=office.name[:300],
            access=source.access,
            audiences=list(source.audiences or []),
            source=source,
            source_version=version,
            created_by=actor,
        )
        MaterialVersion.objects.create(
            material=material,
            number=1,
            text=version.text,
            paragraphs=version.paragraphs,
            content_hash=version.content_hash,
            filename=version.filename,
        )
        log_action(
            "materials.material.adapted",
            material,
            actor=actor,
            data={"source": source.pk, "version": version.number},
        )
    return material
