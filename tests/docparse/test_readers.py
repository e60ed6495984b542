"""Readers: every supported format in, NFC text out; every unreadable file refused with a clear code.

All fixtures are built here (python-docx documents, hand-written PDFs, zip bombs, legacy encodings).
"""

import io
import struct
import time
import unicodedata
import zipfile
import zlib

import docx
import pytest

from loa.docparse import readers
from loa.docparse.errors import DocumentError
from loa.docparse.readers import DEFAULT_MAX_BYTES, ReadResult, read_bytes, read_path

MOTTO = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
SLOGAN = "Độc lập - Tự do - Hạnh phúc"
TITLE = "Kế hoạch tuyên truyền"
SENTENCES = [MOTTO, SLOGAN, TITLE]


# ------------------------------------------------------------------------------------------
# Fixture builders
# ------------------------------------------------------------------------------------------


def to_tcvn3(text: str) -> str:
    """Encode with the module's own TCVN3 table, in reverse (as Latin-1 characters)."""
    return "".join(readers._TCVN3_ENCODE.get(ch, ch) for ch in text)


def to_vni(text: str) -> str:
    return "".join(readers._VNI_ENCODE.get(ch, ch) for ch in text)


def to_cp1258(text: str) -> bytes:
    out = bytearray()
    for ch in text:
        try:
            out += ch.encode("cp1258")
        except UnicodeEncodeError:
            marks = unicodedata.normalize("NFD", ch)
            tones = "".join(m for m in marks if m in readers._TONE_MARKS)
            base = unicodedata.normalize("NFC", "".join(m for m in marks if m not in readers._TONE_MARKS))
            out += base.encode("cp1258") + tones.encode("cp1258")
    return bytes(out)


def make_pdf(pages: list[bytes]) -> bytes:
    """A minimal valid PDF: one content stream per page, Type1 Helvetica, exact xref offsets."""
    objects: dict[int, bytes] = {}
    font_id = 3 + 2 * len(pages)
    kids = " ".join(f"{3 + 2 * i} 0 R" for i in range(len(pages)))
    objects[1] = b"<< /Type /Catalog /Pages 2 0 R >>"
    objects[2] = f"<< /Type /Pages /Kids [{kids}] /Count {len(pages)} >>".encode()
    for i, content in enumerate(pages):
        page_id, content_id = 3 + 2 * i, 4 + 2 * i
        objects[page_id] = (
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents {content_id} 0 R "
            f"/Resources << /Font << /F1 {font_id} 0 R >> >> >>"
        ).encode()
        objects[content_id] = b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream"
    objects[font_id] = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"
    out = bytearray(b"%PDF-1.4\n")
    offsets = {}
    for number in sorted(objects):
        offsets[number] = len(out)
        out += b"%d 0 obj\n" % number + objects[number] + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for number in sorted(objects):
        out += b"%010d 00000 n \n" % offsets[number]
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def text_page(*lines: str) -> bytes:
    ops = [b"BT /F1 12 Tf 72 760 Td 14 TL"]
    ops += [b"(" + line.encode("latin-1") + b") Tj T*" for line in lines]
    ops.append(b"ET")
    return b"\n".join(ops)


TEXT_PDF_LINES = ("Ke hoach tuyen truyen", "phong chong thien tai nam 2025")


def png_bytes() -> bytes:
    def chunk(kind: bytes, payload: bytes) -> bytes:
        return (
            struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", zlib.crc32(kind + payload))
        )

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00"))
        + chunk(b"IEND", b"")
    )


