import re
from pathlib import Path

PO = Path(__file__).resolve().parent.parent / "loa" / "locale" / "en" / "LC_MESSAGES" / "django.po"


def test_it_has_an_english_translation_for_every_message():
    text = PO.read_text(encoding="utf-8")
    entries = re.split(r"\n\n", text)
    missing = []
    for entry in entries[1:]:
        if "#, fuzzy" in entry or re.search(r'^msgstr ""\s*$', entry, re.M) and not re.search(
            r'^msgstr ""\n"', entry, re.M
        ):
            missing.append(entry.strip().splitlines()[-2:])
    assert not missing, missing
