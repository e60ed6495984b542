"""DOCX → PDF through LibreOffice headless and PDF → PNG, so the layout can be looked at."""

import io

import pytest
from pypdf import PdfReader

from loa.docgen import ConversionError, docx_to_pdf, pdf_to_png, render_docx
from tests.docgen.test_docx import state_report


def test_the_report_renders_to_an_a4_pdf_and_png_pages():
    pdf = docx_to_pdf(render_docx(state_report()))
    reader = PdfReader(io.BytesIO(pdf))
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)  # A4 in points
    text = reader.pages[0].extract_text()
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text and "BÁO CÁO" in text
    fonts = {str(f) for page in reader.pages for f in page["/Resources"]["/Font"].values()}
    assert fonts  # the text is real text, with fonts embedded
    pages = pdf_to_png(pdf, dpi=40)
    assert len(pages) == len(reader.pages) and all(p.startswith(b"\x89PNG") for p in pages)


def test_a_broken_docx_gives_a_vietnamese_error():
    with pytest.raises(ConversionError, match="PDF"):
        docx_to_pdf(b"PK\x03\x04 not really a docx")
