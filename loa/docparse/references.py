"""Cited documents: kind, number, date, issuer; deduplicated by number and date."""

import re

from .dates import DATE_ANY, date_from_match
from .header import NUMBER_TOKEN
from .model import Reference

REF_KINDS = (
    "Nghị quyết liên tịch|Nghị quyết|Kế hoạch|Thông báo|Tờ trình|Kết luận|Quyết định|Chỉ thị|Luật|Nghị định|"
    "Thông tư liên tịch|Thông tư|Công văn|Hướng dẫn|Quy định|Chương trình|Đề án|Pháp lệnh|Báo cáo|Công điện|"
    "Văn bản hợp nhất|Văn bản"
)
_REF = re.compile(
    rf"(?P<kind>{REF_KINDS})\s+(?:số\s*:?\s*)?(?P<number>{NUMBER_TOKEN})"
    rf"(?:\s*,?\s*(?:ban hành\s+)?ngày\s+{DATE_ANY})?",
    re.IGNORECASE,
)
_HAS_NUMBER = re.compile(r"\d\s?[-/]\s?[A-ZĐa-zđ]")
_ISSUER = re.compile(r"^\s*,?\s*(?:của|do)\s+(?P<issuer>[^;()“\"]{3,160})")
_ISSUER_STOP = re.compile(
    r"\s+(?:về việc|về|V/v|nhằm|tại|đã|để|trong đó|với|quy định|hướng dẫn|ban hành|đến năm)\b|[;.:(“\"]"
)
_BASIS_VERB = re.compile(
    r"(?:^|[.;]\s+|,\s*)(Thực hiện|Căn cứ|Triển khai|Thi hành|Theo|Trên cơ sở|Quán triệt)\b[^.;]*$",
    re.IGNORECASE,
)


def _issuer_after(text: str) -> str | None:
    m = _ISSUER.match(text)
    if not m:
        return None
    issuer = m["issuer"]
    stop = _ISSUER_STOP.search(issuer)
    if stop:
        issuer = issuer[: stop.start()]
    elif "," in issuer[:90]:
        issuer = issuer.split(",")[0] if issuer.count(",") > 1 else issuer
    issuer = issuer.strip(" ,")
    if not issuer or len(issuer) > 100 or not issuer[0].isupper():
        return None
    return issuer


def _kind_name(raw: str) -> str:
    return raw[:1].upper() + raw[1:].lower()


def find_references(
    lines: list[tuple[str, bool]], own_number: str | None = None
) -> tuple[list[Reference], list[str]]:
    """lines: (text, in_basis_zone). A citation in the basis zone led by 'Thực hiện', 'Căn cứ' ... is a basis."""
    found: list[Reference] = []
    for text, basis_zone in lines:
        if not _HAS_NUMBER.search(text):
            continue  # no "309-TB", "08/TTr", "30/2020/NĐ" in the line: nothing cited by number
        for m in _REF.finditer(text):
            number = re.sub(r"\s+", "", m["number"])
            if not re.search(r"[A-ZĐa-zđ]", number) or (own_number and number == own_number):
                continue
            date = date_from_match(m)
            issuer = _issuer_after(text[m.end() :])
            end = m.end()
            if issuer:
                end = text.index(issuer, m.end()) + len(issuer)
            is_basis = bool(basis_zone and _BASIS_VERB.search(text[: m.start()]))
            found.append(
                Reference(
                    kind=_kind_name(m["kind"]),
                    number=number,
                    date=date,
                    issuer=issuer,
                    text=text[m.start() : end].strip(),
                    is_basis=is_basis,
                )
            )
    return _dedupe(found), []


def _dedupe(found: list[Reference]) -> list[Reference]:
    dated: dict[tuple[str, str], Reference] = {}
    order: list[Reference] = []
    for ref in found:
        if ref.date is None:
            continue
        key = (ref.number.upper(), ref.date)
        if key in dated:
            _merge(dated[key], ref)
        else:
            dated[key] = ref
            order.append(ref)
    undated: dict[str, Reference] = {}
    for ref in found:
        if ref.date is not None:
            continue
        key = ref.number.upper()
        same = [r for r in order if r.number.upper() == key]
        if not same:
            # "Nghị quyết liên tịch số 102/2025/NQLT." cut short: the same document as the full number.
            same = [
                r
                for r in order
                if r.number.upper().startswith(key) and r.number[len(key) : len(key) + 1] in "-/"
            ]
        if len(same) >= 1:
            # A later mention without its date refers to the document already cited (the latest one).
            _merge(same[-1] if len(same) == 1 else same[-1], ref)
            continue
        if key in undated:
            _merge(undated[key], ref)
        else:
            undated[key] = ref
            order.append(ref)
    return order


def _merge(into: Reference, other: Reference) -> None:
    if into.issuer is None and other.issuer:
        into.issuer = other.issuer
    if into.date is None and other.date:
        into.date = other.date
    into.is_basis = into.is_basis or other.is_basis
