"""Loudspeaker scripts ("kịch bản phát thanh"): greeting, the lead, the sentences that carry the
plan's figures, closing — read at 200 syllables a minute within 60, 120 or 180 seconds. The text
is the spoken form (loa.nlp.spoken): dates, numbers and abbreviations as a broadcaster says them.
Pure, no Django."""

from __future__ import annotations

import re

from loa.nlp.spoken import Lexicon, seconds, spoken

LIMITS = (60, 120, 180)
GREETING = "Kính thưa bà con nhân dân!"
CLOSING = (
    "Đề nghị bà con nhân dân quan tâm, hưởng ứng và thực hiện tốt. Xin cảm ơn bà con đã chú ý lắng nghe!"
)
_SENTENCE = re.compile(r"(?<=[.!?;])\s+(?=[A-ZĐÀ-Ỹ0-9])")
_FIGURE = re.compile(r"\d")


def sentences(paragraphs: list[str]) -> list[str]:
    out = []
    for p in paragraphs:
        for s in _SENTENCE.split(p.strip()):
            s = s.strip(" -–•*")
            if len(s) >= 15:
                out.append(s if s[-1] in ".!?;" else s + ".")
    return out


def build(
    *, title: str, paragraphs: list[str], limit: int, speaker: str = "", lexicon: Lexicon | None = None
) -> tuple[str, float]:
    """The script for ``paragraphs`` (plain text, in order) within ``limit`` seconds, and its
    estimated reading time. The lead (first sentence) always goes in; then the sentences with
    figures, in order; then the others while time remains."""
    if limit not in LIMITS:
        raise ValueError(f"limit must be one of {LIMITS}")
    intro = (
        f"{speaker} xin thông tin tới bà con về {title.rstrip('.')}."
        if speaker
        else f"Sau đây là thông tin về {title.rstrip('.')}."
    )
    all_sentences = sentences(paragraphs)
    chosen: list[int] = []

    def text_of(idx: list[int]) -> str:
        body = " ".join(all_sentences[i] for i in sorted(idx))
        return "\n".join(part for part in (GREETING, intro, body, CLOSING) if part)

    def fits(idx: list[int]) -> bool:
        return seconds(text_of(idx), lexicon=lexicon) <= limit

    order = [0] if all_sentences else []
    order += [i for i, s in enumerate(all_sentences) if i and _FIGURE.search(s)]
    order += [i for i in range(len(all_sentences)) if i not in order]
    for i in order:
        if fits(chosen + [i]):
            chosen.append(i)
    text = text_of(chosen)
    spoken_text = spoken(text, lexicon)
    return spoken_text, measure(spoken_text)


def measure(text: str) -> float:
    """Reading time in seconds of a script already in spoken form (or edited by the officer)."""
    return seconds(text)


PORTAL_WORDS = 150


def words(text: str) -> int:
    return len(text.split())


def portal_text(*, title: str, paragraphs: list[str], limit: int = PORTAL_WORDS) -> str:
    """A short text for portals: the lead, then the sentences with figures, then the others, in
    their order, while the whole stays within ``limit`` words."""
    all_sentences = sentences(paragraphs)
    order = ([0] if all_sentences else []) + [
        i for i, s in enumerate(all_sentences) if i and _FIGURE.search(s)
    ]
    order += [i for i in range(len(all_sentences)) if i not in order]
    head = title.rstrip(".") + "."
    chosen: list[int] = []
    for i in order:
        trial = sorted(chosen + [i])
        if words(head + " " + " ".join(all_sentences[j] for j in trial)) <= limit:
            chosen = trial
    return head + "\n" + " ".join(all_sentences[j] for j in chosen)
