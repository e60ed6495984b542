"""`loa parse PATH [PATH ...] [--json]`: print the structure of each document.

Exit codes (schema): 0 every input read as a plan; 3 an input was read but is not a plan;
2 an input could not be read (message on stderr, nothing on stdout for it). With several
paths the exit code is the worst.
"""

import argparse
import json
import os
import sys

from . import DEFAULT_MAX_BYTES, DocumentError, PlanDoc, parse_path

EXIT_OK, EXIT_UNREADABLE, EXIT_NOT_PLAN = 0, 2, 3
_SEVERITY = {EXIT_OK: 0, EXIT_NOT_PLAN: 1, EXIT_UNREADABLE: 2}
_PER = {"day": "ngày", "week": "tuần", "month": "tháng", "quarter": "quý", "year": "năm", None: ""}


def summary(doc: PlanDoc) -> str:
    """A readable Vietnamese summary: header, outline, units and their tasks, cited documents."""
    out = []
    out.append(
        f"{doc.kind or 'Văn bản'} {doc.number or '(không số)'}"
        f"{' ngày ' + doc.issued_on if doc.issued_on else ''}{' — ' + doc.place if doc.place else ''}"
    )
    out.append(f"Cơ quan ban hành: {doc.issuer or '—'}")
    out.append(f"Trích yếu: {doc.title or '—'}")
    if doc.sections:
        out.append("\nĐề mục:")
        for top in doc.sections:
            for depth, s in _walk_depth(top):
                out.append(f"{'  ' * (depth + 1)}{s.label}. {s.heading}")
    if doc.themes:
        out.append(f"\nNội dung tuyên truyền: {len(doc.themes)} chủ đề")
    if doc.channels:
        kinds = sorted({c.kind for c in doc.channels})
        out.append(f"Hình thức: {', '.join(kinds)}")
    if doc.assignments:
        out.append("\nPhân công:")
        for a in doc.assignments:
            out.append(f"  {a.label or '•'}. {'; '.join(a.units)}")
            for t in a.tasks:
                extra = []
                if t.deadline:
                    extra.append(f"hạn {t.deadline}")
                if t.recurrence:
                    extra.append(t.recurrence)
                for k in t.kpis:
                    extra.append(
                        f"{k.comparator} {k.quantity:g} {k.unit}{'/' + _PER[k.per] if k.per else ''}"
                    )
                text = t.text if len(t.text) <= 110 else t.text[:107] + "..."
                out.append(f"     - {text}{'  [' + '; '.join(extra) + ']' if extra else ''}")
    if doc.indicators:
        out.append("\nChỉ tiêu:")
        for i in doc.indicators:
            year = f"{i.from_year}–{i.year}" if i.from_year else (i.year or "")
            out.append(f"  - {i.metric}: {i.comparator} {i.value:g} {i.unit} {year}")
    if doc.references:
        out.append("\nVăn bản dẫn chiếu:")
        for r in doc.references:
            out.append(
                f"  - {r.kind} {r.number or ''}{' ngày ' + r.date if r.date else ''}"
                f"{' của ' + r.issuer if r.issuer else ''}{' (căn cứ)' if r.is_basis else ''}"
            )
    if doc.signer:
        out.append(
            f"\nNgười ký: {doc.signer.authority or ''} {doc.signer.position or ''} {doc.signer.name or ''}".rstrip()
        )
    if doc.warnings:
        out.append("\nCảnh báo:")
        out.extend(f"  ! {w}" for w in doc.warnings)
    return "\n".join(out)


def _walk_depth(section, depth=0):
    yield depth, section
    for child in section.children:
        yield from _walk_depth(child, depth + 1)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="loa parse", description="Đọc văn bản kế hoạch và in cấu trúc.")
    parser.add_argument("paths", nargs="+", metavar="PATH")
    parser.add_argument(
        "--json", action="store_true", help="in mỗi văn bản một dòng JSON theo plan.schema.json"
    )
    parser.add_argument(
        "--max-mb", type=float, default=None, help="giới hạn dung lượng tệp (MB), mặc định 20"
    )
    args = parser.parse_args(argv)
    max_mb = args.max_mb if args.max_mb is not None else float(os.environ.get("LOA_MAX_UPLOAD_MB", 0) or 0)
    max_bytes = int(max_mb * 1024 * 1024) if max_mb else DEFAULT_MAX_BYTES
    worst = EXIT_OK
    for i, path in enumerate(args.paths):
        try:
            doc = parse_path(path, max_bytes=max_bytes)
        except DocumentError as exc:
            print(f"Lỗi: {path}: {exc.message}", file=sys.stderr)
            code = EXIT_UNREADABLE
        except Exception as exc:  # noqa: BLE001 — a bug must still not print a traceback to an officer
            print(f"Lỗi: {path}: không đọc được văn bản ({type(exc).__name__}).", file=sys.stderr)
            code = EXIT_UNREADABLE
        else:
            code = EXIT_OK if doc.is_plan else EXIT_NOT_PLAN
            if args.json:
                print(json.dumps(doc.to_dict(), ensure_ascii=False))
            else:
                if i:
                    print("\n" + "=" * 72)
                print(f"# {path}")
                print(summary(doc))
        if _SEVERITY[code] > _SEVERITY[worst]:
            worst = code
    sys.stdout.flush()
    return worst
