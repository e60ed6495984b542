"""Render an :class:`OfficialDocument` to DOCX bytes with python-docx, following a format profile.

Every size, margin and label comes from the profile (``profiles/*.json``); this module only knows
how to draw: the borderless two-column header table, rules as real paragraph borders (never
underscores), the centred kind and title, justified body text with a first-line indent, ruled
tables, and the recipients / signature table at the end.
"""

from __future__ import annotations

import datetime as dt
import io

from docx import Document as new_document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt

from .model import Bullet, Heading, Image, OfficialDocument, Paragraph, Table
from .profiles import load_profile, profile_for_issuer

CENTER, JUSTIFY, LEFT = WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.JUSTIFY, WD_ALIGN_PARAGRAPH.LEFT


def place_and_date(place: str, date: dt.date | None, pad_months_below: int = 3) -> str:
    """ "Hưng Đạo, ngày 05 tháng 6 năm 2026": days below 10 and months below ``pad_months_below``
    (January and February under Nghị định 30) take a leading zero. No date: blanks to fill by hand."""
    if date is None:
        text = "ngày      tháng      năm 20   "
    else:
        month = f"{date.month:02d}" if date.month < pad_months_below else str(date.month)
        text = f"ngày {date.day:02d} tháng {month} năm {date.year}"
    return f"{place}, {text}" if place else text.capitalize()


def _set_font(run_or_style, font: str) -> None:
    """Name the font for every script and drop theme fonts, which would otherwise win."""
    element = run_or_style.element
    rpr = element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attr), None)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), font)


