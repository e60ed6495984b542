"""Vietnamese text as it comes (comments, posts, headlines, documents) → one canonical form.

- :func:`normalize`: NFC, control and zero-width characters out, one tone placement ("hoà" →
  "hòa", "thuỷ" → "thủy", "khoẻ" → "khỏe"; "quý", "hoàn" untouched), spaces collapsed. Case kept:
  the text stays fit to show.
- :func:`clean`: :func:`normalize` + lower case + common teencode ("ko" → "không", "dc" → "được")
  + URLs, e-mails, numbers, emojis and hashtags turned into tokens on purpose (``url``,
  ``email``, ``num``, ``emo_pos``/``emo_neg``/``emo``, ``#chuyendoiso`` → "chuyendoiso"): what
  the models read.
- :func:`fold`: no diacritics, "đ" → "d", lower case — for matching text typed without accents.
- :func:`lacks_diacritics`: the text was typed without accents (most of its words are plain ASCII
  though Vietnamese).

Pure Python, no Django; never raises on any ``str`` (hypothesis-tested).
"""

from __future__ import annotations

import json
import re
import unicodedata
from functools import cache
from pathlib import Path

_DATA = Path(__file__).with_name("data")

# tone marks as combining characters (NFD): grave, acute, tilde, hook above, dot below
_TONES = "\u0300\u0301\u0303\u0309\u0323"
# control, zero-width and bidirectional-override characters (they hide or reorder text on screen)
_CONTROL = re.compile(
    r"[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]"
)
# more than two combining marks on one letter (a "Zalgo" flood; Vietnamese needs at most two)
_MARK_FLOOD = re.compile(
    r"([\u0300-\u036f\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]{2})[\u0300-\u036f\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]+"
)
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
# the vowel pairs whose tone moves to the first vowel when nothing follows them: oà → òa, uỷ → ủy
_PAIRS = ("oa", "oe", "uy")
_RETONE_CANDIDATE = re.compile(r"\b\w{0,5}(?:o[àáảãạèéẻẽẹ]|u[ỳýỷỹỵ])\b", re.I)

URL = re.compile(
    r"(?:https?://|www\.)[^\s<>\"']+|\b[\w-]+(?:\.[\w-]+)*\.(?:vn|com|net|org|gov\.vn)(?:/[^\s<>\"']*)?", re.I
)
EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_HASHTAG = re.compile(r"#(\w+)")
_EMOJI = re.compile(
    "[\U0001f300-\U0001faff\U00002600-\U000027bf\U0001f000-\U0001f2ff\U0001f900-\U0001f9ff\u2764\u2763]"
    "[\ufe0f\U0001f3fb-\U0001f3ff\u200d]*"
)
# emoticons typed as text, kept apart from the punctuation that is stripped later
_EMOTICON_POS = re.compile(r"(?<!\w)(?::|=|;)-?[)\]D]+|(?<!\w)\^[_.]?\^|<3")
_EMOTICON_NEG = re.compile(r"(?<!\w)(?::|=)'?-?[(\[]+|(?<!\w)T[_.]T")


@cache
def _lexicon() -> dict:
    return json.loads((_DATA / "lexicon.json").read_text(encoding="utf-8"))


@cache
def _emoji_sets() -> tuple[frozenset[str], frozenset[str]]:
    lex = _lexicon()
    return frozenset(lex["emoji_positive"]), frozenset(lex["emoji_negative"])


def _retone(word: str) -> str:
    """Move the tone of a final "oa", "oe", "uy" to its first vowel (the spelling of the current
    dictionaries and of most official documents): "hoà" → "hòa", "Uỷ" → "Ủy". Not after "q"
    ("quý" keeps it), not when a consonant follows ("hoàn")."""
    decomposed = unicodedata.normalize("NFD", word)
    tones = [ch for ch in decomposed if ch in _TONES]
    if len(tones) != 1:
        return word
    bare = unicodedata.normalize("NFC", "".join(ch for ch in decomposed if ch not in _TONES))
    low = bare.lower()
    if len(low) < 2 or low[-2:] not in _PAIRS or (low[-2:] == "uy" and low[-3:-2] == "q"):
        return word
    # only when the tone sits on the last letter
    last = unicodedata.normalize("NFD", word[-1])
    if not any(ch in _TONES for ch in last):
        return word
    head, first, second = bare[:-2], bare[-2], bare[-1]
    return unicodedata.normalize("NFC", head + first + tones[0] + second)


def normalize(text: str) -> str:
    """NFC, no control or zero-width characters, one tone placement, single spaces. Case kept."""
    if not text:
        return ""
    text = unicodedata.normalize("NFC", text)
    text = _MARK_FLOOD.sub(r"\1", _CONTROL.sub("", text)).replace("\r\n", "\n").replace("\r", "\n")
    text = _RETONE_CANDIDATE.sub(lambda m: _retone(m.group()), text)
    text = _SPACES.sub(" ", text)
    return "\n".join(line.strip() for line in text.split("\n")).strip()


def _emoji_token(match: re.Match) -> str:
    positive, negative = _emoji_sets()
    char = match.group()[0]
    if char in positive:
        return " emo_pos "
    if char in negative:
        return " emo_neg "
    return " emo "


def clean(text: str) -> str:
    """What the models read: normalised, lower case, teencode expanded, special tokens."""
    text = normalize(text)
    if not text:
        return ""
    text = URL.sub(" url ", EMAIL.sub(" email ", text))
    text = _EMOJI.sub(_emoji_token, text)
    text = _EMOTICON_POS.sub(" emo_pos ", text)
    text = _EMOTICON_NEG.sub(" emo_neg ", text)
    text = _HASHTAG.sub(lambda m: " " + m.group(1) + " ", text)
    text = _NUMBER.sub(" num ", text.lower())
    teencode = _lexicon()["teencode"]
    words = []
    for token in re.findall(r"\w+|[^\w\s]", text):
        words.append(teencode.get(token, token))
    return " ".join(words)


def fold(text: str) -> str:
    """ "Chuyển đổi số" → "chuyen doi so": no diacritics, đ → d, lower case."""
    text = unicodedata.normalize("NFD", text or "")
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Mn")
    return text.replace("đ", "d").replace("Đ", "D").lower()


_VIETNAMESE_ONLY = re.compile(r"[àáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ]", re.I)


def lacks_diacritics(text: str, *, min_words: int = 4) -> bool:
    """True when a text of at least ``min_words`` words has none of the Vietnamese letters —
    typed without accents ("khong co dien tu chieu nay"). Short texts are never judged."""
    words = _WORD.findall(text or "")
    return len(words) >= min_words and not _VIETNAMESE_ONLY.search(text)
