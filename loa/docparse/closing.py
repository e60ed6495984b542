"""The closing block: recipients (Nơi nhận) and the signer (authority lines, position, name)."""

import re

from .model import Recipient, Signer
from .outline import RECIPIENTS

AUTHORITY = re.compile(r"^(K/T|KT\.?|T/M|TM\.?|Q\.|Q/|TL\.?|T/L|TUQ\.?|TM\b|THỪA LỆNH|THỪA ỦY QUYỀN)\s*\S")
_POSITION_WORDS = re.compile(
    r"\b(CHỦ TỊCH|TRƯỞNG|PHÓ|BÍ THƯ|GIÁM ĐỐC|CHÁNH|THỦ TƯỚNG|BỘ TRƯỞNG|TỔNG|ỦY VIÊN|CHỦ NHIỆM|VIỆN TRƯỞNG|HIỆU TRƯỞNG)\b"
)
_PURPOSE = re.compile(r"\(\s*(?P<p>[^()]{2,40})\s*\)\s*[,;.]?\s*$")
_NAME = re.compile(r"^[A-ZĐÂĂÊÔƠƯÁÀẢÃẠÉÈÍÌÓÒÚÙÝ][^\d,;:()]{1,40}$")
_SKIP = re.compile(r"^\(?\s*(đã ký|ký|ký tên|ký, ghi rõ|đóng dấu)", re.IGNORECASE)


def _purpose_text(raw: str) -> str:
    p = raw.strip()
    low = p.lower()
    if low in {"b/c", "báo cáo"}:
        return "báo cáo"
    if low in {"t/h", "th", "thực hiện"}:
        return "thực hiện"
    return p


def read_closing(lines: list[str]) -> tuple[list[Recipient], Signer | None]:
    recipients: list[Recipient] = []
    start = next((i for i, ln in enumerate(lines) if RECIPIENTS.match(ln)), None)
    signer_lines: list[str] = []
    brace_pending: str | None = None
    if start is not None:
        head = RECIPIENTS.sub("", lines[start]).strip(" :")
        rest = ([head] if head else []) + lines[start + 1 :]
    else:
        rest = lines
    for line in rest:
        if start is not None and re.match(r"^[-+•*]\s*", line) and not AUTHORITY.match(line):
            text = re.sub(r"^[-+•*]\s*", "", line).strip()
            purpose = None
            if "}" in text:
                text, _, tail = text.partition("}")
                m = _PURPOSE.search(tail) or re.search(r"(?P<p>\S.{1,40})", tail)
                purpose = _purpose_text(m["p"]) if m else None
                brace_pending = purpose
            else:
                m = _PURPOSE.search(text)
                if m:
                    purpose = _purpose_text(m["p"])
                    text = text[: m.start()]
                elif brace_pending:
                    # A brace "}" stands beside at least two lines: the next line shares its purpose.
                    purpose, brace_pending = brace_pending, None
            name = text.strip().rstrip(",;.").strip()
            if name:
                recipients.append(Recipient(name=name, purpose=purpose))
            continue
        brace_pending = None
        signer_lines.append(line)
    return recipients, _read_signer(signer_lines)


def _read_signer(lines: list[str]) -> Signer | None:
    authority: list[str] = []
    position = None
    name = None
    for line in lines:
        for cell in (c.strip() for c in line.split(" | ")):
            if not cell or _SKIP.match(cell):
                continue
            if AUTHORITY.match(cell) and cell.isupper() and position is None:
                authority.append(cell)
            elif cell.isupper() and _POSITION_WORDS.search(cell) and position is None and len(cell) < 60:
                position = cell
            elif (position or authority) and name is None and _NAME.match(cell) and not cell.isupper():
                words = cell.split()
                if 2 <= len(words) <= 5 and all(w[:1].isupper() for w in words):
                    name = cell
    if not authority and position is None and name is None:
        return None
    return Signer(name=name, position=position, authority=" / ".join(authority) or None)
