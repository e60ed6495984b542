"""Vietnamese spoken form for loudspeaker ("loa truyền thanh") scripts: text in, text as the
broadcaster reads it out. Pure Python, no Django; :func:`spoken` never raises on any ``str``
(hypothesis-tested).

- :func:`spoken`: dates, times, numbers, percentages, ranges, units, ordinals, Roman numerals,
  document numbers, web and e-mail addresses and abbreviations → words.
  "17/3/2026" → "ngày mười bảy tháng ba năm hai nghìn không trăm hai mươi sáu",
  "UBND" → "Ủy ban nhân dân", "bài/tháng" → "bài mỗi tháng".
- :func:`number_words`: an ``int`` in words ("hai mươi mốt", "một trăm linh năm").
- :func:`syllable_count` and :func:`seconds`: length of the spoken form (scripts are limited to
  60/120/180 s at 200 syllables a minute).
- :func:`unknown_tokens`: what :func:`spoken` left as written but a reader cannot say
  (abbreviations missing from the lexicon: "GRDP", "VT") — for the office to add.
- :class:`Lexicon`: the editable abbreviations, units and "/"-words, shipped as
  ``data/spoken_lexicon.json``; ``Lexicon.load().merge({"KH": "kế hoạch"})`` adds or overrides.

Readings chosen (what a broadcaster of a commune or ward station says):

- Numbers: 21 "hai mươi mốt", 24 "hai mươi tư" ("tư" for 4 after "mươi"; "mười bốn" after
  "mười"), 25 "hai mươi lăm", 15 "mười lăm", 101 "một trăm linh một" (northern "linh"; the
  lexicon's ``settings.zero_tens`` = "lẻ" gives the southern reading), 1001 "một nghìn không trăm
  linh một", "nghìn", "triệu", "tỷ"; a group of zeros is skipped (1 000 010 "một triệu không
  trăm mười"); negative "âm …". "12.000" is twelve thousand (Vietnamese thousands dot), "3,5"
  "ba phẩy năm"; "1.2.3" (a section number) "một chấm hai chấm ba"; "01 bản" "một bản".
- Dates: "ngày D tháng M năm Y", months "tháng một" … "tháng tư" … "tháng mười hai" (the
  official calendar; no "giêng"/"chạp"), days without "mồng". "ngày" is not doubled after "ngày",
  "mùng" or "mồng". "3/2026" "tháng ba năm …". A bare "17/3" is a date; a proper fraction such
  as "2/3" is "hai phần ba" unless a date word ("ngày", "sáng", "từ", "đến" …) precedes it.
- Times: "7h30", "7:30", "7 giờ 30" → "bảy giờ ba mươi phút"; "8:00", "8h" → "tám giờ".
- Ranges "2021-2025", "2026 - 2031", "5-7" → "… đến …" when the first number is the smaller.
- Ordinals: "thứ 1" "thứ nhất", "thứ 4" "thứ tư", "thứ 2" "thứ hai". Roman numerals are read after
  "khóa", "Đại hội", "kỳ", "lần", "phần", "chương", "mục", "quý", "thế kỷ", "giai đoạn", "thứ"
  ("khóa XVI" → "khóa mười sáu", "quý IV" → "quý bốn") and as a heading at the start of a line
  ("II. NỘI DUNG" → "hai. NỘI DUNG"); only I–XXXIX ("phần C" stays a letter).
- Document numbers: the number is read, the symbol is not: "Nghị quyết số 02-NQ/TW ngày 17/3/2026
  của Bộ Chính trị" → "Nghị quyết số không hai ngày mười bảy tháng ba … của Bộ Chính trị". The
  symbol ("NQ/TW", "KH/ĐU") only repeats who issued the document, which the sentence says anyway;
  broadcasters drop it and keep the leading zero ("Chỉ thị không năm").
- Phone numbers (a leading 0 or "+84" and 7+ digits, "1900 …"/"1800 …") are read digit by digit,
  in their groups; so are 111–116 after "gọi", "tổng đài", "đường dây nóng" ("gọi 113" → "gọi một
  một ba").
- Web and e-mail addresses: the scheme and "www." are dropped, "." is "chấm", "/" "gạch chéo",
  "@" "a còng", "-" "gạch ngang", "_" "gạch dưới"; the lexicon's ``url_words`` say "vn" as
  "vê en", "gov" as "gờ o vê"; digits one by one; other parts as spelled.
- Units only after a number ("5 km" "năm ki-lô-mét", "12.000đ"); "/" before a period or counting
  word ("bài/tháng", "5%/năm", "km/h") is "mỗi"; any other "/" between words is a pause
  ("xã/phường" → "xã, phường"). "&" "và", "~" "khoảng", "≥" "không dưới", "≤" "không quá",
  "=" "bằng", "+" "cộng".
- Abbreviations: whole tokens, case-sensitive, from the lexicon ("UBND", "TP.HCM", "Đ/c"); one
  in brackets right after its own expansion is not read twice ("hợp tác công tư (PPP)").
- Punctuation: commas, full stops, ";", ":", "!", "?" and line breaks stay (they are pauses);
  brackets and " - " become commas, quotes and markdown marks ("**", "#") go, "..." is a comma.
  Words that are not rewritten keep their case; numbers come out in lower case. Input is first
  brought to :func:`loa.nlp.normalize.normalize`'s form (NFC, one tone placement).

Not handled: reading an unknown abbreviation letter by letter (it is left as written and listed by
:func:`unknown_tokens`), ambiguous abbreviations without an entry ("KH", "CT", "CP", "TT"), times with
seconds, Roman numerals outside the contexts above, foreign words.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache, cached_property
from pathlib import Path
from types import MappingProxyType

from loa.nlp.normalize import normalize

__all__ = ["Lexicon", "number_words", "seconds", "spoken", "syllable_count", "unknown_tokens"]

DEFAULT_PATH = Path(__file__).with_name("data") / "spoken_lexicon.json"
SECTIONS = ("abbreviations", "units", "per", "url_words")

_DIGITS = ("không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín")


# ---------------------------------------------------------------------------------------------
# numbers


def _below_thousand(n: int, full: bool, zero_tens: str) -> list[str]:
    """0 < n < 1000 in words; ``full``: say the hundreds even when 0 ("không trăm linh một")."""
    hundreds, rest = divmod(n, 100)
    tens, units = divmod(rest, 10)
    words: list[str] = []
    if hundreds or full:
        words += [_DIGITS[hundreds], "trăm"]
    if tens == 0:
        if units:
            if words:
                words.append(zero_tens)
            words.append(_DIGITS[units])
    elif tens == 1:
        words.append("mười")
        if units:
            words.append("lăm" if units == 5 else _DIGITS[units])
    else:
        words += [_DIGITS[tens], "mươi"]
        if units:
            words.append({1: "mốt", 4: "tư", 5: "lăm"}.get(units, _DIGITS[units]))
    return words


def _positive(n: int, full: bool, zero_tens: str) -> list[str]:
    if n >= 1_000_000_000:
        high, low = divmod(n, 1_000_000_000)
        words = _positive(high, full, zero_tens) + ["tỷ"]
        return words + (_positive(low, True, zero_tens) if low else [])
    words: list[str] = []
    for value, name in ((n // 1_000_000, "triệu"), (n // 1000 % 1000, "nghìn"), (n % 1000, "")):
        if value:
            words += _below_thousand(value, full or bool(words), zero_tens)
            if name:
                words.append(name)
    return words


def number_words(n: int, *, zero_tens: str = "linh") -> str:
    """``n`` in Vietnamese words: 21 "hai mươi mốt", 24 "hai mươi tư", 105 "một trăm linh năm",
    2026 "hai nghìn không trăm hai mươi sáu", -3 "âm ba". ``zero_tens="lẻ"`` for the southern
    "một trăm lẻ một"."""
    n = int(n)
    if n < 0:
        return "âm " + number_words(-n, zero_tens=zero_tens)
    if n == 0:
        return _DIGITS[0]
    return " ".join(_positive(n, False, zero_tens))


def _digit_words(digits: str) -> str:
    return " ".join(_DIGITS[int(d)] for d in digits if d in "0123456789")


def _int_words(digits: str, zero_tens: str) -> str:
    """A run of ASCII digits by value ("01" → "một"); digit by digit past 15 digits."""
    digits = digits.lstrip("0") or "0"
    if len(digits) > 15:
        return _digit_words(digits)
    return number_words(int(digits), zero_tens=zero_tens)


def _ident_words(digits: str, zero_tens: str) -> str:
    """A number used as an identifier: leading zeros are said ("02" → "không hai")."""
    stripped = digits.lstrip("0")
    zeros = ["không"] * (len(digits) - len(stripped))
    if not stripped:
        return " ".join(zeros[:-1] + ["không"]) if zeros else "không"
    return " ".join(zeros + [_int_words(stripped, zero_tens)])


def _fraction_words(digits: str, zero_tens: str) -> str:
    """Digits after the decimal comma: "5" "năm", "05" "không năm", "25" "hai mươi lăm"."""
    stripped = digits.lstrip("0")
    zeros = ["không"] * (len(digits) - len(stripped))
    if not stripped:
        return " ".join(zeros)
    rest = _int_words(stripped, zero_tens) if len(stripped) <= 3 else _digit_words(stripped)
    return " ".join(zeros + [rest])


def _month_words(month: int, zero_tens: str) -> str:
    return "tư" if month == 4 else number_words(month, zero_tens=zero_tens)


def _ordinal_words(n: int, zero_tens: str) -> str:
    return {1: "nhất", 4: "tư"}.get(n) or number_words(n, zero_tens=zero_tens)


_ROMAN_VALUES = {"M": 1000, "D": 500, "C": 100, "L": 50, "X": 10, "V": 5, "I": 1}
# I to XXXIX only: "C", "D", "L", "M" alone are more often letters ("phần C") than numbers
_ROMAN = r"(?=[XVI])X{0,3}(?:IX|IV|V?I{0,3})"


def _roman_value(roman: str) -> int:
    total = 0
    for i, ch in enumerate(roman):
        value = _ROMAN_VALUES[ch]
        nxt = _ROMAN_VALUES[roman[i + 1]] if i + 1 < len(roman) else 0
        total += -value if value < nxt else value
    return total


# ---------------------------------------------------------------------------------------------
# lexicon


def _frozen(mapping: Mapping[str, str]) -> Mapping[str, str]:
    """Read-only, keys in the form :func:`spoken` matches against (NFC, one tone placement)."""
    return MappingProxyType({normalize(str(k)): str(v) for k, v in mapping.items() if k and v})


@dataclass(frozen=True, eq=False)
class Lexicon:
    """What the office can edit: abbreviations (read anywhere), units (after a number), the words
    that turn "/" into "mỗi", the parts of web addresses, and the "linh"/"lẻ" choice. Immutable:
    :meth:`merge` returns a new one."""

    abbreviations: Mapping[str, str] = field(default_factory=dict)
    units: Mapping[str, str] = field(default_factory=dict)
    per: Mapping[str, str] = field(default_factory=dict)
    url_words: Mapping[str, str] = field(default_factory=dict)
    zero_tens: str = "linh"

    def __post_init__(self) -> None:
        for name in SECTIONS:
            object.__setattr__(self, name, _frozen(getattr(self, name)))

    @classmethod
    def load(cls, path: str | Path | None = None) -> Lexicon:
        """The lexicon in a JSON file (the shipped ``data/spoken_lexicon.json`` by default)."""
        if path is None:
            return _default_lexicon()
        return cls._from_dict(json.loads(Path(path).read_text(encoding="utf-8")))

    @classmethod
    def _from_dict(cls, data: Mapping) -> Lexicon:
        settings = data.get("settings") or {}
        return cls(
            **{name: data.get(name) or {} for name in SECTIONS},
            zero_tens=settings.get("zero_tens") or "linh",
        )

    def merge(self, extra: Mapping) -> Lexicon:
        """A new lexicon with ``extra`` on top. ``extra`` is either flat abbreviations
        (``{"KH": "kế hoạch"}``) or sectioned like the JSON file (``{"units": {"sào": "sào"}}``,
        ``{"settings": {"zero_tens": "lẻ"}}``); both may be mixed. An empty or ``None`` value drops
        the entry."""
        sections = {name: dict(getattr(self, name)) for name in SECTIONS}
        zero_tens = self.zero_tens
        for key, value in (extra or {}).items():
            if key in SECTIONS and isinstance(value, Mapping):
                for sub_key, sub_value in value.items():
                    _put(sections[key], sub_key, sub_value)
            elif key == "settings" and isinstance(value, Mapping):
                zero_tens = value.get("zero_tens") or zero_tens
            elif not str(key).startswith("_"):
                _put(sections["abbreviations"], key, value)
        return Lexicon(**sections, zero_tens=zero_tens)

    # compiled patterns, built once per lexicon
    @cached_property
    def _abbreviation_re(self) -> re.Pattern | None:
        return _alternation(self.abbreviations, r"(?<![\w&.])", r"(?![\w&])")

    @cached_property
    def _unit_re(self) -> re.Pattern | None:
        return _alternation(self.units, r"(?<=[0-9])[ \t]?", r"(?![\w²³°])")

    @cached_property
    def _per_re(self) -> re.Pattern | None:
        words = {**self.units, **self.per}
        return _alternation(words, r"(?<=[^\W\d_])[ \t]?/[ \t]?", r"(?![\w²³])", flags=re.I)

    def _per_word(self, key: str) -> str:
        return self.per.get(key) or self.units.get(key) or _lookup_ci({**self.units, **self.per}, key)


def _put(section: dict, key, value) -> None:
    if value in (None, ""):
        section.pop(str(key), None)
    else:
        section[str(key)] = str(value)


def _lookup_ci(mapping: Mapping[str, str], key: str) -> str:
    for k, v in mapping.items():
        if k.lower() == key.lower():
            return v
    return key


def _alternation(words: Mapping[str, str], before: str, after: str, flags: int = 0) -> re.Pattern | None:
    if not words:
        return None
    keys = sorted(words, key=len, reverse=True)
    return re.compile(before + "(" + "|".join(re.escape(k) for k in keys) + ")" + after, flags)


@cache
def _default_lexicon() -> Lexicon:
    return Lexicon._from_dict(json.loads(DEFAULT_PATH.read_text(encoding="utf-8")))


# ---------------------------------------------------------------------------------------------
# the passes of spoken()

_NOT_BEFORE = r"(?<![0-9.,/:\w])"
_NOT_AFTER = r"(?![0-9]|[.,/:][0-9])"

_URL = re.compile(
    r"(?:https?://|www\.)[^\s<>\"'“”()\[\]]+"
    r"|(?<![\w.-])[\w-]{1,63}(?:\.[\w-]{1,63}){0,6}\.(?:vn|com|net|org|edu|info|gov)(?:\.vn)?\b"
    r"(?:/[^\s<>\"'“”()\[\]]*)?",
    re.I,
)
# bounded repeats: no quadratic backtracking on long runs such as "a.a.a.a…"
_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63}){1,6}\b")
_PHONE = re.compile(
    r"(?<![\w.,])(?:(?:\+84[ .-]?|0)[0-9]{2,4}(?:[ .-]?[0-9]{2,4}){1,3}|1[89]00[ .]?[0-9]{2,4}(?:[ .]?[0-9]{2,4})?)"
    r"(?![\w]|[.,][0-9])"
)
# the emergency numbers, said digit by digit after a word that dials them: "gọi 113" → "một một ba"
_HOTLINE = re.compile(
    r"(?i:\b(?:gọi|gọi điện|tổng đài|đường dây nóng|đường dây|hotline|số khẩn cấp)[ \t:]+)(11[1-6])(?![0-9])"
)
_DOC_NUMBER = re.compile(
    r"(?<![\w/.-])([0-9]{1,6})(?:/([0-9]{4}))?[-/]"
    r"([A-ZĐ][A-Za-zĐđ0-9]+(?:[-/][A-ZĐ][A-Za-zĐđ0-9]*)*)(?![\w/-])"
)
_ROMAN_CONTEXT = re.compile(
    r"(?i:\b(khóa|khoá|đại hội|kỳ|kì|lần|lần thứ|phần|chương|mục|quý|thế kỷ|thế kỉ|giai đoạn|tập|thứ)[ \t]+)"
    r"(" + _ROMAN + r")((?:\.[0-9]+)*)(?![\w])"
)
_ROMAN_HEADING = re.compile(r"(?m)^([ \t]*)(" + _ROMAN + r")((?:\.[0-9]+)*)\.(?=[ \t]|$)")
_PARENTHESIS = re.compile(r"[ \t]*\(([^()\n]{1,24})\)")
_DATE = re.compile(_NOT_BEFORE + r"([0-9]{1,2})([/.-])([0-9]{1,2})\2([0-9]{4})" + _NOT_AFTER)
_DAY_RANGE = re.compile(
    _NOT_BEFORE + r"([0-9]{1,2})[ \t]*[-–][ \t]*([0-9]{1,2})/([0-9]{1,2})(?:/([0-9]{4}))?" + _NOT_AFTER
)
_MONTH_YEAR = re.compile(_NOT_BEFORE + r"([0-9]{1,2})([/.-])([0-9]{4})" + _NOT_AFTER)
_DAY_MONTH = re.compile(_NOT_BEFORE + r"([0-9]{1,3})([/.-])([0-9]{1,3})" + _NOT_AFTER)
_DATE_WORD = re.compile(
    r"(?i:\b(?:ngày|mùng|mồng|sáng|chiều|tối|trưa|đêm|hôm|từ|đến|tới|trước|sau|hạn)[ \t]*)$"
)
_DAY_WORD = re.compile(r"(?i:\b(?:ngày|mùng|mồng)[ \t]*)$")
_MONTH_WORD = re.compile(r"(?i:\btháng[ \t]*)$")
_TIME_H = re.compile(r"(?<![\w.,/:])([0-9]{1,2})[ \t]?h[ \t]?([0-9]{2})?'?(?![\w])")
_TIME_COLON = re.compile(r"(?<![\w.,/:])([0-9]{1,2}):([0-9]{2})(?![0-9]|[.,:][0-9])")
_TIME_GIO = re.compile(
    r"(?<![\w.,])([0-9]{1,2})([ \t]+(?i:giờ)[ \t]+)([0-9]{1,2})(?![0-9])(?![ \t]*(?i:phút))"
)
_PERCENT = re.compile(r"(?<=[0-9])[ \t]*%")
_ORDINAL = re.compile(r"(?i:\b(thứ)[ \t]+)([0-9]{1,3})(?![0-9]|[.,/:][0-9])")
_MONTH = re.compile(r"(?i:\b(tháng)[ \t]+)(0?[1-9]|1[0-2])(?![0-9]|[.,/:-][0-9])")
_NUM = r"[0-9]{1,3}(?:\.[0-9]{3})+(?:,[0-9]+)?|[0-9]+(?:,[0-9]+)?"
_RANGE = re.compile(r"(?<![\w.,/-])(" + _NUM + r")[ \t]*[-–—][ \t]*(" + _NUM + r")(?![0-9]|[.,/][0-9])")
_NUMBER = re.compile(
    r"(-)?([0-9]{1,3}(?:\.[0-9]{3})+(?!\.?[0-9])(?:,[0-9]+)?"
    r"|[0-9]+,[0-9]+"
    r"|[0-9]+(?:\.[0-9]+)+"
    r"|[0-9]+)"
)
_PLUS = re.compile(r"(?<=[0-9])[ \t]*\+[ \t]*(?=[0-9])")
_DOLLAR = re.compile(r"\$[ \t]?(" + _NUM + r")")

# symbols that are not read, or read as a word; markdown
_MARKDOWN = re.compile(r"(?m)^[ \t]*(?:#+|>+|[-*+•·▪●◦–—][ \t]+)|\*+|`+|_{2,}|^[ \t]*[-=_*]{3,}[ \t]*$")
_SYMBOLS = [
    (re.compile(r"[“”\"«»„‟]|(?<!\w)['‘’]|['‘’](?!\w)"), " "),
    (re.compile(r"[(\[{]"), ", "),
    (re.compile(r"[)\]}]"), ", "),
    (re.compile(r"\.{3,}|…"), ", "),
    (re.compile(r"[ \t]+[-–—]+[ \t]+|[–—]+"), ", "),
    (re.compile(r"&"), " và "),
    (re.compile(r"[≥⩾]"), " không dưới "),
    (re.compile(r"[≤⩽]"), " không quá "),
    (re.compile(r">"), " trên "),
    (re.compile(r"<"), " dưới "),
    (re.compile(r"[~≈]"), " khoảng "),
    (re.compile(r"±"), " cộng trừ "),
    (re.compile(r"="), " bằng "),
    (re.compile(r"\+"), " cộng "),
    (re.compile(r"°"), " độ "),
    (re.compile(r"@"), " a còng "),
    (re.compile(r"%"), " phần trăm "),
    (re.compile(r"[/\\|]"), ", "),
    (re.compile(r"[#*_`^$€£¥§¶†‡•·▪●◦]"), " "),
    (re.compile(r"(?<!\w)-+|-+(?!\w)"), " "),
]
_PUNCT_RUN = re.compile(r"[ \t]*([,.;:!?](?:[ \t]*[,.;:!?])*)")
_SPACES = re.compile(r"[ \t]+")


def _tail(match: re.Match, size: int = 24) -> str:
    return match.string[max(0, match.start() - size) : match.start()]


def _url(match: re.Match, lex: Lexicon) -> str:
    text = match.group()
    trail = ""
    while text and text[-1] in ".,;:!?)*\"'":
        trail = text[-1] + trail
        text = text[:-1]
    text = re.sub(r"^(?:https?://)?(?:www\.)?", "", text, flags=re.I).rstrip("/")
    said = {".": "chấm", "/": "gạch chéo", "@": "a còng", "-": "gạch ngang", "_": "gạch dưới"}
    words = []
    for part in re.findall(r"[^\W\d_]+|[0-9]|[./@_-]|[^\s]", text):
        if part in said:
            words.append(said[part])
        elif part in "0123456789":
            words.append(_DIGITS[int(part)])
        elif part.isalpha():
            words.append(lex.url_words.get(part.lower(), part.lower()))
        else:
            words.append(" ")
    return " " + " ".join(words) + " " + trail


def _phone(match: re.Match) -> str:
    if sum(ch in "0123456789" for ch in match.group()) < 7:
        return match.group()
    groups = re.findall(r"\+84|[0-9]+", match.group())
    said = [("cộng tám tư" if g == "+84" else _digit_words(g)) for g in groups]
    return ", ".join(said)


def _doc_number(match: re.Match, lex: Lexicon) -> str:
    number, year = match.group(1), match.group(2)
    words = _ident_words(number, lex.zero_tens)
    if year:
        words += " năm " + _int_words(year, lex.zero_tens)
    return words


def _redundant_parenthesis(match: re.Match, lex: Lexicon) -> str:
    """ "hợp tác công tư (PPP)": the abbreviation in brackets repeats what was just said — drop it."""
    expansion = lex.abbreviations.get(match.group(1).strip())
    if not expansion:
        return match.group()
    said = re.sub(r"[\W_]+", " ", _tail(match, 200)).strip().casefold()
    if said.endswith(re.sub(r"[\W_]+", " ", expansion).strip().casefold()):
        return ""
    return match.group()


def _abbreviation(match: re.Match, lex: Lexicon) -> str:
    key = match.group(1)
    words = lex.abbreviations.get(key, key)
    if key.endswith("."):
        rest = match.string[match.end() :].lstrip(" \t")
        if not rest or not (rest[0].isalnum()):
            words += "."
    return words


def _roman_context(match: re.Match, lex: Lexicon) -> str:
    word, roman, sub = match.group(1), match.group(2), match.group(3)
    value = _roman_value(roman)
    said = _ordinal_words(value, lex.zero_tens) if word.lower() in ("thứ", "lần thứ") else None
    said = said or number_words(value, zero_tens=lex.zero_tens)
    return match.group()[: match.start(2) - match.start()] + said + _dotted(sub, lex)


def _roman_heading(match: re.Match, lex: Lexicon) -> str:
    said = number_words(_roman_value(match.group(2)), zero_tens=lex.zero_tens)
    return match.group(1) + said + _dotted(match.group(3), lex) + "."


def _dotted(sub: str, lex: Lexicon) -> str:
    parts = [p for p in sub.split(".") if p]
    return "".join(" chấm " + _int_words(p, lex.zero_tens) for p in parts)


def _valid_date(day: int, month: int) -> bool:
    return 1 <= day <= 31 and 1 <= month <= 12


def _date_words(day: int | None, month: int, year: str | None, lex: Lexicon, *, day_word: bool) -> str:
    words = []
    if day is not None:
        if day_word:
            words.append("ngày")
        words.append(number_words(day, zero_tens=lex.zero_tens))
    words += ["tháng", _month_words(month, lex.zero_tens)]
    if year:
        words += ["năm", _int_words(year, lex.zero_tens)]
    return " ".join(words)


def _date(match: re.Match, lex: Lexicon) -> str:
    day, month = int(match.group(1)), int(match.group(3))
    if not _valid_date(day, month):
        return match.group()
    return _date_words(day, month, match.group(4), lex, day_word=not _DAY_WORD.search(_tail(match)))


def _day_range(match: re.Match, lex: Lexicon) -> str:
    first, last, month = int(match.group(1)), int(match.group(2)), int(match.group(3))
    if not (_valid_date(first, month) and _valid_date(last, month) and first < last):
        return match.group()
    prefix = "" if _DAY_WORD.search(_tail(match)) else "ngày "
    said = number_words(first, zero_tens=lex.zero_tens) + " đến "
    return prefix + said + _date_words(last, month, match.group(4), lex, day_word=False)


def _month_year(match: re.Match, lex: Lexicon) -> str:
    month, sep = int(match.group(1)), match.group(2)
    after_month = bool(_MONTH_WORD.search(_tail(match)))
    if not 1 <= month <= 12 or (sep != "/" and not after_month):
        return match.group()
    said = _date_words(None, month, match.group(3), lex, day_word=False)
    return said.removeprefix("tháng ") if after_month else said


def _day_month(match: re.Match, lex: Lexicon) -> str:
    a, sep, b = match.group(1), match.group(2), match.group(3)
    day, month = int(a), int(b)
    tail = _tail(match)
    date_context = bool(_DATE_WORD.search(tail) if sep == "/" else _DAY_WORD.search(tail))
    if _valid_date(day, month) and (date_context or (sep == "/" and day >= month)):
        return _date_words(day, month, None, lex, day_word=not _DAY_WORD.search(tail))
    if sep != "/":
        return match.group()
    if 0 < day < month:  # a proper fraction: "2/3" → "hai phần ba"
        return _int_words(a, lex.zero_tens) + " phần " + _month_words(month, lex.zero_tens)
    return _int_words(a, lex.zero_tens) + " trên " + _int_words(b, lex.zero_tens)


def _time(hours: str, minutes: str | None, lex: Lexicon) -> str | None:
    h = int(hours)
    m = int(minutes) if minutes else 0
    if h > 24 or m > 59:
        return None
    said = number_words(h, zero_tens=lex.zero_tens) + " giờ"
    if m:
        said += " " + number_words(m, zero_tens=lex.zero_tens) + " phút"
    return said


def _time_h(match: re.Match, lex: Lexicon) -> str:
    said = _time(match.group(1), match.group(2), lex)
    if said is None:
        return match.group()
    if match.group(2) and re.match(r"[ \t]*(?i:phút)", match.string[match.end() :]):
        said = said.removesuffix(" phút")
    return said


def _time_colon(match: re.Match, lex: Lexicon) -> str:
    return _time(match.group(1), match.group(2), lex) or match.group()


def _time_gio(match: re.Match, lex: Lexicon) -> str:
    if int(match.group(3)) > 59:
        return match.group()
    return match.group(1) + match.group(2) + match.group(3) + " phút"


def _num_value(text: str) -> float:
    return float(text.replace(".", "").replace(",", "."))


def _range(match: re.Match) -> str:
    first, last = match.group(1), match.group(2)
    if _num_value(first) >= _num_value(last):
        return match.group()
    return f"{first} đến {last}"


def _number(match: re.Match, lex: Lexicon) -> str:
    sign, text = match.group(1), match.group(2)
    start = match.start()
    prefix = ""
    if sign:
        before = match.string[start - 1] if start else " "
        if before.isalnum():
            prefix = "-"
        else:
            prefix = "âm "
    if "," in text:
        whole, frac = text.split(",", 1)
        said = (
            _int_words(whole.replace(".", ""), lex.zero_tens)
            + " phẩy "
            + _fraction_words(frac, lex.zero_tens)
        )
    elif re.fullmatch(r"[0-9]{1,3}(?:\.[0-9]{3})+", text):
        said = _int_words(text.replace(".", ""), lex.zero_tens)
    elif "." in text:
        said = " chấm ".join(_int_words(p, lex.zero_tens) for p in text.split("."))
    else:
        said = _int_words(text, lex.zero_tens)
    return prefix + said


def _tidy_punctuation(match: re.Match) -> str:
    run = re.sub(r"[ \t]", "", match.group(1))
    for strongest in ".!?;:":
        if strongest in run:
            return strongest + " "
    return ", "


def _tidy(text: str) -> str:
    lines = []
    for line in text.split("\n"):
        line = _PUNCT_RUN.sub(_tidy_punctuation, line)
        line = _SPACES.sub(" ", line).strip()
        line = re.sub(r"^[,.;:!?\s]+", "", line)
        if line:
            lines.append(line)
        elif lines and lines[-1]:
            lines.append("")
    return "\n".join(lines).strip()


def _ascii_digits(text: str) -> str:
    if text.isascii():
        return text
    return "".join(str(unicodedata.decimal(ch)) if ch.isdecimal() and not ch.isascii() else ch for ch in text)


def spoken(text: str, lexicon: Lexicon | None = None) -> str:
    """``text`` as a broadcaster reads it out (see the module's docstring for the readings).
    Case of untouched words and the line breaks are kept; never raises on a ``str``."""
    if not text:
        return ""
    lex = lexicon or _default_lexicon()
    zt = lex.zero_tens
    text = normalize(_ascii_digits(text))

    text = _EMAIL.sub(lambda m: _url(m, lex), text)
    text = _URL.sub(lambda m: _url(m, lex), text)
    text = _MARKDOWN.sub(" ", text)
    text = _PHONE.sub(_phone, text)
    text = _HOTLINE.sub(lambda m: m.group()[: m.start(1) - m.start()] + _digit_words(m.group(1)), text)
    text = _DOC_NUMBER.sub(lambda m: _doc_number(m, lex), text)
    text = _PARENTHESIS.sub(lambda m: _redundant_parenthesis(m, lex), text)
    if lex._abbreviation_re is not None:
        text = lex._abbreviation_re.sub(lambda m: _abbreviation(m, lex), text)
    text = _ROMAN_CONTEXT.sub(lambda m: _roman_context(m, lex), text)
    text = _ROMAN_HEADING.sub(lambda m: _roman_heading(m, lex), text)

    text = _DAY_RANGE.sub(lambda m: _day_range(m, lex), text)
    text = _DATE.sub(lambda m: _date(m, lex), text)
    text = _MONTH_YEAR.sub(lambda m: _month_year(m, lex), text)
    text = _TIME_H.sub(lambda m: _time_h(m, lex), text)
    text = _TIME_COLON.sub(lambda m: _time_colon(m, lex), text)
    text = _TIME_GIO.sub(lambda m: _time_gio(m, lex), text)
    text = _DAY_MONTH.sub(lambda m: _day_month(m, lex), text)

    text = _DOLLAR.sub(r"\1 đô la", text)
    text = _PERCENT.sub(" phần trăm", text)
    if lex._unit_re is not None:
        text = lex._unit_re.sub(lambda m: " " + lex.units[m.group(1)], text)
    if lex._per_re is not None:
        text = lex._per_re.sub(lambda m: " mỗi " + lex._per_word(m.group(1)), text)
    text = _ORDINAL.sub(
        lambda m: m.group()[: m.start(2) - m.start()] + _ordinal_words(int(m.group(2)), zt), text
    )
    text = _MONTH.sub(lambda m: m.group()[: m.start(2) - m.start()] + _month_words(int(m.group(2)), zt), text)
    text = _RANGE.sub(_range, text)
    text = _PLUS.sub(" cộng ", text)
    text = _NUMBER.sub(lambda m: " " + _number(m, lex) + " ", text)

    for pattern, replacement in _SYMBOLS:
        text = pattern.sub(replacement, text)
    return _tidy(text)


# ---------------------------------------------------------------------------------------------
# length and review

_TONE_MARKS = "\u0300\u0301\u0303\u0309\u0323"
_SYLLABLE = re.compile(
    r"(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdđghklmnprstvx])?"
    r"[aăâeêioôơuưy]{1,3}(?:ch|ng|nh|[cmnpt])?"
)
_TOKEN = re.compile(r"[^\W\d_]+|[0-9]+")


def _is_vietnamese_syllable(token: str) -> bool:
    bare = "".join(ch for ch in unicodedata.normalize("NFD", token.lower()) if ch not in _TONE_MARKS)
    return bool(_SYLLABLE.fullmatch(unicodedata.normalize("NFC", bare)))


def _looks_unreadable(token: str) -> bool:
    capitals = sum(1 for ch in token if ch.isupper())
    return token.isdigit() or (capitals >= 2 and not _is_vietnamese_syllable(token))


def syllable_count(text: str, lexicon: Lexicon | None = None) -> int:
    """Syllables of the spoken form of ``text``: one per written syllable ("ki-lô-mét" is three);
    an abbreviation left as written counts one per letter (it is spelled out)."""
    count = 0
    for token in _TOKEN.findall(spoken(text, lexicon)):
        count += len(token) if _looks_unreadable(token) else 1
    return count


def seconds(text: str, per_minute: float = 200, lexicon: Lexicon | None = None) -> float:
    """How long reading ``text`` out takes at ``per_minute`` syllables a minute (200 by default)."""
    if per_minute <= 0:
        raise ValueError("per_minute must be positive")
    return syllable_count(text, lexicon) * 60 / per_minute


def unknown_tokens(text: str, lexicon: Lexicon | None = None) -> list[str]:
    """Tokens the spoken form still holds as written that a reader cannot say: abbreviations with
    two or more capitals that are not a Vietnamese syllable ("GRDP", "VT", "TTr"), in order of
    first appearance — for the office to add to the lexicon. Upper-case Vietnamese words ("KẾ
    HOẠCH") are not reported."""
    seen: dict[str, None] = {}
    for token in re.findall(r"[^\W_]+(?:-[^\W_]+)*", spoken(text, lexicon)):
        if any(_looks_unreadable(part) for part in token.split("-")):
            seen.setdefault(token, None)
    return list(seen)