def docx_bytes(document) -> bytes:
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def plan_docx() -> bytes:
    document = docx.Document()
    header = document.add_table(rows=1, cols=2)
    left, right = header.rows[0].cells
    left.text = "ỦY BAN NHÂN DÂN\nXÃ LƯƠNG MINH"
    left.add_paragraph("Số: 12/KH-UBND")
    right.text = MOTTO
    right.add_paragraph(SLOGAN)
    document.add_paragraph("KẾ HOẠCH")
    title = document.add_paragraph("Tuyên truyền bầu cử đại biểu Quốc hội")
    title.add_run().add_break()
    title.add_run("nhiệm kỳ 2026 - 2031")
    document.add_paragraph("I. MỤC ĐÍCH, YÊU CẦU")
    table = document.add_table(rows=3, cols=3)
    for col, value in enumerate(["Nội dung", "Thời gian", "Đơn vị"]):
        table.cell(0, col).text = value
    for col, value in enumerate(["Treo băng rôn, khẩu hiệu", "Tháng 3/2026", "Công an xã"]):
        table.cell(1, col).text = value
    merged = table.cell(2, 0).merge(table.cell(2, 1))
    merged.text = "Họp dân các thôn"
    table.cell(2, 2).text = "Trưởng thôn"
    nested = table.cell(1, 2).add_table(rows=1, cols=2)
    nested.cell(0, 0).text = "Đoàn Thanh niên"
    nested.cell(0, 1).text = "Hội Phụ nữ"
    document.add_paragraph("II. TỔ CHỨC THỰC HIỆN")
    return docx_bytes(document)


def code_of(call) -> str:
    with pytest.raises(DocumentError) as info:
        call()
    assert info.value.message and info.value.message == str(info.value)
    return info.value.code


# ------------------------------------------------------------------------------------------
# Plain text
# ------------------------------------------------------------------------------------------


def test_it_reads_utf8_text_and_strips_bom():
    result = read_bytes(("\ufeff" + MOTTO + "\r\n" + SLOGAN + "\r\n").encode(), "kh.txt")
    assert isinstance(result, ReadResult)
    assert result == ReadResult(f"{MOTTO}\n{SLOGAN}", "txt", [])


def test_it_normalises_text_to_nfc():
    result = read_bytes(unicodedata.normalize("NFD", TITLE).encode(), "kh.txt")
    assert result.text == TITLE
    assert unicodedata.is_normalized("NFC", result.text)


def test_it_returns_markdown_as_text():
    result = read_bytes(f"# {TITLE}\n\n**{SLOGAN}**\n".encode(), "KH.MD")
    assert result.format == "md"
    assert result.text == f"# {TITLE}\n\n**{SLOGAN}**"


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-be", "utf-32"])
def test_it_reads_utf16_and_utf32_with_bom(codec):
    data = "\n".join(SENTENCES).encode(codec)
    if codec == "utf-16-be":
        data = b"\xfe\xff" + data
    result = read_bytes(data, "kh.txt")
    assert result.text == "\n".join(SENTENCES)
    assert result.warnings == []


def test_it_reads_utf16_without_bom():
    assert read_bytes("\n".join(SENTENCES).encode("utf-16-le"), "kh.txt").text == "\n".join(SENTENCES)


@pytest.mark.parametrize("text", [*SENTENCES, "\n".join(SENTENCES)])
@pytest.mark.parametrize("as_utf8", [False, True], ids=["bytes", "utf8-mojibake"])
def test_it_converts_tcvn3_round_trip(text, as_utf8):
    encoded = to_tcvn3(text)
    assert encoded != text
    data = encoded.encode("utf-8" if as_utf8 else "latin-1")
    result = read_bytes(data, "cu.txt")
    assert result.text == text
    assert result.warnings == ["Đã chuyển mã từ TCVN3 (ABC) sang Unicode."]


@pytest.mark.parametrize("text", [*SENTENCES, "\n".join(SENTENCES)])
@pytest.mark.parametrize("as_utf8", [False, True], ids=["bytes", "utf8-mojibake"])
def test_it_converts_vni_round_trip(text, as_utf8):
    encoded = to_vni(text)
    assert encoded != text
    result = read_bytes(encoded.encode("utf-8" if as_utf8 else "latin-1"), "cu.txt")
    assert result.text == text
    assert result.warnings == ["Đã chuyển mã từ VNI-Windows sang Unicode."]


