"""The structure of an official document, as plain dataclasses (no Django, no python-docx)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


@dataclass
class Heading:
    """A numbered part heading as written ("I. KẾT QUẢ THỰC HIỆN", "1. Công tác tuyên truyền")."""

    text: str
    level: int = 1


@dataclass
class Paragraph:
    """Body text: justified, first line indented."""

    text: str
    italic: bool = False


@dataclass
class Bullet:
    """A dash item ("- Đăng 12 tin, bài ..."), indented like body text."""

    text: str


@dataclass
class Table:
    """A ruled table; the first row is the header (bold, centred). ``widths_cm`` optional."""

    header: list[str]
    rows: list[list[str]]
    widths_cm: list[float] | None = None
    caption: str = ""


@dataclass
class Image:
    """A picture (PNG bytes), centred, ``width_cm`` wide, with an optional caption below."""

    data: bytes
    width_cm: float = 15.0
    caption: str = ""


Block = Heading | Paragraph | Bullet | Table | Image


@dataclass
class Signature:
    """The signing block: "TM. ỦY BAN NHÂN DÂN" / "KT. CHỦ TỊCH" / "PHÓ CHỦ TỊCH", then the name."""

    authority: str = ""  # "TM. ỦY BAN NHÂN DÂN", "T/M BAN THƯỜNG VỤ"; empty when the head signs
    deputy: str = ""  # "KT. CHỦ TỊCH", "K/T TRƯỞNG BAN"
    position: str = ""  # "PHÓ CHỦ TỊCH", "PHÓ TRƯỞNG BAN"
    name: str = ""


@dataclass
class OfficialDocument:
    """One document: header, kind and title, body blocks, recipients and signature."""

    issuer: str  # "ỦY BAN NHÂN DÂN XÃ HƯNG ĐẠO", "BAN TUYÊN GIÁO VÀ DÂN VẬN THÀNH ỦY"
    kind: str  # "BÁO CÁO", "KẾ HOẠCH"
    title: str  # "Kết quả công tác thông tin, tuyên truyền tháng 6 năm 2026"
    number: str = ""  # "15/BC-UBND", "66-BC/ĐU"; empty: a draft ("Số:      /BC-UBND")
    issuer_parent: str = ""  # "ĐẢNG BỘ THÀNH PHỐ HÀ NỘI", "UBND THÀNH PHỐ HÀ NỘI"
    place: str = ""  # "Hưng Đạo", "Hà Nội"
    date: dt.date | None = None
    body: list[Block] = field(default_factory=list)
    recipients: list[str] = field(default_factory=list)
    archive: str = ""  # the last recipient line's tail: "VT, VHXH" → "- Lưu: VT, VHXH."
    signature: Signature = field(default_factory=Signature)
    draft: bool = False  # marked "DỰ THẢO" above the title
