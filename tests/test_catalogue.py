from pathlib import Path

from loa.core.pofile import read_entries

PO = Path(__file__).resolve().parent.parent / "loa" / "locale" / "en" / "LC_MESSAGES" / "django.po"


def test_it_has_an_english_translation_for_every_message():
    entries = [e for e in read_entries(PO) if e[0]]
    assert len(entries) > 10
    missing = [msgid for msgid, msgstr, fuzzy in entries if not msgstr or fuzzy]
    assert not missing, missing


def test_pages_switch_to_english(client, db):
    client.cookies["django_language"] = "en"
    html = client.get("/accounts/login/").content.decode()
    assert '<html lang="en">' in html and "Log in" in html
    client.cookies["django_language"] = "vi"
    assert "Đăng nhập" in client.get("/accounts/login/").content.decode()
