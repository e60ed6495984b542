"""The document's own identity: kind, number, place and date, issuer, title (trích yếu)."""

import re
from dataclasses import dataclass, field

from .dates import iso

# Tên loại văn bản → ký hiệu (Nghị định 30/2020 Phụ lục III; Hướng dẫn 36-HD/VPTW).
KINDS = {
    "KẾ HOẠCH": ("Kế hoạch", "KH"),
    "BÁO CÁO": ("Báo cáo", "BC"),
    "QUYẾT ĐỊNH": ("Quyết định", "QĐ"),
    "NGHỊ QUYẾT LIÊN TỊCH": ("Nghị quyết liên tịch", "NQLT"),
    "NGHỊ QUYẾT": ("Nghị quyết", "NQ"),
    "THÔNG BÁO": ("Thông báo", "TB"),
    "KẾT LUẬN": ("Kết luận", "KL"),
    "CHỈ THỊ": ("Chỉ thị", "CT"),
    "TỜ TRÌNH": ("Tờ trình", "TTr"),
    "HƯỚNG DẪN": ("Hướng dẫn", "HD"),
    "CHƯƠNG TRÌNH": ("Chương trình", "CTr"),
    "ĐỀ ÁN": ("Đề án", "ĐA"),
    "QUY CHẾ": ("Quy chế", "QC"),
    "QUY ĐỊNH": ("Quy định", "QyĐ"),
    "CÔNG VĂN": ("Công văn", "CV"),
    "NGHỊ ĐỊNH": ("Nghị định", "NĐ"),
    "THÔNG TƯ LIÊN TỊCH": ("Thông tư liên tịch", "TTLT"),
    "THÔNG TƯ": ("Thông tư", "TT"),
    "LUẬT": ("Luật", None),
    "PHÁP LỆNH": ("Pháp lệnh", None),
    "VĂN BẢN HỢP NHẤT": ("Văn bản hợp nhất", "VBHN"),
    "CÔNG ĐIỆN": ("Công điện", "CĐ"),
    "GIẤY MỜI": ("Giấy mời", "GM"),
}
CODE_TO_KIND = {code: name for name, code in KINDS.values() if code}
CODE_TO_KIND.update({"QD": "Quyết định", "Q": "Quyết định", "HĐ": "Hướng dẫn"})

_KIND_LINE = re.compile(r"^(" + "|".join(sorted(KINDS, key=len, reverse=True)) + r")\s*:?\s*(.*)$")
MOTTO = re.compile(
    r"^(CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM|CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM|ĐỘC LẬP|Độc lập\s*-|"
    r"ĐẢNG CỘNG SẢN VIỆT NAM|ĐOÀN TNCS HỒ CHÍ MINH|\*+$|-+$)",
    re.IGNORECASE,
)
NUMBER_TOKEN = r"\d+[A-Za-z]?(?:/\d{4})?(?:\s?[-/]\s?[A-ZĐa-zđ0-9]+(?:[-.][A-ZĐa-zđ0-9]+)*)+"
_NUMBER_LINE = re.compile(r"^Số\s*[:.]?\s*(.*)$", re.IGNORECASE)
_PARTY_NUMBER = re.compile(r"^(?:Số\s*)?(\d+-[A-ZĐ][A-Za-zĐđ]*/[A-ZĐ][A-Za-zĐđ0-9.\-]*)$")
_PLACE_DATE = re.compile(
    r"^(?P<place>[^,\d]{2,60}?)\s*,\s*ngày\s+(?P<d>\d{1,2}|[ .…_]*)\s*tháng\s+(?P<m>\d{1,2}|[ .…_]*)\s*năm\s+(?P<y>\d{4})",
    re.IGNORECASE,
)
_PREAMBLE_START = re.compile(
    r"^(Căn cứ|Thực hiện|Triển khai|Để|Nhằm|Theo|Trên cơ sở|Thi hành|Sau khi|Tiếp tục|Qua|Hưởng ứng|Chào mừng|Kính gửi|Ngày)\b"
)
_LABEL_START = re.compile(r"^(?:[IVX]+[.\-–]\s|\d+(?:\.\d+)*[.\-)]\s|[a-zđ]\)\s|PHẦN\s|Chương\s|Điều\s+\d)")
_LEVEL_WORD = re.compile(r"^(XÃ|PHƯỜNG|THỊ TRẤN|HUYỆN|QUẬN|THỊ XÃ|TỈNH|THÀNH PHỐ|TP\.?|ĐẶC KHU)\b")
_ISSUER_SENTENCE = re.compile(
    r"(?:^|[,;.:]\s+)(?P<issuer>[A-ZĐ][^,;.:]{3,100}?)\s+(?:xây dựng|ban hành|triển khai|lập)\s+(?:Kế hoạch|kế hoạch)"
)
_GENERIC_BODIES = {
    "BAN THƯỜNG TRỰC",
    "THƯỜNG TRỰC",
    "BAN THƯỜNG VỤ",
    "BAN CHẤP HÀNH",
    "BAN CHỈ ĐẠO",
    "VĂN PHÒNG",
}
SECRET = re.compile(r"^(MẬT|TỐI MẬT|TUYỆT MẬT)$")


