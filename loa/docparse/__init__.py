"""docparse: Vietnamese administrative documents in, structure out.

Pure Python, no Django. In: a ``.txt``/``.md``/``.docx``/``.pdf`` file (path or bytes) or plain text.
Out: a :class:`PlanDoc` (dataclasses) whose ``to_dict()`` follows ``shared/schemas/plan.schema.json``.
A file that cannot be read raises :class:`DocumentError` with a stable ``code`` and a Vietnamese message.

Pipeline: readers (bytes → text) → normalize (markup, page breaks, OCR slips → lines + warnings)
→ header (kind, number, date, issuer, title) → outline (numbering → sections) → extract (themes,
channels, assignments, kpis, indicators) → references → closing (recipients, signer).
"""

import os

from .errors import DocumentError
from .model import PlanDoc
from .parser import parse_text
from .readers import DEFAULT_MAX_BYTES, read_bytes, read_path

__all__ = ["DEFAULT_MAX_BYTES", "DocumentError", "PlanDoc", "parse_bytes", "parse_path", "parse_text"]


def parse_bytes(data: bytes, filename: str, *, max_bytes: int = DEFAULT_MAX_BYTES) -> PlanDoc:
    result = read_bytes(data, filename, max_bytes=max_bytes)
    return parse_text(result.text, warnings=result.warnings)


def parse_path(path: str | os.PathLike, *, max_bytes: int = DEFAULT_MAX_BYTES) -> PlanDoc:
    result = read_path(path, max_bytes=max_bytes)
    return parse_text(result.text, warnings=result.warnings)
