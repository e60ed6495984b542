"""Names of Vietnamese bodies, folded into comparable keys. Pure Python, no Django.

In: a name as written in a plan ("Đề nghị UBND TP;", "Ủy ban nhân dân Thành phố").
Out: plain strings —

- ``fold(text)``: lowercase, no diacritics, "đ" -> "d", whitespace collapsed.
- ``clean_name(text)``: the name without courtesy prefixes ("Đề nghị", "Giao"), list
  numbering and trailing punctuation, with its original spelling.
- ``name_key(text)``: the key two spellings of the same body share: abbreviations
  expanded (UBND -> Ủy ban nhân dân, TP -> Thành phố, ĐU -> Đảng ủy ...), folded,
  punctuation dropped. "UBND TP" and "Ủy ban nhân dân Thành phố" give the same key;
  "Đảng ủy UBND Thành phố" does not.
- ``is_group_phrase(text)``: whether a name reads as a group ("các sở, ban, ngành ...",
  "Trưởng các thôn").
- ``guess_unit_type(text)``: a unit type code guessed from the head words of a name.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_SPACES = re.compile(r"\s+")


def fold(text: str) -> str:
    """Lowercase, strip diacritics (đ -> d), collapse whitespace."""
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    stripped = stripped.replace("đ", "d").replace("Đ", "D").replace("ð", "d").replace("Ð", "D")
    return _SPACES.sub(" ", stripped.lower()).strip()


# Abbreviations seen in plans, with what they stand for. Longer forms first. Case-sensitive
# ones are ordinary words in lowercase ("tu" in "Sở Tư pháp", "du" in "Sở Du lịch").
_W = r"(?<![\w])"  # start of a word
_E = r"(?![\w])"  # end of a word
_ABBREVIATIONS: list[tuple[str, str, bool]] = [
    # (pattern, expansion, case_sensitive)
    (r"UBMTTQ\s*VN", "Ủy ban Mặt trận Tổ quốc Việt Nam", False),
    (r"UBMTTQ", "Ủy ban Mặt trận Tổ quốc", False),
    (r"MTTQ\s*VN", "Mặt trận Tổ quốc Việt Nam", False),
    (r"MTTQ", "Mặt trận Tổ quốc", False),
    (r"UBND", "Ủy ban nhân dân", False),
    (r"H[ĐD]ND", "Hội đồng nhân dân", False),
    (r"UBKT", "Ủy ban Kiểm tra", False),
    (r"[ĐD]BQH", "đại biểu Quốc hội", False),
    (r"CT\s*-?\s*XH", "chính trị - xã hội", False),
    (r"VH\s*-?\s*XH", "văn hóa - xã hội", False),
    (r"KT\s*-?\s*XH", "kinh tế - xã hội", False),
    (r"PT\s*-?\s*TH", "phát thanh - truyền hình", False),
    (r"GD\s*(?:&|-|và)?\s*[ĐD]T", "Giáo dục và Đào tạo", False),
    (r"KH\s*(?:&|-|và)?\s*CN", "Khoa học và Công nghệ", False),
    (r"NN\s*(?:&|-|và)?\s*MT", "Nông nghiệp và Môi trường", False),
    (r"VH\s*(?:&|-|và)?\s*TT", "Văn hóa và Thể thao", False),
    (r"TG\s*(?:&|-|và)?\s*DV", "Tuyên giáo và Dân vận", False),
    (r"BTG", "Ban Tuyên giáo", False),
    (r"BTV", "Ban Thường vụ", False),
    (r"BCH", "Ban Chấp hành", False),
    (r"LHPN", "Liên hiệp Phụ nữ", False),
    (r"CCB", "Cựu chiến binh", False),
    (r"TNCS", "Thanh niên Cộng sản", False),
    (r"[ĐD]TN", "Đoàn Thanh niên", True),
    (r"TTDVTH", "Trung tâm dịch vụ tổng hợp", False),
    (r"HCM", "Hồ Chí Minh", True),
    (r"TP", "Thành phố", False),
    (r"TW|TƯ", "Trung ương", True),
    (r"[ĐD]U", "Đảng ủy", True),
    (r"TU", "Thành ủy", True),
    (r"VP", "Văn phòng", True),
    (r"TT\.", "Thường trực", True),
]


def _combined(case_sensitive: bool) -> tuple[re.Pattern[str], list[str]]:
    rows = [(p, e) for p, e, cs in _ABBREVIATIONS if cs == case_sensitive]
    alternation = "|".join(f"({p})" for p, _e in rows)  # earlier (longer) forms win
    regex = re.compile(_W + "(?:" + alternation + ")" + _E, 0 if case_sensitive else re.I)
    return regex, [e for _p, e in rows]


_ABBREVIATION_RES = [_combined(False), _combined(True)]


def expand_abbreviations(text: str) -> str:
    """Write out the usual abbreviations of body names ("UBND TP" -> "Ủy ban nhân dân Thành phố")."""
    text = unicodedata.normalize("NFC", text)
    for regex, expansions in _ABBREVIATION_RES:
        text = regex.sub(lambda m, ex=expansions: " " + ex[m.lastindex - 1] + " ", text)
    text = text.replace("&", " và ")
    return _SPACES.sub(" ", text).strip()


# Courtesy words in front of a body's name in a plan: "Đề nghị Đảng ủy HĐND Thành phố",
# "Giao Phòng Văn hóa - Xã hội", "Kính gửi: ...".
_PREFIXES = [
    "đề nghị",
    "giao cho",
    "giao",
    "kính gửi",
    "kính đề nghị",
    "yêu cầu",
    "đồng chí",
    "đ/c",
]
_LEADING_NOISE = re.compile(r"^[\s*#>+•·\-–—]*(?:(?:[0-9]+|[IVXLC]+|[a-zđ])[.)/]\s+)?[\s*#>+•·\-–—]*", re.I)
_TRAILING_NOISE = re.compile(r"[\s*;:,.\-–—/]+$")


def clean_name(text: str) -> str:
    """The name without courtesy prefixes, list numbering, markup and trailing punctuation."""
    name = unicodedata.normalize("NFC", text)
    name = _SPACES.sub(" ", name).strip()
    for _ in range(3):
        before = name
        name = _LEADING_NOISE.sub("", name)
        lowered = name.lower()
        for prefix in _PREFIXES:
            if lowered.startswith(prefix) and (len(name) == len(prefix) or not name[len(prefix)].isalnum()):
                name = name[len(prefix) :].lstrip(" :,")
                break
        name = _TRAILING_NOISE.sub("", name).strip()
        if name == before:
            break
    return name


_NON_WORD = re.compile(r"[^\w]+")


@lru_cache(maxsize=65536)
def name_key(text: str) -> str:
    """Comparable key of a body's name: cleaned, abbreviations expanded, folded, no punctuation."""
    folded = fold(expand_abbreviations(clean_name(text)))
    return _SPACES.sub(" ", _NON_WORD.sub(" ", folded).replace("_", " ")).strip()


