"""Fill empty msgstr entries of the English catalogue from TAB-separated "vi<TAB>en" lines on stdin.

Usage: python scripts/po_fill.py < pairs.tsv   (then `make messages`); prints msgids still empty.
Handles single-line msgids, which is what Loa's templates and code produce.
"""

import re
import sys
from pathlib import Path

PO = Path(__file__).resolve().parent.parent / "loa" / "locale" / "en" / "LC_MESSAGES" / "django.po"


def esc(s: str) -> str:
    return s.replace("\\", "\\\\").replace('"', '\\"')


def main() -> int:
    pairs = {}
    for line in sys.stdin:
        line = line.rstrip("\n")
        if "\t" in line:
            vi, en = line.split("\t", 1)
            pairs[vi] = en
    text = PO.read_text(encoding="utf-8")
    text = text.replace("#, fuzzy\n", "", 1) if text.startswith("# SOME") else text

    def repl(m: re.Match) -> str:
        msgid = m.group(1).replace('\\"', '"').replace("\\\\", "\\")
        if msgid in pairs:
            return f'msgid "{m.group(1)}"\nmsgstr "{esc(pairs[msgid])}"'
        return m.group(0)

    text = re.sub(r'msgid "((?:[^"\\]|\\.)+)"\nmsgstr ""', repl, text)
    PO.write_text(text, encoding="utf-8")
    missing = re.findall(r'msgid "((?:[^"\\]|\\.)+)"\nmsgstr ""\n', text)
    for m in missing:
        print(m)
    return 0


if __name__ == "__main__":
    sys.exit(main())
