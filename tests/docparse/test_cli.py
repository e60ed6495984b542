"""`loa parse`: JSON lines, the readable summary, and exit codes for every kind of bad input."""

import io
import json
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from loa.docparse.cli import main

CITY = "ke-hoach-ban-tuyen-giao-thanh-uy-ky-hop-thu-nhat.txt"
COMMUNE = "ke-hoach-ubnd-xa-hung-dao-nghi-quyet-02.txt"


def run(capsys, *args):
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def test_json_prints_one_object_per_input(capsys, samples_dir):
    code, out, err = run(capsys, samples_dir / CITY, samples_dir / COMMUNE, "--json")
    lines = out.strip().splitlines()
    assert code == 0 and len(lines) == 2 and err == ""
    assert json.loads(lines[1])["issuer"] == "UBND xã Hưng Đạo"
    assert "Hưng Đạo" in lines[1]  # readable Vietnamese, not \\u escapes


def test_summary_lists_outline_units_tasks_and_references(capsys, samples_dir):
    code, out, _ = run(capsys, samples_dir / COMMUNE)
    assert code == 0
    assert "Đề mục:" in out and "1.2.3.4. Về phát triển toàn diện văn hóa" in out
    assert "3. Trung tâm dịch vụ tổng hợp xã" in out and ">= 10 tin, bài/tháng" in out
    assert "Kế hoạch 66-KH/ĐU ngày 2026-04-21 của Đảng ủy xã Hưng Đạo (căn cứ)" in out


def test_a_document_that_is_not_a_plan_exits_3_with_a_warning(capsys, tmp_path):
    law = tmp_path / "luat.txt"
    law.write_text(
        "QUỐC HỘI\nSố: 24/2018/QH14\nLUẬT\nAN NINH MẠNG\nCăn cứ Hiến pháp.\nChương I\nĐiều 1. Phạm vi",
        "utf-8",
    )
    code, out, _ = run(capsys, law, "--json")
    data = json.loads(out)
    assert code == 3 and data["kind"] == "Luật" and data["number"] == "24/2018/QH14"
    assert any("không phải kế hoạch" in w for w in data["warnings"])


def test_a_news_article_exits_3(capsys, tmp_path):
    news = tmp_path / "tin.txt"
    news.write_text("Hà Nội đẩy mạnh chuyển đổi số trong năm 2026. Thành phố đặt mục tiêu mới.", "utf-8")
    code, out, _ = run(capsys, news, "--json")
    assert code == 3 and json.loads(out)["kind"] is None


def _zip_bomb(path: Path) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        with z.open("word/document.xml", "w", force_zip64=True) as fh:
            chunk = b"\0" * (1 << 20)
            for _ in range(260):
                fh.write(chunk)


BAD = {
    "empty": lambda p: p.write_bytes(b""),
    "binary": lambda p: p.write_bytes(bytes(range(256)) * 20),
    "unsupported": lambda p: p.write_bytes(b"MZ\x90\x00program"),
    "corrupt_docx": lambda p: p.write_bytes(b"PK\x03\x04garbage that is not a zip"),
    "corrupt_pdf": lambda p: p.write_bytes(b"%PDF-1.4\n1 0 obj <<"),
    "legacy_doc": lambda p: p.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600),
    "zip_bomb": _zip_bomb,
}
SUFFIX = {
    "unsupported": ".exe",
    "corrupt_docx": ".docx",
    "corrupt_pdf": ".pdf",
    "legacy_doc": ".doc",
    "zip_bomb": ".docx",
}


@pytest.mark.parametrize("kind", sorted(BAD))
def test_bad_inputs_exit_2_with_a_vietnamese_message_and_no_traceback(capsys, tmp_path, kind):
    path = tmp_path / f"input{SUFFIX.get(kind, '.txt')}"
    BAD[kind](path)
    code, out, err = run(capsys, path, "--json")
    assert code == 2 and out == ""
    assert err.startswith("Lỗi: ") and "Traceback" not in err
    assert any(ch in err for ch in "ạảãàáâăêôơưđ")


def test_a_file_over_the_size_limit_exits_2(capsys, tmp_path):
    big = tmp_path / "lon.txt"
    big.write_bytes(b"KE HOACH\n" * 200_000)
    code, out, err = run(capsys, big, "--max-mb", "1")
    assert code == 2 and out == "" and "MB" in err


def test_missing_file_exits_2(capsys, tmp_path):
    code, _, err = run(capsys, tmp_path / "khong-co.txt")
    assert code == 2 and "Lỗi" in err


def test_several_paths_print_every_readable_one_and_return_the_worst(capsys, samples_dir, tmp_path):
    empty = tmp_path / "rong.txt"
    empty.write_bytes(b"")
    code, out, err = run(capsys, samples_dir / CITY, empty, samples_dir / COMMUNE, "--json")
    assert code == 2 and len(out.strip().splitlines()) == 2 and err.count("Lỗi") == 1


def test_docx_with_a_table_is_read(capsys, tmp_path):
    docx = pytest.importorskip("docx")
    d = docx.Document()
    table = d.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "UBND XÃ HƯNG ĐẠO\nSố: 12/KH-UBND"
    table.cell(0, 1).text = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nHưng Đạo, ngày 05 tháng 6 năm 2026"
    for text in [
        "KẾ HOẠCH",
        "Tuyên truyền chuyển đổi số",
        "I. TỔ CHỨC THỰC HIỆN",
        "1. Phòng Văn hóa - Xã hội",
        "- Đăng tải tối thiểu 4 tin, bài/tháng trên trang thông tin điện tử.",
    ]:
        d.add_paragraph(text)
    buf = io.BytesIO()
    d.save(buf)
    path = tmp_path / "kh.docx"
    path.write_bytes(buf.getvalue())
    code, out, _ = run(capsys, path, "--json")
    data = json.loads(out)
    assert code == 0 and data["number"] == "12/KH-UBND" and data["issued_on"] == "2026-06-05"
    assert data["assignments"][0]["tasks"][0]["kpis"][0]["quantity"] == 4


def test_the_loa_entry_point_is_installed():
    loa = shutil.which("loa", path=str(Path(sys.executable).parent))
    assert loa, "loa is not installed in the virtual environment"
    done = subprocess.run([loa, "parse", "--help"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and "PATH" in done.stdout


def test_a_document_marked_secret_is_refused(capsys, tmp_path):
    secret = tmp_path / "mat.txt"
    secret.write_text("ỦY BAN NHÂN DÂN XÃ A\nMẬT\nSố: 01/KH-UBND\nKẾ HOẠCH\nBảo vệ bí mật", "utf-8")
    code, out, err = run(capsys, secret, "--json")
    assert code == 2 and out == "" and "mật" in err


def test_the_word_secret_inside_a_sentence_is_not_a_mark(capsys, tmp_path):
    plan = tmp_path / "kh.txt"
    plan.write_text(
        "KẾ HOẠCH\nTuyên truyền bảo vệ bí mật nhà nước\nI. TỔ CHỨC THỰC HIỆN\n1. Công an xã\n- Tuyên truyền.",
        "utf-8",
    )
    code, _, _ = run(capsys, plan, "--json")
    assert code == 0
