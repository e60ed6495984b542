import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from loa.plans.models import Document, DocumentStatus

pytestmark = pytest.mark.django_db


def test_import_plan_command_prints_where_to_see_it_and_is_idempotent(hanoi, samples_dir, capsys):
    paths = [str(p) for p in sorted(samples_dir.glob("*.txt"))]
    call_command("import_plan", *paths, "--sample")
    out = capsys.readouterr().out
    assert out.count("Xem tại: http://127.0.0.1:8000/ke-hoach/") == 2
    call_command("import_plan", *paths, "--sample")
    assert "đã có, không nhập lại" in capsys.readouterr().out
    assert Document.objects.filter(status=DocumentStatus.IMPORTED, is_sample=True).count() == 2


def test_import_plan_command_fails_with_exit_2_for_a_missing_file(hanoi, tmp_path):
    with pytest.raises(CommandError) as err:
        call_command("import_plan", str(tmp_path / "khong-co.docx"))
    assert err.value.returncode == 2
