"""docgen: official Vietnamese documents out, in the official layouts.

Pure Python, no Django. In: an :class:`OfficialDocument` (dataclasses: issuer, number, place and
date, kind and title, body blocks — headings, paragraphs, dash items, tables, images —,
recipients, signature). Out: DOCX bytes (:func:`render_docx`, python-docx), PDF bytes
(:func:`docx_to_pdf`, LibreOffice headless), PNG pages (:func:`pdf_to_png`, poppler).

Layout rules are versioned data, one JSON file per document system in ``profiles/``:
``nd30-2020`` (state bodies, Nghị định 30/2020/NĐ-CP Phụ lục I) and ``hd36-2018`` (Party
bodies, Hướng dẫn 36-HD/VPTW). :func:`profile_for_issuer` picks one from the issuing body.
"""

from .charts import bar_chart
from .docx import place_and_date, render_docx
from .model import Bullet, Heading, Image, OfficialDocument, Paragraph, Signature, Table
from .pdf import ConversionError, docx_to_pdf, pdf_to_png
from .profiles import PARTY, STATE, ProfileError, available, load_profile, profile_for_issuer

__all__ = [
    "PARTY",
    "STATE",
    "Bullet",
    "ConversionError",
    "Heading",
    "Image",
    "OfficialDocument",
    "Paragraph",
    "ProfileError",
    "Signature",
    "Table",
    "available",
    "bar_chart",
    "docx_to_pdf",
    "load_profile",
    "pdf_to_png",
    "place_and_date",
    "profile_for_issuer",
    "render_docx",
]
