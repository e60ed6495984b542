"""A tiny reader of gettext .po files, used by the catalogue test: entries as (msgid, msgstr, fuzzy).
For plural entries ``msgstr`` is the concatenation of the forms."""

import re
from pathlib import Path

_STR = re.compile(r'"((?:[^"\\]|\\.)*)"')


def _unescape(s: str) -> str:
    return s.replace('\\"', '"').replace("\\n", "\n").replace("\\\\", "\\")


def read_entries(path: Path) -> list[tuple[str, str, bool]]:
    blocks = path.read_text(encoding="utf-8").split("\n\n")
    return [e for e in map(parse_block, blocks) if e is not None]


def parse_block(block: str) -> tuple[str, str, bool] | None:
    msgid: list[str] = []
    msgstr: list[str] = []
    current: list[str] | None = None
    fuzzy = "#, fuzzy" in block
    for line in block.splitlines():
        if line.startswith("msgid "):
            current = msgid
        elif line.startswith("msgstr"):
            current = msgstr
        elif not line.startswith('"'):
            current = None if line.startswith("#") else current
            continue
        if current is not None:
            current.extend(_unescape(m) for m in _STR.findall(line))
    if msgid or msgstr:
        return ("".join(msgid), "".join(msgstr), fuzzy)
    return None
