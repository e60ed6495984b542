"""A material's text cut into paragraphs, each with a citable label ("Mục II.1, đoạn 2"). Pure:
uses the plan parser's normalisation and outline (loa/docparse), no Django."""

from __future__ import annotations

import re

from loa.docparse.header import read_header
from loa.docparse.normalize import normalize
from loa.docparse.outline import build_outline


def _join(parent: str, label: str) -> str:
    if not parent:
        return label
    return label if label.startswith(parent + ".") else f"{parent}.{label}"


def labelled(raw: str) -> tuple[dict, list[dict]]:
    """(header fields, paragraphs): each paragraph ``{"label", "heading", "text"}``. The document's
    header (number, date, issuer, title) is read as for a plan; the closing (recipients, signature)
    is left out."""
    lines, _repairs = normalize(raw or "")
    if not lines:
        return {}, []
    header = read_header(lines)
    fields = {
        "kind": header.kind or "",
        "number": header.number or "",
        "issued_on": header.issued_on,
        "issuer": header.issuer or "",
        "title": header.title or "",
    }
    sections, preamble, _closing = build_outline(lines[header.body_start :])
    preamble = [ln.strip() for ln in preamble if ln.strip() and not _PLACE_DATE.match(ln.strip())]
    # "ĐỀ CƯƠNG TUYÊN TRUYỀN" / "HỎI – ĐÁP" then the subject line: the material's kind and title
    while preamble and _is_caps(preamble[0]):
        heading = preamble.pop(0)
        fields["kind"] = fields["kind"] or heading.capitalize()
        if preamble and not _is_caps(preamble[0]) and not fields["title"]:
            fields["title"] = preamble.pop(0)
    out: list[dict] = []
    for i, line in enumerate(preamble, start=1):
        out.append({"label": f"Phần mở đầu, đoạn {i}", "heading": "", "text": line.strip()})

    def walk(section, parent: str) -> None:
        path = _join(parent, section.label)
        body = [ln.strip() for ln in section.lines if ln.strip()]
        for i, line in enumerate(body, start=1):
            out.append({"label": f"Mục {path}, đoạn {i}", "heading": section.heading, "text": line})
        for child in section.children:
            walk(child, path)

    for top in sections:
        walk(top, "")
    if not out:  # no outline and no preamble: every line is a paragraph
        body = [ln.strip() for ln in lines[header.body_start :] if ln.strip()]
        out = [{"label": f"Đoạn {i}", "heading": "", "text": ln} for i, ln in enumerate(body, start=1)]
    return fields, out


_PLACE_DATE = re.compile(r"^[^\d,]{2,60},\s*ngày\b", re.IGNORECASE)


def _is_caps(line: str) -> bool:
    letters = [ch for ch in line if ch.isalpha()]
    return len(letters) >= 4 and all(ch.isupper() for ch in letters)