class _Writer:
    def __init__(self, doc: OfficialDocument, profile: dict):
        self.doc = doc
        self.p = profile
        self.font = profile["font"]
        self.out = new_document()
        self._page()
        self._styles()

    # -- set-up ----------------------------------------------------------------------------

    def _page(self) -> None:
        page = self.p["page"]
        section = self.out.sections[0]
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = Mm(page["width_mm"]), Mm(page["height_mm"])
        section.top_margin, section.bottom_margin = Mm(page["top_mm"]), Mm(page["bottom_mm"])
        section.left_margin, section.right_margin = Mm(page["left_mm"]), Mm(page["right_mm"])

    def _styles(self) -> None:
        body = self.p["body"]
        for style in self.out.styles:
            if style.type == 1 or style.type == 3:  # paragraph and table styles
                try:
                    _set_font(style, self.font)
                except AttributeError:
                    pass
        normal = self.out.styles["Normal"]
        normal.font.name = self.font
        normal.font.size = Pt(body["size_pt"])
        fmt = normal.paragraph_format
        fmt.space_before, fmt.space_after = Pt(0), Pt(body["space_after_pt"])
        fmt.line_spacing = body["line_spacing"]

    @property
    def text_width_cm(self) -> float:
        page = self.p["page"]
        return (page["width_mm"] - page["left_mm"] - page["right_mm"]) / 10

    # -- primitives --------------------------------------------------------------------------

    def run(self, paragraph, text: str, style: dict | None = None, **over):
        style = {**(style or {}), **over}
        if style.get("upper"):
            text = text.upper()
        run = paragraph.add_run(text)
        run.font.name = self.font
        _set_font(run, self.font)
        run.font.size = Pt(style.get("size_pt", self.p["body"]["size_pt"]))
        run.bold = bool(style.get("bold"))
        run.italic = bool(style.get("italic"))
        if style.get("underline"):
            run.underline = True
        return run

    def para(
        self, container, text: str = "", style: dict | None = None, align=CENTER, after: float = 0, **over
    ):
        paragraph = container.add_paragraph()
        fmt = paragraph.paragraph_format
        fmt.alignment = align
        fmt.space_before, fmt.space_after = Pt(0), Pt(after)
        fmt.first_line_indent = Cm(0)
        fmt.line_spacing = 1.0
        if text:
            self.run(paragraph, text, style, **over)
        return paragraph

    def rule(self, container, length_cm: float, width_cm: float) -> None:
        """A real horizontal line ``length_cm`` long, centred in a space ``width_cm`` wide: the top
        border of an empty paragraph indented from both sides."""
        paragraph = self.para(container)
        side = max(0.0, (width_cm - length_cm) / 2)
        paragraph.paragraph_format.left_indent = Cm(side)
        paragraph.paragraph_format.right_indent = Cm(side)
        ppr = paragraph._p.get_or_add_pPr()
        borders = OxmlElement("w:pBdr")
        top = OxmlElement("w:top")
        for key, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "000000")):
            top.set(qn(key), value)
        borders.append(top)
        ppr.append(borders)
        # A small empty paragraph, a little below the text above, so the line clears its descenders.
        paragraph.paragraph_format.space_before = Pt(3)
        self.run(paragraph, "", {"size_pt": 4})

    @staticmethod
    def borderless(table) -> None:
        tbl_pr = table._tbl.tblPr
        borders = OxmlElement("w:tblBorders")
        for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
            el = OxmlElement(f"w:{edge}")
            el.set(qn("w:val"), "nil")
            borders.append(el)
        tbl_pr.append(borders)

    @staticmethod
    def widths(table, widths_cm: list[float]) -> None:
        table.autofit = False
        for row in table.rows:
            for cell, width in zip(row.cells, widths_cm, strict=False):
                cell.width = Cm(width)
        for column, width in zip(table.columns, widths_cm, strict=False):
            column.width = Cm(width)

    @staticmethod
    def first(cell):
        """A new cell holds one empty paragraph; reuse it for the first line."""
        return cell.paragraphs[0]

    def cell_line(self, cell, text: str, style: dict | None, used: list, align=CENTER, **over):
        if not used:
            paragraph = self.first(cell)
            paragraph.paragraph_format.alignment = align
            paragraph.paragraph_format.space_after = Pt(0)
            paragraph.paragraph_format.line_spacing = 1.0
            self.run(paragraph, text, style, **over)
            used.append(True)
            return paragraph
        return self.para(cell, text, style, align=align, **over)

    # -- parts -------------------------------------------------------------------------------

    def header(self) -> None:
        h = self.p["header"]
        left_w = h["left_width_cm"]
        right_w = self.text_width_cm - left_w
        table = self.out.add_table(rows=2, cols=2)
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        self.borderless(table)
        self.widths(table, [left_w, right_w])
        left, right = table.cell(0, 0), table.cell(0, 1)
        used_l: list = []
        if self.doc.issuer_parent:
            self.cell_line(left, self.doc.issuer_parent, h["parent"], used_l)
        self.cell_line(left, self.doc.issuer, h["issuer"], used_l)
        if h.get("issuer_star"):
            self.para(left, "*", {"size_pt": h["issuer"]["size_pt"]})
        elif h.get("issuer_rule_cm"):
            self.rule(left, h["issuer_rule_cm"], left_w)
        used_r: list = []
        for line in h["national"]:
            self.cell_line(right, line, h["national_style"], used_r)
        if h.get("motto"):
            self.para(right, h["motto"], h["motto_style"])
        self.rule(right, h["motto_rule_cm"], right_w)
        number = self.doc.number or "      /"
        self.cell_line(table.cell(1, 0), h["number_prefix"] + number, h["number_style"], [])
        pad = self.p.get("date_pad_months_below", 3)
        self.cell_line(
            table.cell(1, 1), place_and_date(self.doc.place, self.doc.date, pad), h["place_date_style"], []
        )

    def title(self) -> None:
        self.para(self.out, "", after=6)
        if self.doc.draft:
            self.para(self.out, "DỰ THẢO", {"size_pt": 13, "bold": True}, after=6)
        self.para(self.out, self.doc.kind, self.p["kind_style"])
        self.para(self.out, self.doc.title, self.p["title_style"])
        if self.p.get("title_dashes"):
            self.para(self.out, "-----", {"size_pt": self.p["title_style"]["size_pt"]})
        elif self.p.get("title_rule_cm"):
            self.rule(self.out, self.p["title_rule_cm"], self.text_width_cm)
        self.para(self.out, "", after=6)

    def body_para(self, text: str, bold: bool = False, italic: bool = False):
        body = self.p["body"]
        paragraph = self.out.add_paragraph()
        fmt = paragraph.paragraph_format
        fmt.alignment = JUSTIFY
        fmt.first_line_indent = Cm(body["first_line_indent_cm"])
        fmt.space_after = Pt(body["space_after_pt"])
        fmt.line_spacing = body["line_spacing"]
        self.run(paragraph, text, {"size_pt": body["size_pt"], "bold": bold, "italic": italic})
        return paragraph

    def table(self, block: Table) -> None:
        size = self.p["table_size_pt"]
        if block.caption:
            self.para(self.out, block.caption, {"size_pt": size, "bold": True}, after=3)
        table = self.out.add_table(rows=1 + len(block.rows), cols=len(block.header))
        table.style = self.out.styles["Table Grid"]
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        # row.cells once per row: table.cell(r, c) rebuilds the whole grid on every call (O(n²)).
        for r, (row, values) in enumerate(zip(table.rows, [block.header, *block.rows], strict=True)):
            cells = row.cells
            for c, value in enumerate(values[: len(block.header)]):
                paragraph = self.first(cells[c])
                paragraph.paragraph_format.space_after = Pt(0)
                paragraph.paragraph_format.line_spacing = 1.0
                paragraph.paragraph_format.alignment = CENTER if r == 0 or c > 0 else LEFT
                self.run(paragraph, str(value), {"size_pt": size, "bold": r == 0})
        if block.widths_cm:
            self.widths(table, block.widths_cm)
        self.para(self.out, "", after=3)

    def image(self, block: Image) -> None:
        paragraph = self.para(self.out)
        paragraph.add_run().add_picture(io.BytesIO(block.data), width=Cm(block.width_cm))
        if block.caption:
            self.para(self.out, block.caption, {"size_pt": self.p["table_size_pt"], "italic": True}, after=6)

    def body(self) -> None:
        for block in self.doc.body:
            if isinstance(block, Heading):
                self.body_para(block.text, bold=True, italic=block.level > 2)
            elif isinstance(block, Paragraph):
                self.body_para(block.text, italic=block.italic)
            elif isinstance(block, Bullet):
                self.body_para(block.text if block.text.startswith("-") else f"- {block.text}")
            elif isinstance(block, Table):
                self.table(block)
            elif isinstance(block, Image):
                self.image(block)
            else:  # pragma: no cover — a programming error, not bad input
                raise TypeError(f"unknown block {type(block).__name__}")

    def closing(self) -> None:
        rec, sig = self.p["recipients"], self.p["signature"]
        left_w = 7.5
        table = self.out.add_table(rows=1, cols=2)
        self.borderless(table)
        self.widths(table, [left_w, self.text_width_cm - left_w])
        left, right = table.cell(0, 0), table.cell(0, 1)
        used: list = []
        self.cell_line(left, rec["heading"], rec["heading_style"], used, align=LEFT)
        items = [f"- {name.strip().rstrip(';,.')};" for name in self.doc.recipients if name.strip()]
        archive = rec["archive"] + (f", {self.doc.archive}" if self.doc.archive else "")
        items.append(f"- {archive}.")
        for item in items:
            self.para(left, item, rec["item_style"], align=LEFT)
        used_r: list = []
        s = self.doc.signature
        if s.authority:
            self.cell_line(right, s.authority, sig["authority_style"], used_r)
        if s.deputy:
            self.cell_line(right, s.deputy, sig["authority_style"], used_r)
        if s.position:
            self.cell_line(right, s.position, sig["position_style"], used_r)
        for _ in range(sig["blank_lines"]):
            self.para(right, "")
        if s.name:
            self.para(right, s.name, sig["name_style"])

    def render(self) -> bytes:
        self.header()
        self.title()
        self.body()
        self.closing()
        core = self.out.core_properties
        core.title = f"{self.doc.kind} {self.doc.title}"[:250]
        core.author = self.doc.issuer[:250]
        buffer = io.BytesIO()
        self.out.save(buffer)
        return buffer.getvalue()


def render_docx(doc: OfficialDocument, profile_id: str | None = None) -> bytes:
    """The document as DOCX bytes, in ``profile_id``'s format (default: by the issuing body)."""
    profile = load_profile(profile_id or profile_for_issuer(doc.issuer, doc.issuer_parent))
    return _Writer(doc, profile).render()