@pytest.mark.parametrize(
    ("legacy", "expected"),
    [
        ("Céng hoµ x· héi chñ nghÜa ViÖt Nam", "Cộng hoà xã hội chủ nghĩa Việt Nam"),
        ("§éc lËp - Tù do - H¹nh phóc", SLOGAN),
        ("Uû ban nh©n d©n x· Ph\xadíc Long", "Uỷ ban nhân dân xã Phước Long"),
        ("Coäng hoøa xaõ hoäi chuû nghóa Vieät Nam", "Cộng hòa xã hội chủ nghĩa Việt Nam"),
        ("Ñoäc laäp - Töï do - Haïnh phuùc", SLOGAN),
        ("CHÆ THÒ VEÀ VIEÄC TAÊNG CÖÔØNG", "CHỈ THỊ VỀ VIỆC TĂNG CƯỜNG"),
    ],
)
def test_it_converts_known_legacy_mojibake(legacy, expected):
    assert read_bytes(legacy.encode("latin-1"), "cu.txt").text == expected


def test_legacy_tables_cover_every_vietnamese_letter():
    letters = {unicodedata.normalize("NFC", b + t) for b in "aăâeêioôơuưy" for t in ["", *readers._TONES]}
    letters |= {"đ"}
    letters -= set("aeiouy")
    letters |= {ch.upper() for ch in letters}
    assert len(letters) == 134
    assert letters == set(readers._VNI_ENCODE) == set(readers._TCVN3_ENCODE)
    vni = {readers._VNI_ENCODE[ch] for ch in letters}
    assert len(vni) == 134  # VNI keeps case: every letter has its own sequence
    for ch in letters:
        assert readers._vni_decode(readers._VNI_ENCODE[ch]) == ch
        assert readers._tcvn3_decode(readers._TCVN3_ENCODE[ch]).lower() == ch.lower()


def test_it_restores_uppercase_toned_letters_in_tcvn3_headings():
    text = "ỦY BAN NHÂN DÂN TỈNH\nKẾ HOẠCH\nTổ chức các hoạt động"
    assert read_bytes(to_tcvn3(text).encode("latin-1"), "cu.txt").text == text


def test_it_reads_windows_1258_text():
    text = "\n".join(SENTENCES)
    result = read_bytes(to_cp1258(text), "cu.txt")
    assert result.text == text
    assert result.warnings == ["Đã chuyển mã từ Windows-1258 sang Unicode."]


def test_it_repairs_utf8_read_as_windows_1252():
    text = "Cộng hòa xã hội chủ nghĩa Việt Nam. Kế hoạch tuyên truyền."
    mojibake = text.encode("utf-8").decode("latin-1").translate(readers._CP1252_HIGH)
    result = read_bytes(mojibake.encode("utf-8"), "kh.txt")
    assert result.text == text
    assert len(result.warnings) == 1


def test_it_reads_windows_1252_text_with_a_warning():
    text = "Café crème à la française, très bien — déjà vu."
    result = read_bytes(text.encode("cp1252"), "note.txt")
    assert result.text == text
    assert "Windows-1252" in result.warnings[0]


def test_it_leaves_unicode_vietnamese_and_foreign_text_alone():
    for text in ("\n".join(SENTENCES), "Hà Nội, ngày 5 tháng 3 năm 2026", "Café crème, résumé à Genève"):
        result = read_bytes(text.encode(), "kh.txt")
        assert (result.text, result.warnings) == (text, [])


def test_it_leaves_short_uncertain_legacy_text_alone():
    assert read_bytes("Céng".encode("latin-1"), "x.txt").text == "Céng"


def test_it_keeps_utf8_with_a_few_broken_bytes():
    data = ("\n".join(SENTENCES) * 3).encode() + b"\xe1\xbb"
    result = read_bytes(data, "kh.txt")
    assert result.text.startswith(MOTTO) and result.text.endswith("\ufffd")
    assert "UTF-8" in result.warnings[0]


