"""Text clean-up before structure is read: Unicode, markup, page breaks, stray page numbers, OCR slips.

In: raw text of any reader. Out: a list of logical lines (one paragraph or heading each) and the
Vietnamese warnings describing every repair made.
"""

import re
import unicodedata

_MD_EMPH = re.compile(r"(\*\*|__|(?<!\w)\*(?=\S)|(?<=\S)\*(?!\w))")
_RULE = re.compile(r"^\s*([-_=*]\s*){3,}$")
_LEADING_RULE = re.compile(r"^\s*[-_=]{4,}\s*(?=\S)")
_PAGE_NUMBER_LINE = re.compile(r"^\s*(?:-\s*)?\d{1,3}(?:\s*-)?\s*$")
_LIST_START = re.compile(r"^\s*(?:[-+•*–]\s|[a-zđ]\)|\d+[.)]\s|[IVX]+[.\-]\s)")
_SENTENCE_END = re.compile(r"[.!?:;…]\s*$|\./\.\s*$")
_LOWER_START = re.compile(r"^[a-zàáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ(“\"]")
_STRAY_NUMBER = re.compile(
    r"(?<=[a-zàáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ]{2})\s(\d{1,3})\s(?=[A-ZĐÂĂÊÔƠƯÁÀẢÃẠÉÈẺẼẸÍÌỈĨỊÓÒỎÕỌÚÙỦŨỤÝỲỶỸỴ][a-zàáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ])"
)
# Words before which a number is part of the text, not a page number ("khóa 5 Hội nghị").
_COUNTING_WORDS = {
    "khóa", "khoá", "số", "lần", "thứ", "điều", "khoản", "mục", "chương", "phần", "tháng", "năm", "ngày",
    "quý", "kỳ", "đợt", "đoạn", "nhóm", "tổ", "lớp", "phường", "quận", "xã", "thôn", "ương", "tầng", "đường",
    "phố", "hạng", "cấp", "bậc", "tuổi", "vòng", "top",
}  # fmt: skip
# Common slips of OCR and typing that are never correct Vietnamese, with their repair.
OCR_SLIPS = {
    "chuyên đổi số": "chuyển đổi số",
    "chuyên đổi xanh": "chuyển đổi xanh",
    "chuyên đổi": "chuyển đổi",
    "Lòng ghép": "Lồng ghép",
    "lòng ghép": "lồng ghép",
    "ùng ngập": "úng ngập",
    "hải hòa": "hài hòa",
    "ô niêm": "ô nhiễm",
}
_OCR_RE = re.compile("|".join(re.escape(k) for k in sorted(OCR_SLIPS, key=len, reverse=True)))


_SPACES = re.compile(r"[ \t\u00a0\u2002-\u200b]+")
_MD_HEADING_M = re.compile(r"^[ \t]{0,3}#{1,6}[ \t]*", re.M)
_LEADING_RULE_M = re.compile(r"^[ \t]*[-_=]{4,}[ \t]*(?=\S)", re.M)


def normalize(raw: str) -> tuple[list[str], list[str]]:
    """Return (logical lines, warnings). Blank lines are dropped after they have been used to
    tell paragraphs apart; a sentence cut by a page break is joined back."""
    warnings: list[str] = []
    text = unicodedata.normalize("NFC", raw).replace("\r\n", "\n").replace("\r", "\n").replace("\x0c", "\n\n")
    text = text.replace("\u200b", "").replace("\ufeff", "")
    # Whole-text passes are much faster than the same substitutions line by line.
    text = _MD_HEADING_M.sub("", text)
    text = _MD_EMPH.sub("", text)
    raw_lines = text.split("\n")
    lines: list[str] = []
    blank_before: list[bool] = []
    pending_blank = False
    dropped_numbers = 0
    for raw_line in raw_lines:
        if _RULE.match(raw_line):
            pending_blank = True
            continue
        line = _SPACES.sub(" ", _LEADING_RULE.sub("", raw_line)).strip()
        if not line:
            pending_blank = True
            continue
        if _PAGE_NUMBER_LINE.match(line) and not re.match(r"^\d+[.)]", line):
            dropped_numbers += 1
            pending_blank = True
            continue
        lines.append(line)
        blank_before.append(pending_blank)
        pending_blank = False
    if dropped_numbers:
        warnings.append(f"Đã bỏ {dropped_numbers} dòng chỉ có số trang.")

    # Text converted from PDF keeps the page's line breaks: most lines are about as long as the
    # widest one. There a line that does not end a sentence continues on the next, whatever its case.
    long_lines = [len(x) for x in lines if len(x) > 40]
    width = sorted(long_lines)[len(long_lines) * 9 // 10] if long_lines else 0
    hard_wrapped = (
        len(long_lines) > 10
        and width < 120
        and sum(1 for x in long_lines if x > width * 0.8) > len(lines) / 3
    )

    out: list[str] = []
    page_joins = 0
    soft_joins = 0
    prev_len = 0
    for line, blank in zip(lines, blank_before, strict=True):
        joinable = out and not _SENTENCE_END.search(out[-1]) and not _LIST_START.match(line)
        wrapped = hard_wrapped and not blank and prev_len > width * 0.8 and not line.isupper()
        if joinable and (_LOWER_START.match(line) or wrapped):
            if blank:
                page_joins += 1
            else:
                soft_joins += 1
            out[-1] = f"{out[-1]} {line}"
        else:
            out.append(line)
        prev_len = len(line)
    if page_joins:
        warnings.append(f"Đã nối {page_joins} câu bị ngắt giữa chừng (ngắt trang).")
    if soft_joins:
        warnings.append(f"Đã nối {soft_joins} dòng bị xuống dòng cứng giữa câu.")

    stray = 0
    slips: dict[str, int] = {}

    def drop_number(m: re.Match) -> str:
        nonlocal stray
        before = m.string[max(0, m.start() - 12) : m.start()].split()
        if before and before[-1].lower() in _COUNTING_WORDS:
            return m.group(0)
        stray += 1
        return " "

    def fix_slip(m: re.Match) -> str:
        slips[m.group(0)] = slips.get(m.group(0), 0) + 1
        return OCR_SLIPS[m.group(0)]

    result = []
    for line in out:
        line = _STRAY_NUMBER.sub(drop_number, line)
        line = _OCR_RE.sub(fix_slip, line)
        result.append(line)
    if stray:
        warnings.append(f"Đã bỏ {stray} số trang lẫn trong câu.")
    for slip, count in slips.items():
        warnings.append(f"Đã sửa lỗi chính tả/nhận dạng “{slip}” → “{OCR_SLIPS[slip]}” ({count} chỗ).")
    return result, warnings


def fold(text: str) -> str:
    """Lowercase without diacritics, for matching keywords with or without accents."""
    text = unicodedata.normalize("NFD", text.lower()).replace("đ", "d")
    return "".join(ch for ch in text if unicodedata.category(ch) != "Mn")
