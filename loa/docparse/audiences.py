"""Audience groups (nhóm đối tượng) a plan names, for the office to confirm.

In: the text of a document (a string or its lines). Out: a list of :class:`Audience`, one per group of
Loa's standard list (``data/audiences.json``) that the text names, in order of first mention, each with
the sentence it was first named in.

Tiers: 1 cốt cán (báo cáo viên, tuyên truyền viên, trưởng thôn ...), 2 cán bộ, đảng viên and members of
the political system, 3 specific publics (thanh niên, học sinh, doanh nghiệp ...), 4 toàn dân. Groups whose
membership reveals sensitive personal data (Nghị định 356/2025/NĐ-CP Điều 4: party membership, ethnic
origin, religion, health) are ``sensitive`` and are never offered for e-mail subscription
(:func:`email_subscribable`).

How a mention is read:

- whole words, case-insensitive; a coordinated phrase ("cán bộ, đảng viên và Nhân dân", "đội ngũ báo cáo
  viên, tuyên truyền viên") names each of its groups; an abbreviation that stands for several ("CBCCVC",
  "HSSV", "ĐVTN") names each of them;
- a shorter mention inside a longer one counts only as the longer one ("cán bộ" in "cán bộ, chiến sĩ" is
  the armed forces, "thiếu niên" in "thanh thiếu niên" is youth);
- a body, an organisation, a title or a concept is not its public: "Ủy ban nhân dân", "Hội đồng nhân dân",
  "an ninh nhân dân", "quốc phòng toàn dân", "Đoàn Thanh niên", "Hội Phụ nữ", "Luật Doanh nghiệp",
  "Sổ tay đảng viên", "công tác cán bộ", "chiến sĩ thi đua", "Bộ Lao động - Thương binh và Xã hội";
- "tuyên truyền tại các trường học" names học sinh;
- a line typed without diacritics ("can bo, dang vien") is matched without them, except for phrases that
  are then ambiguous ("cong nhan" is also "công nhận").

Pure Python, no Django. :func:`corpus_counts` counts how often each standard group occurs in a set of
documents (``tests/docparse/test_audiences.py`` prints it for ``shared/data/vn_admin_docs`` with ``-s``).
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

DATA = Path(__file__).with_name("data") / "audiences.json"
SOURCE_MAX = 300  # characters of the source sentence kept around a mention


@dataclass(frozen=True)
class Group:
    key: str
    name: str
    tier: int
    sensitive: bool
    sensitive_reason: str | None = None


@dataclass
class Audience:
    name: str
    key: str
    tier: int
    sensitive: bool
    source: str  # the sentence of the first mention, trimmed
    matched: str  # the words of that mention as written
    mentions: int = 1

    def to_dict(self) -> dict:
        return {
            "name": self.name,
            "key": self.key,
            "tier": self.tier,
            "sensitive": self.sensitive,
            "source": self.source,
            "matched": self.matched,
            "mentions": self.mentions,
        }


def _fold_char(ch: str) -> str:
    low = ch.lower()
    if len(low) != 1:
        low = ch
    base = "".join(c for c in unicodedata.normalize("NFD", low) if unicodedata.category(c) != "Mn")
    base = base.replace("đ", "d")
    return base if len(base) == 1 else low


def _lower_char(ch: str) -> str:
    low = ch.lower()
    return low if len(low) == 1 else ch


@cache
def _tables() -> tuple[dict[int, str], dict[int, str], re.Pattern]:
    """Translation tables for the Latin script (where Vietnamese lives), and a regex of the letters
    that carry a diacritic."""
    fold_t = {i: _fold_char(chr(i)) for i in range(0x2000) if _fold_char(chr(i)) != chr(i)}
    lower_t = {i: _lower_char(chr(i)) for i in range(0x2000) if _lower_char(chr(i)) != chr(i)}
    marked = "".join(
        chr(i) for i in range(0x2000) if chr(i).isalpha() and _fold_char(chr(i)) != _lower_char(chr(i))
    )
    return fold_t, lower_t, re.compile(f"[{re.escape(marked)}]")


def fold(text: str) -> str:
    """Lowercase without diacritics, one character for one (positions stay aligned with ``text``)."""
    return text.translate(_tables()[0])


# Old-style tone placement at the end of a word ("uỷ", "hoà", "toà") written the new way ("ủy", "hòa").
_OLD_TONES = {
    a + unicodedata.normalize("NFC", b + t): unicodedata.normalize("NFC", a + t) + b
    for a, b in (("o", "a"), ("o", "e"), ("u", "y"))
    for t in "\u0300\u0301\u0309\u0303\u0323"
}
_OLD_TONE_RE = re.compile(r"[ou][àáảãạèéẻẽẹỳýỷỹỵ](?!\w)")


def _new_tone(m: re.Match) -> str:
    old = m.group(0)
    if old[0] == "u" and m.start() and m.string[m.start() - 1] == "q":
        return old  # "quý": the u belongs to qu
    return _OLD_TONES.get(old, old)


def _lower(text: str) -> str:
    """Lowercase, one character for one, tone marks placed the new way."""
    low = text.lower()
    if len(low) != len(text):
        low = text.translate(_tables()[1])
    return _OLD_TONE_RE.sub(_new_tone, low)


def _canon(phrase: str) -> str:
    """One spelling of a phrase's spacing: single spaces, none around commas."""
    return re.sub(r"\s*,\s*", ",", re.sub(r"\s+", " ", phrase.strip()))