def test_it_is_fast_on_large_utf8_text():
    data = ("\n".join(SENTENCES) + "\n").encode() * 20000  # ≈ 1.6 MB
    start = time.perf_counter()
    result = read_bytes(data, "kh.txt")
    assert time.perf_counter() - start < 1.0
    assert result.warnings == []


# ------------------------------------------------------------------------------------------
# Files that cannot be read
# ------------------------------------------------------------------------------------------


def test_it_rejects_empty_file(tmp_path):
    assert code_of(lambda: read_bytes(b"", "kh.txt")) == "empty"
    path = tmp_path / "kh.txt"
    path.write_bytes(b"")
    assert code_of(lambda: read_path(path)) == "empty"


@pytest.mark.parametrize("data", [b"   \n\t\r\n  ", "\u00a0\u3000\n".encode(), "  \n".encode("utf-16")])
def test_it_rejects_whitespace_only_file(data):
    assert code_of(lambda: read_bytes(data, "kh.md")) == "empty"


def test_it_rejects_binary_bytes_named_txt():
    random_bytes = bytes((i * 7919 + 13) % 256 for i in range(4096))
    assert code_of(lambda: read_bytes(random_bytes, "kh.txt")) == "binary"
    assert code_of(lambda: read_bytes(b"Ke hoach\x00\x01\x02\x00\xff\xfe\x00" * 20, "kh.txt")) == "binary"


def test_it_rejects_an_image_renamed_to_txt():
    with pytest.raises(DocumentError) as info:
        read_bytes(png_bytes(), "ke-hoach.txt")
    assert info.value.code == "binary"
    assert "PNG" in info.value.message and "OCR" in info.value.message


@pytest.mark.parametrize(
    ("name", "data"),
    [("bang.xlsx", b"PK\x05\x06" + bytes(18)), ("setup.exe", b"MZ\x90\x00" + bytes(60)), ("anh.png", b"x")],
)
def test_it_rejects_unsupported_extension(name, data):
    with pytest.raises(DocumentError) as info:
        read_bytes(data, name)
    assert info.value.code == "unsupported"
    for ext in readers.SUPPORTED_EXTENSIONS:
        assert ext in info.value.message


def test_it_rejects_a_real_excel_workbook_even_renamed():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
    assert code_of(lambda: read_bytes(buf.getvalue(), "bang.xlsx")) == "unsupported"
    assert code_of(lambda: read_bytes(buf.getvalue(), "bang.txt")) == "unsupported"
    assert code_of(lambda: read_bytes(buf.getvalue(), "bang.docx")) == "corrupt"


def test_it_rejects_too_big(tmp_path):
    data = b"a" * 101
    assert code_of(lambda: read_bytes(data, "kh.txt", max_bytes=100)) == "too_big"
    path = tmp_path / "kh.txt"
    path.write_bytes(data)
    assert code_of(lambda: read_path(path, max_bytes=100)) == "too_big"
    assert read_path(path, max_bytes=101).text == "a" * 101
    assert DEFAULT_MAX_BYTES == 20 * 1024 * 1024


def test_it_checks_the_size_before_reading_the_file(tmp_path, monkeypatch):
    path = tmp_path / "kh.txt"
    path.write_bytes(b"a" * 1000)

    def no_open(*args, **kwargs):
        raise AssertionError("the file must not be opened")

    monkeypatch.setattr("builtins.open", no_open)
    assert code_of(lambda: read_path(path, max_bytes=100)) == "too_big"


def test_it_rejects_missing_path(tmp_path):
    assert code_of(lambda: read_path(tmp_path / "khong-co.docx")) == "missing"
    assert code_of(lambda: read_path(str(tmp_path / "khong-co.txt"))) == "missing"


def test_it_rejects_directory_path(tmp_path):
    with pytest.raises(DocumentError) as info:
        read_path(tmp_path)
    assert info.value.code == "missing"
    assert "thư mục" in info.value.message