@dataclass
class Header:
    kind: str | None = None
    kind_code: str | None = None
    number: str | None = None
    issued_on: str | None = None
    place: str | None = None
    issuer: str | None = None
    title: str | None = None
    kind_index: int | None = None
    body_start: int = 0
    warnings: list[str] = field(default_factory=list)


def _clean_number(raw: str) -> str | None:
    raw = raw.strip().strip(".,;")
    m = re.match(NUMBER_TOKEN, raw)
    if m and m.group(0)[0].isdigit():
        return re.sub(r"\s+", "", m.group(0))
    return None


def read_header(lines: list[str]) -> Header:
    h = Header()
    # The kind line: a standalone upper-case kind name near the top.
    limit = min(len(lines), 40)
    for i in range(limit):
        m = _KIND_LINE.match(lines[i])
        if m and (not m.group(2) or not m.group(2).isupper()) and lines[i].split(":")[0].strip().isupper():
            if m.group(2) and len(m.group(2)) > 200:
                continue
            h.kind, h.kind_code = KINDS[m.group(1)]
            h.kind_index = i
            break
    head_end = h.kind_index if h.kind_index is not None else min(len(lines), 15)

    number_index = None
    for i in range(min(len(lines), max(head_end + 1, 15))):
        line = lines[i]
        m = _NUMBER_LINE.match(line)
        if m and number_index is None and (i < head_end or h.kind_index is None):
            number_index = i
            rest = m.group(1)
            if not rest.strip() and i + 1 < len(lines):
                rest = lines[i + 1]
            h.number = _clean_number(rest)
            if h.number is None:
                h.warnings.append(f"Số văn bản để trống hoặc không đọc được (“{line}”): ghi là không có.")
            continue
        pm = _PARTY_NUMBER.match(line)
        if pm and number_index is None and i < head_end:
            number_index = i
            h.number = pm.group(1)
            continue
        dm = _PLACE_DATE.match(line)
        if dm and h.place is None:
            h.place = dm["place"].strip()
            if dm["d"].strip().isdigit() and dm["m"].strip().isdigit():
                h.issued_on = iso(int(dm["y"]), int(dm["m"]), int(dm["d"]))
            if h.issued_on is None:
                h.warnings.append(f"Ngày ban hành để trống (“{line}”): ghi là không có.")
    # Kind from the number's code when no kind line stands (e.g. "Số: 12/KH-UBND").
    if h.number and h.kind is None:
        for part in re.split(r"[-/]", h.number):
            if part in CODE_TO_KIND and not part.isdigit():
                h.kind = CODE_TO_KIND[part]
                h.kind_code = next((c for n, c in KINDS.values() if n == h.kind), part)
                break
    if h.kind is None:
        for i in range(min(len(lines), 15)):
            if re.match(r"^V/v\b", lines[i]):
                h.kind, h.kind_code = "Công văn", "CV"
                h.title = re.sub(r"^V/v\.?\s*", "", lines[i]).strip() or None
                break

    # Issuer: the upper-case lines of the header's left side, above the number.
    stop = number_index if number_index is not None else head_end
    cells = [c.strip(" -*/|") for ln in lines[:stop] for c in ln.split(" | ")]
    candidates = [
        c
        for c in cells
        if c.isupper() and not MOTTO.match(c) and not _PLACE_DATE.match(c) and not SECRET.match(c)
    ]
    candidates = [
        c for c in candidates if not _KIND_LINE.match(c) and len(c) < 120 and not c.startswith("SỐ")
    ]
    if candidates:
        issuer = candidates[-1]
        if _LEVEL_WORD.match(issuer) and len(candidates) > 1:
            issuer = f"{candidates[-2]} {issuer}"
        elif issuer in _GENERIC_BODIES and len(candidates) > 1:
            # "ỦY BAN MTTQ VIỆT NAM / XÃ LƯƠNG MINH / BAN THƯỜNG TRỰC": the standing board of that body.
            parent = candidates[-2]
            if _LEVEL_WORD.match(parent) and len(candidates) > 2:
                parent = f"{candidates[-3]} {parent}"
            issuer = f"{issuer} {parent}"
        h.issuer = issuer

    # Title: the lines after the kind line, until the preamble or the first numbered part.
    if h.kind_index is not None:
        m = _KIND_LINE.match(lines[h.kind_index])
        parts = [m.group(2)] if m and m.group(2) else []
        j = h.kind_index + 1
        while j < len(lines) and len(parts) < 6:
            line = lines[j]
            first = j == h.kind_index + 1 and not parts
            starts_preamble = _PREAMBLE_START.match(line) and not (
                first and not line.startswith(("Căn cứ", "Kính gửi"))
            )
            if starts_preamble or _LABEL_START.match(line) or SECRET.match(line) or len(line) > 400:
                break
            if parts and len(" ".join(parts)) > 350:
                break
            parts.append(line)
            j += 1
        if parts:
            h.title = re.sub(r"^(V/v|Về việc)\s*:?\s*", "", " ".join(parts)).strip() or None
        h.body_start = j
    else:
        h.body_start = number_index + 1 if number_index is not None else 0

    if h.issuer is None:
        preamble = " ".join(lines[h.body_start : h.body_start + 4])
        m = _ISSUER_SENTENCE.search(preamble)
        if m:
            h.issuer = m["issuer"].strip()
    return h