def _trie_regex(phrases: list[str]) -> str:
    """One regex for many canonical phrases, shared prefixes factored out (fast with ``re``); the
    longest phrase is preferred. A space matches any whitespace, a comma any spacing around it."""
    trie: dict = {}
    for phrase in phrases:
        node = trie
        for ch in phrase:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict) -> str:
        piece = {" ": r"\s+", ",": r"\s*,\s*"}
        alts = [piece.get(ch) or re.escape(ch) for ch in sorted(k for k in node if k)]
        alts = [a + emit(node[ch]) for a, ch in zip(alts, sorted(k for k in node if k), strict=True)]
        if "" in node:
            alts.append("")
        return alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"

    return emit(trie) if trie else r"(?!x)x"


def _words(items: list[str], norm) -> str:
    """not_after / not_before / only_after / org_heads entries (regex fragments) as one alternation."""
    return "|".join(re.sub(r"\s+", r"\\s+", norm(i.strip())) for i in sorted(items, key=len, reverse=True))


_AFTER = r"(?:^|[^\w])(?:{})[\s\-–—]+$"
_ONLY_AFTER = r"(?:^|[^\w])(?:{})(?:\s+(?:các|những|cac|nhung))?\s+$"
_BEFORE = r"\s+(?:{})(?!\w)"  # used with .match(text, end): no "^"
_ORG = r"(?:^|[^\w])(?P<head>{})\s+$"