def test_it_rejects_legacy_doc():
    ole2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504) + b"Microsoft Word-Dokument"
    for name in ("ke-hoach.doc", "ke-hoach.docx", "ke-hoach.txt"):
        with pytest.raises(DocumentError) as info:
            read_bytes(ole2, name)
        assert info.value.code == "legacy_doc"
        assert ".docx" in info.value.message and "LibreOffice" in info.value.message


def test_it_reports_a_password_protected_word_file():
    encrypted = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504) + "EncryptedPackage".encode("utf-16-le")
    with pytest.raises(DocumentError) as info:
        read_bytes(encrypted, "mat-khau.docx")
    assert info.value.code == "corrupt"
    assert "mật khẩu" in info.value.message


def test_it_wraps_unexpected_errors_as_corrupt(monkeypatch):
    def boom(*args, **kwargs):
        raise RecursionError("deep")

    monkeypatch.setattr(readers, "_walk_blocks", boom)
    assert code_of(lambda: read_bytes(plan_docx(), "kh.docx")) == "corrupt"


# ------------------------------------------------------------------------------------------
# Word
# ------------------------------------------------------------------------------------------


def test_it_reads_docx_paragraphs_and_tables_in_order():
    result = read_bytes(plan_docx(), "ke-hoach.docx")
    assert result.format == "docx"
    assert result.warnings == []
    assert result.text.split("\n") == [
        "ỦY BAN NHÂN DÂN",
        "XÃ LƯƠNG MINH",
        "Số: 12/KH-UBND",
        MOTTO,
        SLOGAN,
        "KẾ HOẠCH",
        "Tuyên truyền bầu cử đại biểu Quốc hội",
        "nhiệm kỳ 2026 - 2031",
        "I. MỤC ĐÍCH, YÊU CẦU",
        "Nội dung | Thời gian | Đơn vị",
        "Treo băng rôn, khẩu hiệu | Tháng 3/2026 | Công an xã Đoàn Thanh niên | Hội Phụ nữ",
        "Họp dân các thôn | Trưởng thôn",
        "II. TỔ CHỨC THỰC HIỆN",
    ]


def test_it_reads_a_docx_path_and_a_docx_renamed_to_txt(tmp_path):
    path = tmp_path / "ke-hoach.docx"
    path.write_bytes(plan_docx())
    assert read_path(path).text.startswith("ỦY BAN NHÂN DÂN\n")
    renamed = read_bytes(plan_docx(), "ke-hoach.txt")
    assert renamed.format == "docx"
    assert "Word" in renamed.warnings[0]


def test_it_converts_tcvn3_typed_in_a_docx():
    document = docx.Document()
    for text in SENTENCES:
        document.add_paragraph(to_tcvn3(text))
    result = read_bytes(docx_bytes(document), "cu.docx")
    assert result.text == "\n".join(SENTENCES)
    assert result.warnings == ["Đã chuyển mã từ TCVN3 (ABC) sang Unicode."]


def test_it_rejects_a_docx_with_only_images(tmp_path):
    image = tmp_path / "scan.png"
    image.write_bytes(png_bytes())
    document = docx.Document()
    document.add_picture(str(image))
    assert code_of(lambda: read_bytes(docx_bytes(document), "scan.docx")) == "scanned"
    assert code_of(lambda: read_bytes(docx_bytes(docx.Document()), "trong.docx")) == "empty"


def test_it_rejects_corrupt_docx():
    random_bytes = bytes((i * 7919 + 13) % 256 for i in range(2048))
    assert code_of(lambda: read_bytes(random_bytes, "kh.docx")) == "corrupt"
    assert code_of(lambda: read_bytes(plan_docx()[:1500], "kh.docx")) == "corrupt"
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as archive:
        archive.writestr("word/styles.xml", "<styles/>")
    assert code_of(lambda: read_bytes(buf.getvalue(), "kh.docx")) == "corrupt"
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as archive:
        archive.writestr("word/document.xml", "<not-closed")
    assert code_of(lambda: read_bytes(buf.getvalue(), "kh.docx")) == "corrupt"


