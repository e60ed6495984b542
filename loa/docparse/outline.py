"""The outline, read from the numbering (I., 1., 1.1., 1.2.3.4., a), party style I-, 1-), not from markup."""

import re

from .model import Section

ROMAN = re.compile(r"^(?P<label>(?:X{0,3})(?:IX|IV|V?I{0,3}))\s*[.\-–/]\s*(?P<rest>\S.*)$")
DECIMAL = re.compile(
    r"^(?P<label>\d{1,2}(?:\.\d{1,2}){0,5})\s*(?:[.\-–)]\s*|\s+(?=[A-ZĐÂĂÊÔƠƯ]))(?P<rest>\S.*)$"
)
LETTER = re.compile(r"^(?P<label>[a-zđ])\s*[).]\s*(?P<rest>\S.*)$")
BULLET = re.compile(r"^\s*([-+•*–—·▪●○◦])\s*")
CLOSING = re.compile(r"^(Trên đây là|Trên đây)\b|\./\.\s*$")
RECIPIENTS = re.compile(r"^(Nơi nhận|Nơi gửi)\s*:?", re.IGNORECASE)

_ROMAN_VALUES = {"I": 1, "V": 5, "X": 10}


def roman_value(label: str) -> int:
    total = 0
    for a, b in zip(label, label[1:] + " ", strict=True):
        v = _ROMAN_VALUES[a]
        total += -v if b != " " and _ROMAN_VALUES[b] > v else v
    return total


def classify(line: str) -> tuple[str, str, str] | None:
    """(style, label, rest) when the line starts with a section label."""
    m = ROMAN.match(line)
    if m and m["label"]:
        return "roman", m["label"], m["rest"]
    m = DECIMAL.match(line)
    if m and not re.match(r"^\d{1,2}\.\d", line[len(m["label"]) :]):
        first = int(m["label"].split(".")[0])
        if first <= 60 and not re.match(r"^(/|%|tháng|năm|giờ|ngày)", m["rest"]):
            return "decimal", m["label"], m["rest"]
    m = LETTER.match(line)
    if m and m["rest"][:1].isupper():
        return "letter", m["label"], m["rest"]
    return None


def _rank(style: str, label: str) -> int:
    if style == "roman":
        return 0
    if style == "decimal":
        return label.count(".") + 1
    return 20


def _split_heading(rest: str) -> tuple[str, str]:
    """'Mục đích: Tuyên truyền ...' → heading 'Mục đích', text after the colon (only for long lines)."""
    if len(rest) > 160:
        m = re.match(r"^(.{3,120}?):\s+(.{40,})$", rest)
        if m:
            return m.group(1).strip(), m.group(2).strip()
    return rest.strip().rstrip(":").strip(), ""


def build_outline(lines: list[str]) -> tuple[list[Section], list[str], list[str]]:
    """Return (top-level sections, preamble lines before the first section, closing lines after the body).

    Closing lines start at "Trên đây là ...", a paragraph ending "./." or "Nơi nhận".
    """
    roots: list[Section] = []
    stack: list[tuple[int, Section]] = []
    preamble: list[str] = []
    closing: list[str] = []
    seen_roman = False
    expected_roman = 1
    for i, line in enumerate(lines):
        if RECIPIENTS.match(line) or (CLOSING.search(line) and stack):
            closing = lines[i:]
            break
        c = classify(line)
        if c and c[0] == "roman":
            value = roman_value(c[1])
            # A Roman label out of sequence is most likely a word ("V. KHẨU HIỆU" is fine, "I- ..." too).
            in_sequence = value in (expected_roman, expected_roman - 1, expected_roman + 1) or not seen_roman
            if not in_sequence and not c[2].isupper():
                c = None
            else:
                seen_roman = True
                expected_roman = value + 1
        if c is None:
            if stack:
                stack[-1][1].lines.append(line)
            else:
                preamble.append(line)
            continue
        style, label, rest = c
        if style == "letter" and not stack:
            preamble.append(line)
            continue
        heading, text = _split_heading(rest)
        section = Section(label=label, heading=heading, style=style)
        if text:
            section.lines.append(text)
        rank = _rank(style, label)
        while stack and stack[-1][0] >= rank:
            stack.pop()
        if stack:
            stack[-1][1].children.append(section)
        else:
            roots.append(section)
        stack.append((rank, section))
    for root in roots:
        for s in root.walk():
            s.text = " ".join(
                BULLET.sub("", ln) if ln.startswith(("-", "+", "•")) else ln for ln in s.lines
            ).strip()
    return roots, preamble, closing
