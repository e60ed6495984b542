"""Quiz question bank, reading side: questions with four options and one key, each citing document,
section and sentence, from Aiken text, CSV or XLSX, with a report per question or row. Pure, no
Django. (The contest itself — rounds, attempts, ranking — is not built yet.)

Aiken, with Loa's optional lines after ``ANSWER:``::

    Nghị quyết 02-NQ/TW được ban hành ngày nào?
    A. 17/3/2026
    B. 17/3/2025
    C. 2/9/2026
    D. 1/1/2026
    ANSWER: A
    CITE: Nghị quyết số 02-NQ/TW | Phần mở đầu | Ngày 17/3/2026, Bộ Chính trị ban hành …
    THEME: 1.1
    AUDIENCE: thanh_nien

CSV/XLSX columns (first row): cau_hoi, a, b, c, d, dap_an (A–D), van_ban, muc, cau_trich,
chu_de, doi_tuong. A question without a citation, with two keys, with no key, with fewer than four
distinct options, or too long is refused with its reason; the others are kept.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from loa.activities.tabular import TabularError, read_table

LETTERS = "ABCD"
MAX_TEXT = 1000
MAX_OPTION = 300


@dataclass
class Question:
    text: str
    options: list[str]
    key: int  # 0..3
    document: str
    section: str
    sentence: str
    theme: str = ""
    audience: str = ""


@dataclass
class Report:
    questions: list[Question] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)  # (question or row number, reason)

    @property
    def summary(self) -> str:
        return f"Nhận {len(self.questions)} câu hỏi; {len(self.errors)} câu bị từ chối."


def _check(text: str, options: list[str], keys: list[str], cite: list[str]) -> tuple[Question | None, str]:
    text = " ".join(text.split())
    options = [" ".join(o.split()) for o in options]
    if not text:
        return None, "Thiếu nội dung câu hỏi."
    if len(text) > MAX_TEXT or any(len(o) > MAX_OPTION for o in options):
        return None, "Câu hỏi hoặc phương án quá dài."
    if len(options) != 4 or any(not o for o in options):
        return None, "Cần đúng bốn phương án A, B, C, D."
    if len({o.casefold() for o in options}) < 4:
        return None, "Có hai phương án trùng nhau."
    keys = [k.strip().upper() for k in keys if k.strip()]
    if not keys:
        return None, "Thiếu đáp án."
    if len(keys) > 1 or len(keys[0]) != 1:
        return None, "Mỗi câu chỉ có một đáp án đúng."
    if keys[0] not in LETTERS:
        return None, f"Đáp án “{keys[0]}” không phải A, B, C hoặc D."
    document, section, sentence = (cite + ["", "", ""])[:3]
    if not document.strip() or not sentence.strip():
        return None, "Thiếu trích dẫn (văn bản và câu trích) — câu hỏi phải dẫn nguồn chính thức."
    return Question(
        text, options, LETTERS.index(keys[0]), document.strip(), section.strip(), sentence.strip()
    ), ""


_OPTION = re.compile(r"^([A-D])[.)]\s*(.*)$")


def read_aiken(raw: str) -> Report:
    report = Report()
    blocks = [b for b in re.split(r"\n\s*\n", (raw or "").replace("\r\n", "\n")) if b.strip()]
    for n, block in enumerate(blocks, start=1):
        lines = [ln.strip() for ln in block.strip().split("\n") if ln.strip()]
        stem, options, keys, cite, extra = [], {}, [], [], {}
        for line in lines:
            m = _OPTION.match(line)
            upper = line.upper()
            if m and not keys:
                options[m.group(1)] = m.group(2)
            elif upper.startswith("ANSWER:"):
                keys += re.split(r"[,;\s]+", line.split(":", 1)[1].strip())
            elif upper.startswith("CITE:"):
                cite = [p.strip() for p in line.split(":", 1)[1].split("|")]
            elif upper.startswith(("THEME:", "AUDIENCE:")):
                extra[upper.split(":", 1)[0]] = line.split(":", 1)[1].strip()
            elif not options:
                stem.append(line)
        question, reason = _check(" ".join(stem), [options.get(x, "") for x in LETTERS], keys, cite)
        if question is None:
            report.errors.append((n, reason))
            continue
        question.theme, question.audience = extra.get("THEME", ""), extra.get("AUDIENCE", "")
        report.questions.append(question)
    if not blocks:
        report.errors.append((0, "Tệp không có câu hỏi nào."))
    return report


COLUMNS = ["cau_hoi", "a", "b", "c", "d", "dap_an", "van_ban", "muc", "cau_trich", "chu_de", "doi_tuong"]


def read_rows(data: bytes, filename: str) -> Report:
    """CSV or XLSX, one question per row; each refused row named by its row number."""
    report = Report()
    try:
        table = read_table(data, filename)
    except TabularError as exc:
        report.errors.append((0, str(exc)))
        return report
    header = {h.strip().lower() for h in table.header}
    missing = [c for c in COLUMNS[:9] if c not in header]
    if missing:
        report.errors.append((1, "Thiếu cột: " + ", ".join(missing) + "."))
        return report
    for row in table.rows:
        v = {k.strip().lower(): (val or "") for k, val in row.values.items()}
        question, reason = _check(
            v["cau_hoi"],
            [v["a"], v["b"], v["c"], v["d"]],
            re.split(r"[,;\s]+", v["dap_an"]),
            [v["van_ban"], v["muc"], v["cau_trich"]],
        )
        if question is None:
            report.errors.append((row.number, reason))
            continue
        question.theme, question.audience = v.get("chu_de", ""), v.get("doi_tuong", "")
        report.questions.append(question)
    return report


def read(data: bytes, filename: str) -> Report:
    if filename.lower().endswith((".txt", ".aiken")):
        try:
            raw = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            return Report(errors=[(0, "Tệp Aiken phải là văn bản UTF-8.")])
        return read_aiken(raw)
    return read_rows(data, filename)
