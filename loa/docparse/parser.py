"""From text to PlanDoc: normalise, read the header, the outline, the parts and the closing block."""

import re

from .audiences import find_audiences
from .closing import read_closing
from .errors import DocumentError
from .extract import extract_assignments, extract_channels, extract_themes, find_indicators, find_parts
from .header import SECRET, read_header
from .model import PlanDoc
from .normalize import normalize
from .outline import build_outline
from .references import find_references


def parse_text(raw: str, *, warnings: list[str] | None = None) -> PlanDoc:
    """Parse the text of one document. Never raises on odd text, except for a state-secret mark."""
    lines, repairs = normalize(raw or "")
    doc = PlanDoc(warnings=list(warnings or []) + repairs)
    doc.text = "\n".join(lines)
    for line in lines[:25]:
        if SECRET.match(line.strip(" *")):
            raise DocumentError(
                "secret",
                f"Văn bản có dấu “{line.strip(' *')}”: tài liệu mật không được đưa vào Loa. Không có gì được lưu.",
            )
    if not lines:
        doc.warnings.append("Văn bản không có nội dung đọc được.")
        return doc

    header = read_header(lines)
    for name in ("kind", "kind_code", "number", "issued_on", "place", "issuer", "title"):
        setattr(doc, name, getattr(header, name))
    doc.warnings.extend(header.warnings)

    body = lines[header.body_start :]
    sections, preamble, closing = build_outline(body)
    doc.sections = sections
    doc.recipients, doc.signer = read_closing(closing)

    parts = find_parts(sections)
    doc.themes = extract_themes(parts.get("content"))
    doc.channels = extract_channels(parts.get("forms"))
    doc.assignments = extract_assignments(parts.get("implementation"))

    # References: the title and preamble are where a plan names what it implements.
    ref_lines: list[tuple[str, bool]] = []
    if doc.title:
        ref_lines.append((f"Thực hiện {doc.title}", True))
    ref_lines += [(ln, True) for ln in preamble]
    for top in sections:
        for s in top.walk():
            ref_lines.append((s.heading, False))
            ref_lines += [(ln, False) for ln in s.lines]
    ref_lines += [(ln, False) for ln in closing]
    doc.references, _ = find_references(ref_lines, own_number=doc.number)
    for ref in doc.references:
        if ref.text.startswith("Thực hiện ") and doc.title and ref.text[10:] in doc.title:
            ref.text = ref.text[10:]

    impl = parts.get("implementation")
    indicator_text = [
        ln
        for top in sections
        if top is not impl
        for s in top.walk()
        for ln in [s.heading, *s.lines]
        if s is not parts.get("forms")
    ]
    doc.indicators = find_indicators("\n".join(indicator_text))
    outline_lines = [ln for top in sections for s in top.walk() for ln in (s.heading, *s.lines)]
    doc.audiences = find_audiences([doc.title or "", *preamble, *outline_lines])  # not the closing block

    if doc.kind != "Kế hoạch":
        what = f"“{doc.kind}”" if doc.kind else "không rõ loại (không có dòng tên loại văn bản)"
        doc.warnings.append(
            f"Văn bản không phải kế hoạch: {what}. Chỉ đọc được thông tin chung và văn bản dẫn chiếu."
        )
    elif not sections:
        doc.warnings.append("Không tìm thấy đề mục đánh số (I., 1., a)...): kế hoạch chưa có cấu trúc.")
    elif not doc.assignments:
        doc.warnings.append("Không tìm thấy phần “Tổ chức thực hiện”: chưa có nhiệm vụ nào được giao.")
    if doc.title:
        doc.title = re.sub(r"\s+", " ", doc.title).strip()
    return doc
