"""Score ``loa.docparse`` field by field against the hand-made gold files in ``tests/gold``.

In:  every ``tests/gold/<id>.json`` (a plan as ``../shared/schemas/plan.schema.json`` describes it, plus
     ``_source``: the document's path relative to the repository's parent folder, e.g.
     ``shared/seeds/000_93c23c263a7d8027.txt``; ``LOA_SHARED_DIR`` replaces the leading ``shared/``).
Out: a table, one row per field and one column per document plus the macro average, then the overall
     mean; with ``--json`` the same numbers as JSON on stdout.

Each document is parsed with ``loa.docparse.parse_path(path).to_dict()``. Scores are in [0, 1]:

- scalar fields (kind, kind_code, number, issued_on, place, issuer, title, signer.*): 1 when gold and
  prediction are equal after normalisation (NFC, markdown ** and # dropped, whitespace collapsed,
  casefold, trailing ``.,;:`` dropped; for ``number`` all whitespace is dropped), else 0;
- list fields: F1 over multisets of match keys (both lists empty counts as 1):
  references (number + date), sections (label path + first 40 characters of the heading),
  themes (label + title), channels (kind + first 40 characters of the text), assignments.units
  (unit names, a courtesy prefix such as "Đề nghị" or "Đồng chí" ignored), tasks (first 40 characters
  of the text, only inside assignments paired by their units), kpis (quantity + unit + per),
  indicators (value + unit + year, whatever the metric is called), recipients (name);
- references.is_basis: accuracy over the references matched by number + date;
- task.deadline: accuracy over the tasks matched by text.

A field is ``-`` (not applicable) when it has nothing to measure, e.g. is_basis with no matched
reference. A document whose parse raises is shown as ``ERR`` and counts 0 in the averages; a document
whose source file is missing is shown as ``MISSING`` and left out of them.

Exit status: 0, also when the parser is missing or fails; 2 when a gold file is malformed.

    .venv/bin/python scripts/score_parser.py [--gold DIR] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import unicodedata
from collections import Counter
from collections.abc import Callable, Hashable, Iterable, Iterator
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
GOLD_DIR = REPO / "tests" / "gold"
PREFIX_CHARS = 40
COURTESY_PREFIXES = ("đề nghị", "đồng chí", "đ/c")

SCALAR_FIELDS = [
    "kind",
    "kind_code",
    "number",
    "issued_on",
    "place",
    "issuer",
    "title",
    "signer.name",
    "signer.position",
    "signer.authority",
]
LIST_FIELDS = [
    "references",
    "references.is_basis",
    "sections",
    "themes",
    "channels",
    "assignments.units",
    "tasks",
    "task.deadline",
    "kpis",
    "indicators",
    "recipients",
]
FIELDS = SCALAR_FIELDS + LIST_FIELDS
REQUIRED_KEYS = [
    "kind",
    "kind_code",
    "number",
    "issued_on",
    "place",
    "issuer",
    "title",
    "references",
    "sections",
    "themes",
    "channels",
    "assignments",
    "indicators",
    "recipients",
    "signer",
]
LIST_KEYS = ["references", "sections", "themes", "channels", "assignments", "indicators", "recipients"]

Scores = dict[str, float | None]


class GoldError(Exception):
    """A gold file cannot be used: not JSON, not an object, or missing a required key."""


# --- normalisation -----------------------------------------------------------------------------


def norm(value: Any) -> str:
    """Text for comparison: NFC, markdown markers dropped, whitespace collapsed, casefolded."""
    if value is None:
        return ""
    text = unicodedata.normalize("NFC", str(value)).replace("**", "")
    text = re.sub(r"^\s*#+\s*", "", text)
    text = re.sub(r"\s+", " ", text).strip().casefold()
    return text.rstrip(" .,;:")


def prefix(value: Any) -> str:
    return norm(value)[:PREFIX_CHARS]


def norm_label(value: Any) -> str:
    return norm(value).rstrip(".)").strip()


def norm_number(value: Any) -> str:
    return re.sub(r"\s+", "", norm(value))


def norm_unit(value: Any) -> str:
    text = norm(value)
    for courtesy in COURTESY_PREFIXES:
        if text.startswith(courtesy + " "):
            text = text[len(courtesy) :].strip()
    return text


def number_or_none(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def dicts(value: Any) -> list[dict]:
    """The dict items of a list (anything else in a prediction is ignored)."""
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def field(doc: Any, path: str) -> Any:
    for part in path.split("."):
        if not isinstance(doc, dict):
            return None
        doc = doc.get(part)
    return doc


# --- measures ----------------------------------------------------------------------------------


def f1(gold: Iterable[Hashable], pred: Iterable[Hashable]) -> float:
    """F1 over multisets; two empty multisets agree perfectly."""
    gold_counts, pred_counts = Counter(gold), Counter(pred)
    if not gold_counts and not pred_counts:
        return 1.0
    hits = sum((gold_counts & pred_counts).values())
    if hits == 0:
        return 0.0
    precision = hits / sum(pred_counts.values())
    recall = hits / sum(gold_counts.values())
    return 2 * precision * recall / (precision + recall)


def pair_by_key(
    gold: list[dict], pred: list[dict], key: Callable[[dict], Hashable]
) -> list[tuple[dict, dict]]:
    """Pairs gold and predicted items with equal keys, each item used once, in gold order."""
    pool: dict[Hashable, list[dict]] = {}
    for item in pred:
        pool.setdefault(key(item), []).append(item)
    pairs = []
    for item in gold:
        candidates = pool.get(key(item))
        if candidates:
            pairs.append((item, candidates.pop(0)))
    return pairs


def accuracy(pairs: list[tuple[dict, dict]], same: Callable[[dict, dict], bool]) -> float | None:
    if not pairs:
        return None
    return sum(1 for gold, pred in pairs if same(gold, pred)) / len(pairs)


def exact(gold: Any, pred: Any, normalise: Callable[[Any], str] = norm) -> float:
    return 1.0 if normalise(gold) == normalise(pred) else 0.0


def reference_key(ref: dict) -> Hashable:
    return (norm_number(ref.get("number")), ref.get("date") or None)


def section_keys(sections: Any, path: tuple[str, ...] = ()) -> Iterator[Hashable]:
    for section in dicts(sections):
        here = (*path, norm_label(section.get("label")))
        yield ("/".join(here), prefix(section.get("heading")))
        yield from section_keys(section.get("children"), here)


def unit_keys(assignment: dict) -> list[str]:
    units = assignment.get("units")
    return [norm_unit(unit) for unit in units] if isinstance(units, list) else []


def pair_assignments(gold: list[dict], pred: list[dict]) -> list[tuple[dict, dict]]:
    """Pairs each gold assignment with the unused prediction sharing most units (Jaccard), if any."""
    pairs, used = [], set()
    for assignment in gold:
        wanted = set(unit_keys(assignment))
        best, best_overlap = None, 0.0
        for index, candidate in enumerate(pred):
            offered = set(unit_keys(candidate))
            if index in used or not wanted or not offered:
                continue
            overlap = len(wanted & offered) / len(wanted | offered)
            if overlap > best_overlap:
                best, best_overlap = index, overlap
        if best is not None:
            used.add(best)
            pairs.append((assignment, pred[best]))
    return pairs


def tasks_of(assignment: dict) -> list[dict]:
    return dicts(assignment.get("tasks"))


def task_key(task: dict) -> Hashable:
    return prefix(task.get("text"))


def kpi_keys(doc: dict) -> list[Hashable]:
    return [
        (number_or_none(kpi.get("quantity")), norm(kpi.get("unit")), kpi.get("per"))
        for assignment in dicts(doc.get("assignments"))
        for task in tasks_of(assignment)
        for kpi in dicts(task.get("kpis"))
    ]


def indicator_key(indicator: dict) -> Hashable:
    return (number_or_none(indicator.get("value")), norm(indicator.get("unit")), indicator.get("year"))


def recipient_key(recipient: dict) -> Hashable:
    return norm(recipient.get("name")).lstrip("-–+ ")


def score_document(gold: dict, pred: Any) -> Scores:
    """Scores of one prediction (the parser's dict) against one gold file, field by field."""
    pred = pred if isinstance(pred, dict) else {}
    scores: Scores = {}
    for name in SCALAR_FIELDS:
        normalise = norm_number if name == "number" else norm
        scores[name] = exact(field(gold, name), field(pred, name), normalise)

    gold_refs, pred_refs = dicts(gold.get("references")), dicts(pred.get("references"))
    scores["references"] = f1(map(reference_key, gold_refs), map(reference_key, pred_refs))
    scores["references.is_basis"] = accuracy(
        pair_by_key(gold_refs, pred_refs, reference_key),
        lambda g, p: bool(g.get("is_basis", False)) == bool(p.get("is_basis", False)),
    )
    scores["sections"] = f1(section_keys(gold.get("sections")), section_keys(pred.get("sections")))
    scores["themes"] = f1(
        ((norm_label(t.get("label")), norm(t.get("title"))) for t in dicts(gold.get("themes"))),
        ((norm_label(t.get("label")), norm(t.get("title"))) for t in dicts(pred.get("themes"))),
    )
    scores["channels"] = f1(
        ((c.get("kind"), prefix(c.get("text"))) for c in dicts(gold.get("channels"))),
        ((c.get("kind"), prefix(c.get("text"))) for c in dicts(pred.get("channels"))),
    )

    gold_asg, pred_asg = dicts(gold.get("assignments")), dicts(pred.get("assignments"))
    scores["assignments.units"] = f1(
        (unit for a in gold_asg for unit in unit_keys(a)), (unit for a in pred_asg for unit in unit_keys(a))
    )
    asg_pairs = pair_assignments(gold_asg, pred_asg)
    gold_tasks = sum(len(tasks_of(a)) for a in gold_asg)
    pred_tasks = sum(len(tasks_of(a)) for a in pred_asg)
    task_pairs = [pair for g, p in asg_pairs for pair in pair_by_key(tasks_of(g), tasks_of(p), task_key)]
    total = gold_tasks + pred_tasks
    scores["tasks"] = 1.0 if total == 0 else 2 * len(task_pairs) / total
    scores["task.deadline"] = accuracy(task_pairs, lambda g, p: g.get("deadline") == p.get("deadline"))
    scores["kpis"] = f1(kpi_keys(gold), kpi_keys(pred))
    scores["indicators"] = f1(
        map(indicator_key, dicts(gold.get("indicators"))), map(indicator_key, dicts(pred.get("indicators")))
    )
    scores["recipients"] = f1(
        map(recipient_key, dicts(gold.get("recipients"))), map(recipient_key, dicts(pred.get("recipients")))
    )
    return scores


# --- gold files, sources, parser -----------------------------------------------------------------


def load_gold(gold_dir: Path) -> list[tuple[str, dict]]:
    """Every gold file as (id, dict), sorted by id; raises GoldError for a malformed one."""
    paths = sorted(gold_dir.glob("*.json"))
    if not paths:
        raise GoldError(f"no gold files in {gold_dir}")
    golds = []
    for path in paths:
        try:
            gold = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise GoldError(f"{path.name}: cannot be read as JSON ({exc})") from exc
        if not isinstance(gold, dict):
            raise GoldError(f"{path.name}: not a JSON object")
        missing = [key for key in ["_source", *REQUIRED_KEYS] if key not in gold]
        if missing:
            raise GoldError(f"{path.name}: missing {', '.join(missing)}")
        if not isinstance(gold["_source"], str) or not gold["_source"]:
            raise GoldError(f"{path.name}: _source must be a non-empty path")
        wrong = [key for key in LIST_KEYS if not isinstance(gold[key], list)]
        if wrong:
            raise GoldError(f"{path.name}: not a list: {', '.join(wrong)}")
        golds.append((path.stem, gold))
    return golds


def resolve_source(source: str) -> Path:
    """``_source`` relative to the repository's parent; LOA_SHARED_DIR stands for its ``shared/``."""
    parts = Path(source).parts
    shared = os.environ.get("LOA_SHARED_DIR")
    if shared and parts and parts[0] == "shared":
        return Path(shared).joinpath(*parts[1:])
    return REPO.parent / source


def load_parser() -> Callable[[Path], Any]:
    """``loa.docparse.parse_path``; raises ImportError (with the reason) while it does not exist."""
    if str(REPO) not in sys.path:
        sys.path.insert(0, str(REPO))
    try:
        from loa.docparse import parse_path
    except Exception as exc:  # an unfinished package may fail in many ways
        raise ImportError(f"{type(exc).__name__}: {exc}") from exc
    return parse_path


def parse_to_dict(parse_path: Callable[[Path], Any], path: Path) -> Any:
    result = parse_path(path)
    return result.to_dict() if hasattr(result, "to_dict") else result


# --- report --------------------------------------------------------------------------------------


def mean(values: list[float]) -> float | None:
    return sum(values) / len(values) if values else None


def build_report(golds: list[tuple[str, dict]], parse_path: Callable[[Path], Any]) -> dict:
    documents = []
    for doc_id, gold in golds:
        path = resolve_source(gold["_source"])
        entry: dict[str, Any] = {
            "id": doc_id,
            "source": str(path),
            "status": "ok",
            "error": None,
            "scores": {},
        }
        if not path.is_file():
            entry.update(status="missing", error=f"source not found: {path}")
        else:
            try:
                entry["scores"] = score_document(gold, parse_to_dict(parse_path, path))
            except Exception as exc:  # a failing parser is a score, not a crash
                entry.update(status="error", error=f"{type(exc).__name__}: {exc}")
        documents.append(entry)

    macro: Scores = {}
    for name in FIELDS:
        values = [
            d["scores"][name] for d in documents if d["status"] == "ok" and d["scores"][name] is not None
        ]
        values += [0.0 for d in documents if d["status"] == "error"]
        macro[name] = mean(values)
    overall = mean([value for value in macro.values() if value is not None])
    return {"fields": FIELDS, "documents": documents, "macro": macro, "overall": overall}


def cell(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


def render_table(report: dict) -> str:
    documents = report["documents"]
    headers = [d["id"] for d in documents] + ["macro"]
    first = max(len(name) for name in FIELDS + ["field"])
    widths = [max(len(h), 7) for h in headers]

    def row(label: str, cells: list[str]) -> str:
        return "  ".join([label.ljust(first)] + [c.rjust(w) for c, w in zip(cells, widths, strict=True)])

    lines = [row("field", headers), row("-" * first, ["-" * w for w in widths])]
    for name in FIELDS:
        cells = []
        for d in documents:
            if d["status"] == "error":
                cells.append("ERR")
            elif d["status"] == "missing":
                cells.append("MISSING")
            else:
                cells.append(cell(d["scores"][name]))
        lines.append(row(name, cells + [cell(report["macro"][name])]))
    lines.append("")
    lines.append(f"overall mean: {cell(report['overall'])}")
    for d in documents:
        if d["error"]:
            lines.append(f"{d['id']}: {d['status']}: {d['error']}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Score loa.docparse against the gold files, field by field.")
    parser.add_argument(
        "--gold", type=Path, default=GOLD_DIR, help="folder of gold files (default: tests/gold)"
    )
    parser.add_argument("--json", action="store_true", help="print the scores as JSON")
    args = parser.parse_args(argv)

    try:
        golds = load_gold(args.gold)
    except GoldError as exc:
        print(f"malformed gold: {exc}", file=sys.stderr)
        return 2

    try:
        parse_path = load_parser()
    except ImportError as exc:
        message = (
            f"loa.docparse.parse_path cannot be imported yet ({exc}); no scores. "
            f"{len(golds)} gold files are well-formed."
        )
        if args.json:
            print(
                json.dumps(
                    {"error": message, "fields": FIELDS, "documents": [], "macro": {}, "overall": None}
                )
            )
        else:
            print(message, file=sys.stderr)
        return 0

    report = build_report(golds, parse_path)
    print(json.dumps(report, ensure_ascii=False, indent=2) if args.json else render_table(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