@dataclass(frozen=True)
class _Form:
    """Everything looked for in one form of the text: lowercased, or folded (for lines written without
    diacritics)."""

    regex: re.Pattern  # every variant of every group
    rules: dict[str, list[tuple[Group, re.Pattern | None]]]  # canonical phrase → groups (with only_after)
    not_after: dict[str, re.Pattern]
    not_before: dict[str, re.Pattern]
    org: re.Pattern

    @classmethod
    def make(cls, data: dict, norm, folded: bool) -> _Form:
        rules: dict[str, list] = {}
        not_after, not_before = {}, {}
        for g, group in zip(data["groups"], standard_groups(), strict=True):
            skip = set(g.get("no_unaccented", [])) if folded else set()
            for v in g.get("variants", []):
                phrase, only = (v, None) if isinstance(v, str) else (v["phrase"], v.get("only_after"))
                if phrase in skip:
                    continue
                only_re = re.compile(_ONLY_AFTER.format(_words(only, norm))) if only else None
                rules.setdefault(_canon(norm(phrase)), []).append((group, only_re))
            after = g.get("not_after", []) + data.get("not_after_all", [])
            if after:
                not_after[group.key] = re.compile(_AFTER.format(_words(after, norm)))
            ahead = g.get("not_before", []) + data.get("not_before_all", [])
            if ahead:
                not_before[group.key] = re.compile(_BEFORE.format(_words(ahead, norm)))
        return cls(
            regex=re.compile(_trie_regex(list(rules)) + r"(?!\w)"),
            rules=rules,
            not_after=not_after,
            not_before=not_before,
            org=re.compile(_ORG.format(_words(data.get("org_heads", []), norm))),
        )

    def groups_at(self, text: str, norm: str, start: int, end: int, candidates) -> list[Group]:
        """The candidate groups that the words around ``text[start:end]`` leave standing."""
        before = norm[max(0, start - 60) : start]
        org = self.org.search(before)
        if org and text[start - len(before) + org.start("head")].isupper():
            return []  # "Hội Phụ nữ", "Đoàn Thanh niên": the organisation, not its public
        out = []
        for group, only_after in candidates:
            after_re, before_re = self.not_after.get(group.key), self.not_before.get(group.key)
            if after_re and after_re.search(before):
                continue
            if before_re and before_re.match(norm, end, min(len(norm), end + 40)):
                continue
            if only_after and not only_after.search(before):
                continue
            if group not in out:
                out.append(group)
        return out

    def _rules_for(self, matched: str) -> list[tuple[Group, re.Pattern | None]]:
        return self.rules.get(matched) or self.rules.get(_canon(matched), [])

    def find(self, text: str, norm: str, spans: list[tuple[int, int]], found: dict) -> None:
        """Add to ``found`` ((start, end) → groups) every mention within ``spans``."""
        for a, b in spans:
            pos = a
            while m := self.regex.search(norm, pos, b):
                start, end = m.span()
                # (The regex has no look-behind for a word start: it is twice as fast without.)
                inside_word = start > 0 and (norm[start - 1].isalnum() or norm[start - 1] == "_")
                groups = [] if inside_word else self.groups_at(text, norm, start, end, self._rules_for(m[0]))
                if groups:
                    have = found.setdefault((start, end), [])
                    have.extend(g for g in groups if g not in have)
                    pos = end
                else:
                    pos = start + 1  # a shorter mention may start inside an excluded one


@cache
def standard_groups() -> tuple[Group, ...]:
    """Loa's standard list, in the data file's order."""
    return tuple(
        Group(g["key"], g["name"], g["tier"], g["sensitive"], g.get("sensitive_reason"))
        for g in _data()["groups"]
    )


def email_subscribable(key: str) -> bool:
    """Whether citizens may be offered e-mail subscription to this group: never for a sensitive group
    (NĐ 356/2025 Điều 4), nor for a key that is not in the standard list."""
    return any(g.key == key and not g.sensitive for g in standard_groups())


@cache
def _data() -> dict:
    return json.loads(DATA.read_text(encoding="utf-8"))


@cache
def _forms() -> tuple[_Form, _Form]:
    data = _data()
    return _Form.make(data, _lower, folded=False), _Form.make(data, fold, folded=True)


_LETTER = re.compile(r"[^\W\d_]")
_BREAK = re.compile(r"\n|(?<=[;.!?…])\s+")


def _sentence_ends(text: str, start: int, end: int):
    """Where sentences end in ``text[start:end]``: at a line break, after ";", and after ".", "!", "?" or
    an ellipsis unless a lowercase word goes on ("trưởng thôn... làm lực lượng nòng cốt")."""
    for m in _BREAK.finditer(text, start, end):
        after = text[m.end() : m.end() + 1]
        if "\n" in m.group() or text[m.start() - 1] == ";" or not (after.islower() or after in '(“"'):
            yield m