@pytest.fixture(scope="module")
def zip_bomb() -> bytes:
    """A docx-shaped zip whose document.xml is 300 MB of zeros (≈ 300 KB compressed)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("word/document.xml", "w", force_zip64=True) as member:
            chunk = bytes(1024 * 1024)
            for _ in range(300):
                member.write(chunk)
    return buf.getvalue()


def test_it_rejects_zip_bomb_docx(zip_bomb, monkeypatch):
    assert len(zip_bomb) < 2 * 1024 * 1024

    def never(*args, **kwargs):
        raise AssertionError("python-docx must not open a zip bomb")

    monkeypatch.setattr(docx, "Document", never)
    with pytest.raises(DocumentError) as info:
        read_bytes(zip_bomb, "bom.docx")
    assert info.value.code == "zip_bomb"
    assert "MB" in info.value.message


def test_it_rejects_a_docx_whose_total_size_is_too_big(monkeypatch):
    monkeypatch.setattr(readers, "ZIP_MAX_TOTAL_BYTES", 1000)
    assert code_of(lambda: read_bytes(plan_docx(), "kh.docx")) == "zip_bomb"


# ------------------------------------------------------------------------------------------
# PDF
# ------------------------------------------------------------------------------------------


def test_it_reads_pdf_text_layer():
    result = read_bytes(make_pdf([text_page(*TEXT_PDF_LINES)]), "ke-hoach.pdf")
    assert result == ReadResult("\n".join(TEXT_PDF_LINES), "pdf", [])


def test_it_joins_pdf_pages_and_names_pages_without_text(tmp_path):
    path = tmp_path / "ke-hoach.pdf"
    path.write_bytes(
        make_pdf([text_page(*TEXT_PDF_LINES), text_page("Noi nhan: UBND xa, Dang uy xa, luu VT"), b"q Q"])
    )
    result = read_path(path)
    assert result.text == "\n".join(TEXT_PDF_LINES) + "\n\nNoi nhan: UBND xa, Dang uy xa, luu VT"
    assert result.warnings and result.warnings[0].startswith("Trang 3 ")


def test_it_reads_a_pdf_renamed_to_txt():
    result = read_bytes(make_pdf([text_page(*TEXT_PDF_LINES)]), "ke-hoach.txt")
    assert result.format == "pdf"
    assert "PDF" in result.warnings[0]


def test_it_rejects_scanned_pdf():
    pdf = make_pdf([b"q 0 0 1 rg 10 10 100 100 re f Q", b"q Q"])
    with pytest.raises(DocumentError) as info:
        read_bytes(pdf, "ban-quet.pdf")
    assert info.value.code == "scanned"
    assert "OCR" in info.value.message


def test_it_rejects_truncated_pdf():
    pdf = make_pdf([text_page(*TEXT_PDF_LINES)])
    for cut in (len(pdf) // 2, len(pdf) - 12, 30):
        assert code_of(lambda cut=cut: read_bytes(pdf[:cut], "kh.pdf")) == "corrupt"
    assert code_of(lambda: read_bytes(b"not a pdf at all", "kh.pdf")) == "corrupt"


def test_it_reports_a_password_protected_pdf():
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(make_pdf([text_page(*TEXT_PDF_LINES)]))))
    writer.encrypt("matkhau", algorithm="RC4-128")
    buf = io.BytesIO()
    writer.write(buf)
    with pytest.raises(DocumentError) as info:
        read_bytes(buf.getvalue(), "mat-khau.pdf")
    assert info.value.code == "corrupt"
    assert "mật khẩu" in info.value.message


# ------------------------------------------------------------------------------------------
# Real documents
# ------------------------------------------------------------------------------------------


def test_it_reads_every_real_admin_document(admin_docs_dir):
    docs = sorted((admin_docs_dir / "docs").glob("*"))
    if not docs:
        pytest.skip("no real documents")
    for path in docs:
        result = read_path(path)
        assert result.text.strip(), path.name
        assert result.warnings == [], path.name
        assert unicodedata.is_normalized("NFC", result.text)
