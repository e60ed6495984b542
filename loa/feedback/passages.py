"""Passages of the official documents Loa holds, proposed to the officer who answers a citizen.

Every imported document's sections are cut into paragraphs, each with its citation: the document's
number, the section path ("II.1.1") and the paragraph's place in it. BM25 over words (with and
without diacritics) finds 30 candidates; the e5 model re-ranks them by meaning, so a question asked
in everyday words still finds the plan's formal sentence. The officer picks; nothing is sent
without a person writing and an approver publishing.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from loa.nlp.search import BM25
from loa.plans.models import Document, Section

MAX_PASSAGE = 1200  # characters shown and cited; longer paragraphs are cut at a sentence


@dataclass(frozen=True)
class Passage:
    id: int
    document_id: int
    document: str  # "Kế hoạch số 45/KH-UBND ngày 17/3/2026"
    section: str  # "Mục II.1.1, đoạn 2"
    heading: str
    text: str

    def citation(self) -> dict:
        return {"document": self.document, "section": self.section, "quote": self.text}


def _document_name(doc: Document) -> str:
    name = doc.kind or "Văn bản"
    if doc.number:
        name += f" số {doc.number}"
    if doc.issued_on:
        name += f" ngày {doc.issued_on.day}/{doc.issued_on.month}/{doc.issued_on.year}"
    if not doc.number and doc.title:
        title = doc.title if len(doc.title) <= 90 else doc.title[:90].rsplit(" ", 1)[0] + "…"
        name += f" “{title}”"
    return name


def _path(section: Section, by_id: dict[int, Section]) -> str:
    chain = []
    node = section
    while node is not None:
        chain.append(node.label)
        node = by_id.get(node.parent_id) if node.parent_id else None
    parts: list[str] = []
    for label in reversed(chain):
        if parts and label.startswith(parts[-1] + "."):
            parts[-1] = label
        else:
            parts.append(label)
    return ".".join(p for p in parts if p)


def _cut(text: str) -> str:
    if len(text) <= MAX_PASSAGE:
        return text
    cut = text.rfind(". ", 0, MAX_PASSAGE)
    return text[: cut + 1] if cut > MAX_PASSAGE // 3 else text[:MAX_PASSAGE] + "…"


def passages_of(version_ids: tuple[int, ...]) -> list[Passage]:
    docs = {d.current_version_id: d for d in Document.objects.filter(current_version_id__in=version_ids)}
    sections = list(Section.objects.filter(version_id__in=version_ids).order_by("version_id", "order"))
    by_id = {s.pk: s for s in sections}
    out: list[Passage] = []
    for s in sections:
        doc = docs.get(s.version_id)
        if doc is None or not s.text.strip():
            continue
        path = _path(s, by_id)
        for i, para in enumerate((p.strip() for p in s.text.split("\n")), start=1):
            if len(para) < 30:
                continue
            out.append(
                Passage(
                    id=len(out),
                    document_id=doc.pk,
                    document=_document_name(doc),
                    section=f"Mục {path}, đoạn {i}" if path else f"Đoạn {i}",
                    heading=s.heading,
                    text=_cut(para),
                )
            )
    return out


@lru_cache(maxsize=8)
def _index(version_ids: tuple[int, ...]) -> tuple[list[Passage], BM25]:
    found = passages_of(version_ids)
    return found, BM25((p.id, f"{p.heading}. {p.text}") for p in found)


def documents_for(document: Document | None) -> tuple[int, ...]:
    """The plan's own text first, then every other imported document (resolutions, other plans)."""
    ids = list(
        Document.objects.exclude(current_version=None)
        .order_by("-pk")
        .values_list("current_version_id", flat=True)[:200]
    )
    if document is not None and document.current_version_id:
        ids = [document.current_version_id] + [i for i in ids if i != document.current_version_id]
    return tuple(sorted(ids))


def suggest(question: str, document: Document | None, top: int = 5) -> list[Passage]:
    from loa.nlp.embed import passages as embed_passages
    from loa.nlp.embed import queries

    found, index = _index(documents_for(document))
    hits = index.search(question, top=30)
    if not hits:
        return []
    candidates = [found[h.id] for h in hits]
    query = queries([question])[0]
    vectors = embed_passages([f"{p.heading}. {p.text}" for p in candidates])
    semantic = vectors @ query
    # reciprocal-rank fusion of the word ranking and the meaning ranking; own plan first on ties
    by_meaning = {
        c.id: r for r, c in enumerate(sorted(candidates, key=lambda c: -semantic[candidates.index(c)]))
    }
    own = document.pk if document is not None else None
    scored = [
        (1 / (10 + r) + 1 / (10 + by_meaning[c.id]) + (0.005 if c.document_id == own else 0.0), c)
        for r, c in enumerate(candidates)
    ]
    scored.sort(key=lambda pair: -pair[0])
    return [c for _s, c in scored[:top]]


def clear_cache() -> None:
    _index.cache_clear()