_GROUP_STARTS = ("cac ", "truong cac ", "toan the cac ", "tat ca cac ")


def is_group_phrase(text: str) -> bool:
    """True for names that denote several bodies: "các sở, ban, ngành", "Trưởng các thôn"."""
    key = name_key(text)
    return any(key.startswith(start) for start in _GROUP_STARTS)


# Head words -> unit type. The earliest match in the key wins; at the same position the
# longer keyword wins ("hoi dong nhan dan" over "hoi", "truong thon" over "truong").
_TYPE_KEYWORDS: list[tuple[str, str]] = [
    ("dang uy", "party_committee"),
    ("thanh uy", "party_committee"),
    ("tinh uy", "party_committee"),
    ("dang bo", "party_committee"),
    ("chi bo", "party_committee"),
    ("cap uy", "party_committee"),
    ("ban tuyen giao", "party_board"),
    ("ban dan van", "party_board"),
    ("ban to chuc", "party_board"),
    ("ban noi chinh", "party_board"),
    ("ban xay dung dang", "party_board"),
    ("uy ban kiem tra", "party_board"),
    ("hoi dong nhan dan", "peoples_council"),
    ("uy ban nhan dan", "peoples_committee"),
    ("so", "department"),
    ("phong", "department"),
    ("thanh tra", "department"),
    ("chi cuc", "department"),
    ("bao", "press"),
    ("bao hiem", "other"),
    ("doan dai bieu", "other"),
    ("phat thanh", "press"),
    ("truyen hinh", "press"),
    ("tap chi", "press"),
    ("dai truyen thanh", "press"),
    ("co quan bao", "press"),
    ("trung tam", "service_centre"),
    ("ban quan ly", "service_centre"),
    ("truong", "school"),
    ("mam non", "school"),
    ("thon", "village"),
    ("to dan pho", "village"),
    ("truong thon", "village"),
    ("ban cong tac mat tran", "front_org"),
    ("van phong", "office"),
    ("mat tran", "front_org"),
    ("uy ban mat tran", "front_org"),
    ("doan", "front_org"),
    ("hoi", "front_org"),
    ("cong doan", "front_org"),
]


def guess_unit_type(text: str) -> str:
    """A unit type code ("party_committee", "department", ...; "other") from a name's head words."""
    words = name_key(text).split()
    best: tuple[int, int, str] | None = None  # (position, -length, type)
    for keyword, unit_type in _TYPE_KEYWORDS:
        kw = keyword.split()
        for pos in range(len(words) - len(kw) + 1):
            if words[pos : pos + len(kw)] == kw:
                candidate = (pos, -len(kw), unit_type)
                if best is None or candidate < best:
                    best = candidate
                break
    return best[2] if best else "other"


def tokens(text: str) -> set[str]:
    """The words of a name's key, for overlap scores."""
    return set(name_key(text).split())
