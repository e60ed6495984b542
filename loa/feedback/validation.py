"""What a citizen may send: text, contact details and one attachment, each checked by content.

Every refusal is a :class:`Refused` with a Vietnamese message the public page shows as is.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _

from loa.core.errors import Refused
from loa.nlp.normalize import normalize

TEXT_MIN = 10
TEXT_MAX = 5000
NAME_MAX = 100
_PHONE = re.compile(r"^(?:\+?84|0)\d{9,10}$")
_EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]{1,190}\.[A-Za-z]{2,24}$")


def clean_text(raw: str, *, field: str = "") -> str:
    """NFC, no control / zero-width / bidirectional-override characters, no combining-mark
    floods, at most one blank line in a row. Markup is kept as text: templates escape it."""
    text = normalize(raw or "")
    text = re.sub(r"[ \t]*\n[ \t]*", "\n", text)
    text = re.sub(r"\n{3,}", "\n\n", text).strip()
    return text


def check_text(raw: str) -> str:
    text = clean_text(raw)
    if len(text) < TEXT_MIN:
        raise Refused(_("Nội dung quá ngắn: xin viết ít nhất %(n)d ký tự.") % {"n": TEXT_MIN})
    if len(text) > TEXT_MAX:
        raise Refused(_("Nội dung quá dài: tối đa %(n)d ký tự.") % {"n": TEXT_MAX})
    if not re.search(r"[^\W\d_]", text):
        raise Refused(_("Nội dung không có chữ nào."))
    return text


@dataclass
class Contact:
    name: str = ""
    phone: str = ""
    email: str = ""

    def __bool__(self) -> bool:
        return bool(self.name or self.phone or self.email)

    def as_dict(self) -> dict[str, str]:
        return {"name": self.name, "phone": self.phone, "email": self.email}


def check_contact(name: str = "", phone: str = "", email: str = "") -> Contact:
    name = clean_text(name)[: NAME_MAX + 1]
    if len(name) > NAME_MAX:
        raise Refused(_("Họ tên quá dài."))
    phone = re.sub(r"[\s.\-()]", "", phone or "")
    if phone and not _PHONE.match(phone):
        raise Refused(_("Số điện thoại không hợp lệ (ví dụ 0912345678)."))
    email = (email or "").strip()
    if email and not _EMAIL.match(email):
        raise Refused(_("Địa chỉ thư điện tử không hợp lệ."))
    if name and not (phone or email):
        raise Refused(_("Để nhận trả lời trực tiếp, xin để lại số điện thoại hoặc thư điện tử."))
    return Contact(name=name, phone=phone, email=email)


# kind -> (signature test, extension)
_IMAGE_TYPES = {"image/jpeg": ".jpg", "image/png": ".png", "image/webp": ".webp"}


def sniff(head: bytes) -> str | None:
    """The file's real type from its first bytes, whatever its name says."""
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    if head.lstrip(b"\r\n\t ")[:5] == b"%PDF-":
        return "application/pdf"
    return None


def extension(content_type: str) -> str:
    return _IMAGE_TYPES.get(content_type, ".pdf")


def check_attachment(data: bytes) -> str:
    """The content type of an acceptable attachment: a JPEG, PNG or WebP image that decodes, or a
    PDF that opens, under the size limit. Anything else is refused."""
    limit = settings.LOA_FEEDBACK_MAX_ATTACHMENT_MB * 1024 * 1024
    if not data:
        raise Refused(_("Tệp đính kèm rỗng."))
    if len(data) > limit:
        raise Refused(
            _("Tệp đính kèm quá lớn: tối đa %(n)d MB.") % {"n": settings.LOA_FEEDBACK_MAX_ATTACHMENT_MB}
        )
    kind = sniff(data[:16])
    if kind is None:
        raise Refused(
            _(
                "Tệp đính kèm phải là ảnh (JPEG, PNG, WebP) hoặc PDF; tệp này không phải (kiểm tra theo nội dung, không theo tên)."
            )
        )
    if kind == "application/pdf":
        from pypdf import PdfReader

        try:
            pages = len(PdfReader(io.BytesIO(data)).pages)
        except Exception as exc:  # pypdf raises many kinds on a broken file
            raise Refused(_("Tệp PDF bị hỏng, không mở được.")) from exc
        if pages == 0:
            raise Refused(_("Tệp PDF không có trang nào."))
        return kind
    from PIL import Image

    Image.MAX_IMAGE_PIXELS = 40_000_000  # a decompression bomb is refused, not decoded
    try:
        with Image.open(io.BytesIO(data)) as image:
            image.verify()
    except Exception as exc:  # Pillow raises many kinds on a broken or hostile image
        raise Refused(_("Ảnh bị hỏng hoặc quá lớn, không mở được.")) from exc
    return kind
