"""Personal data out of any text, before it is stored (listening is about topics, never persons).

:func:`strip_personal` replaces, inside the text, what could name or reach a person:
@mentions and handles, e-mail addresses, phone numbers (Vietnamese mobile and landline, with or
without +84, dots or spaces), citizen ID numbers (CCCD: 12 digits; old CMND: 9 digits) and links
to personal profiles (facebook.com/<name>, zalo.me/<number>, tiktok.com/@<name>...). Each becomes
a neutral placeholder ("[người dùng]", "[email]", "[số điện thoại]", "[số giấy tờ]", "[liên kết cá
nhân]") so the sentence still reads. Links to articles and official pages are kept: they are
sources, not persons. Pure, no Django; never raises on any ``str``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

MENTION_MARK = "[người dùng]"
EMAIL_MARK = "[email]"
PHONE_MARK = "[số điện thoại]"
ID_MARK = "[số giấy tờ]"
PROFILE_MARK = "[liên kết cá nhân]"

_PROFILE = re.compile(
    r"(?:https?://)?(?:www\.|m\.|web\.)?"
    r"(?:facebook\.com|fb\.com|fb\.me|zalo\.me|tiktok\.com|instagram\.com|twitter\.com|x\.com|youtube\.com)"
    r"/(?!(?:share|sharer|hashtag|watch|events|groups/[^/\s]+/posts)\b)"
    r"(?:profile\.php\?id=\d+|@?[\w.\-]+)/?(?=[\s,;)\]]|$)",
    re.I,
)
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_MENTION = re.compile(r"(?<![\w@/.])@[\w.]{2,40}")
# +84 / 84 / 0, then 9–10 digits for mobiles (03, 05, 07, 08, 09) or landlines (02x), with
# optional separators between groups
_PHONE = re.compile(r"(?<![\w+])(?:\+?84[\s.\-]?|0)(?:[235789])(?:[\s.\-]?\d){8,9}(?!\d)")
_ID_NUMBER = re.compile(r"(?<![\d.,])(?:\d{12}|\d{9})(?![\d.,]?\d)")


@dataclass
class Stripped:
    text: str
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def found(self) -> int:
        return sum(self.counts.values())


def strip_personal(text: str) -> Stripped:
    """The text with every handle, e-mail, phone, ID number and profile link replaced."""
    counts: dict[str, int] = {}
    if not text:
        return Stripped("", counts)

    def sub(pattern: re.Pattern, mark: str, kind: str, value: str) -> str:
        value, n = pattern.subn(mark, value)
        if n:
            counts[kind] = counts.get(kind, 0) + n
        return value

    text = sub(_PROFILE, PROFILE_MARK, "profile", text)
    text = sub(_EMAIL, EMAIL_MARK, "email", text)
    text = sub(_MENTION, MENTION_MARK, "mention", text)
    text = sub(_PHONE, PHONE_MARK, "phone", text)
    text = sub(_ID_NUMBER, ID_MARK, "id_number", text)
    return Stripped(text, counts)
