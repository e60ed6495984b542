"""The bulletin-board sheet ("bảng tin của thôn"): one A4 page, text at 16 pt or more so it reads
from a step away, and a QR code to the material's public page. DOCX built here, PDF by LibreOffice
(loa/docgen/pdf.py). Pure apart from the caller's URL: no Django."""

from __future__ import annotations

import io

import docx
import segno
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Pt

BODY_PT = 16
TITLE_PT = 24
WORDS_ON_A_PAGE = 170  # at 16 pt on A4 with 2 cm margins, leaving room for the title and the QR code


def poster_docx(*, title: str, lines: list[str], issuer: str, url: str) -> bytes:
    """A poster ("áp phích, khẩu hiệu"): the title at 40 pt and up to three short lines at 28 pt,
    centred on A4, with the QR code to the public page."""
    document = docx.Document()
    section = document.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21.0)
    for side in ("top_margin", "bottom_margin", "left_margin", "right_margin"):
        setattr(section, side, Cm(1.5))
    document.styles["Normal"].font.name = "Times New Roman"
    document.styles["Normal"].font.size = Pt(28)
    head = document.add_paragraph()
    head.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = head.add_run(title.upper())
    run.bold = True
    run.font.size = Pt(40)
    for line in lines[:3]:
        p = document.add_paragraph(line)
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    qr = io.BytesIO()
    segno.make(url, error="m").save(qr, kind="png", scale=8, border=2)
    qr.seek(0)
    foot = document.add_paragraph()
    foot.alignment = WD_ALIGN_PARAGRAPH.CENTER
    foot.add_run().add_picture(qr, width=Cm(4))
    if issuer:
        p = document.add_paragraph(issuer)
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        p.runs[0].font.size = Pt(20)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def board_pdf(*, title: str, issuer: str, paragraphs: list[str], url: str, convert) -> bytes:
    """The sheet as PDF through ``convert`` (DOCX bytes → PDF bytes), fewer words until it fits one
    page (a long title or long words can push the estimate over)."""
    from pypdf import PdfReader

    pdf = b""
    for words in (WORDS_ON_A_PAGE, 130, 90, 50):
        pdf = convert(board_docx(title=title, issuer=issuer, paragraphs=paragraphs, url=url, words=words))
        if len(PdfReader(io.BytesIO(pdf)).pages) == 1:
            break
    return pdf


def board_docx(
    *, title: str, issuer: str, paragraphs: list[str], url: str, words: int = WORDS_ON_A_PAGE
) -> bytes:
    document = docx.Document()
    section = document.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21.0)
    for side in ("top_margin", "bottom_margin", "left_margin", "right_margin"):
        setattr(section, side, Cm(2))
    normal = document.styles["Normal"]
    normal.font.name = "Times New Roman"
    normal.font.size = Pt(BODY_PT)
    if issuer:
        p = document.add_paragraph(issuer.upper())
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        p.runs[0].font.size = Pt(BODY_PT)
    head = document.add_paragraph()
    head.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = head.add_run(title.upper())
    run.bold = True
    run.font.size = Pt(TITLE_PT)
    budget, words = words, 0
    for text in paragraphs:
        n = len(text.split())
        if words and words + n > budget:
            document.add_paragraph("…")
            break
        document.add_paragraph(text).paragraph_format.space_after = Pt(6)
        words += n
    qr = io.BytesIO()
    segno.make(url, error="m").save(qr, kind="png", scale=8, border=2)
    qr.seek(0)
    foot = document.add_paragraph()
    foot.alignment = WD_ALIGN_PARAGRAPH.CENTER
    foot.add_run().add_picture(qr, width=Cm(3))
    note = document.add_paragraph(f"Quét mã để đọc toàn văn: {url}")
    note.alignment = WD_ALIGN_PARAGRAPH.CENTER
    note.runs[0].font.size = Pt(BODY_PT)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
