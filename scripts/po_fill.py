"""Fill empty msgstr entries of the English catalogue from TAB-separated "vi<TAB>en" lines on stdin,
then print the msgids still untranslated. Usage: python scripts/po_fill.py < pairs.tsv; make messages."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from loa.core.pofile import parse_block, read_entries  # noqa: E402

PO = Path(__file__).resolve().parent.parent / "loa" / "locale" / "en" / "LC_MESSAGES" / "django.po"


def esc(s: str) -> str:
    return s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


def main() -> int:
    pairs = dict(line.rstrip("\n").split("\t", 1) for line in sys.stdin if "\t" in line)
    blocks = PO.read_text(encoding="utf-8").split("\n\n")
    out = []
    for i, block in enumerate(blocks):
        entry = parse_block(block)
        if i > 0 and entry and entry[0] in pairs and (not entry[1] or "#, fuzzy" in block):
            lines = [ln for ln in block.splitlines() if not ln.startswith("#, fuzzy")]
            keep = []
            for ln in lines:
                if ln.startswith("msgstr"):
                    break
                keep.append(ln)
            block = "\n".join(keep) + f'\nmsgstr "{esc(pairs[entry[0]])}"'
        out.append(block)
    PO.write_text("\n\n".join(out), encoding="utf-8")
    for msgid, msgstr, fuzzy in read_entries(PO):
        if msgid and (not msgstr or fuzzy):
            print(msgid)
    return 0


if __name__ == "__main__":
    sys.exit(main())