_LIST_MARK = re.compile(r"^(?:[-+•*–—·▪●○◦]\s*|(?:[IVX]+|\d{1,2}(?:\.\d{1,2})*|[a-zđ])[.)]\s+)")


def _unaccented_lines(text: str) -> list[tuple[int, int]]:
    """Spans of the lines written without diacritics (fewer than 2 in 100 letters carry one)."""
    marked_re = _tables()[2]
    spans = []
    pos = 0
    for line in text.split("\n"):
        end = pos + len(line)
        need, marked = len(line) // 50 + 1, 0
        for _ in marked_re.finditer(line):
            marked += 1
            if marked >= need:
                break  # plainly written with diacritics
        else:
            letters = len(_LETTER.findall(line))
            if letters >= 4 and marked < 0.02 * letters:
                spans.append((pos, end))
        pos = end + 1
    return spans


def _source(text: str, start: int, end: int) -> str:
    """The sentence around ``text[start:end]``, without list markers, at most SOURCE_MAX characters."""
    left = text.rfind("\n", 0, start) + 1
    for sep in _sentence_ends(text, left, start):
        left = sep.end()
    line_end = text.find("\n", end)
    right_m = next(_sentence_ends(text, end, len(text) if line_end < 0 else line_end + 1), None)
    right = right_m.start() if right_m else len(text)
    s, e = left, right
    if e - s > SOURCE_MAX:
        s = max(s, start - SOURCE_MAX * 2 // 5)
        e = min(e, max(s + SOURCE_MAX, end + 40))
        if s > left:
            s = text.find(" ", s, start) + 1 or s
        if e < right:
            cut = text.rfind(" ", end, e)
            e = cut if cut > end else e
    out = _LIST_MARK.sub("", text[s:e].strip())
    return ("…" if s > left else "") + out + ("…" if e < right else "")


def find_mentions(text: str) -> list[tuple[Group, int, int]]:
    """Every mention of a standard group in ``text``: (group, start, end), by position; a mention
    inside a longer one is read as the longer one."""
    text = unicodedata.normalize("NFC", text or "")
    if not text.strip():
        return []
    accented, unaccented = _forms()
    found: dict[tuple[int, int], list[Group]] = {}
    accented.find(text, _lower(text), [(0, len(text))], found)
    plain = _unaccented_lines(text)
    if plain:
        unaccented.find(text, fold(text), plain, found)
    out = []
    reach = -1
    for start, end in sorted(found, key=lambda span: (span[0], -span[1])):
        if end <= reach:
            continue
        reach = end
        out += [(g, start, end) for g in found[(start, end)]]
    return out


def find_audiences(text: str | list[str] | tuple[str, ...]) -> list[Audience]:
    """The standard groups ``text`` names, each once, in order of first mention, with the sentence
    of that mention. Never raises on odd text."""
    if not isinstance(text, str):
        text = "\n".join(line for line in text if line)
    text = unicodedata.normalize("NFC", text or "")
    audiences: dict[str, Audience] = {}
    for group, start, end in find_mentions(text):
        seen = audiences.get(group.key)
        if seen:
            seen.mentions += 1
            continue
        audiences[group.key] = Audience(
            name=group.name,
            key=group.key,
            tier=group.tier,
            sensitive=group.sensitive,
            source=_source(text, start, end),
            matched=text[start:end],
        )
    return list(audiences.values())


def corpus_counts(texts: list[str]) -> dict[str, tuple[int, int]]:
    """For each standard group: (documents naming it, mentions in all), over ``texts``."""
    counts = {g.key: [0, 0] for g in standard_groups()}
    for text in texts:
        for a in find_audiences(text):
            counts[a.key][0] += 1
            counts[a.key][1] += a.mentions
    return {k: (d, n) for k, (d, n) in counts.items()}
