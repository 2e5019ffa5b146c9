"""PDF with reportlab and no system fonts: mixed Chinese and Latin text, page numbers, simple grids.

Chinese is set in reportlab's built-in CID font STSong-Light (the reader's PDF viewer supplies the glyphs,
as with every Adobe-Asian-Font-Pack document); Latin text in Helvetica. Text runs are split by character:
what Helvetica's encoding (cp1252) holds is Latin, everything else goes to the CID font.
"""

from __future__ import annotations

from itertools import groupby
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas as pdfcanvas
from reportlab.platypus import Paragraph, Table, TableStyle

CJK_FONT = "STSong-Light"
LATIN_FONT = "Helvetica"
LATIN_BOLD = "Helvetica-Bold"


def register_fonts() -> None:
    if CJK_FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(CJK_FONT))


def _is_latin(char: str) -> bool:
    try:
        char.encode("cp1252")
    except UnicodeEncodeError:
        return False
    return True


def rich(text, bold: bool = False) -> str:
    """Paragraph markup for mixed Chinese and Latin text: each run in the font that has its glyphs."""
    text = "" if text is None else str(text)
    parts = []
    for latin, chars in groupby(text, key=_is_latin):
        run = escape("".join(chars))
        if latin:
            parts.append(f"<b>{run}</b>" if bold else run)
        else:
            parts.append(f'<font name="{CJK_FONT}">{run}</font>')
    return "".join(parts)


def styles() -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("base", fontName=LATIN_FONT, fontSize=9.5, leading=13, alignment=TA_LEFT)
    return {
        "base": base,
        "small": ParagraphStyle("small", parent=base, fontSize=8, leading=10.5, textColor=colors.HexColor("#555555")),
        "title": ParagraphStyle("title", parent=base, fontName=LATIN_BOLD, fontSize=17, leading=22, spaceAfter=4),
        "h2": ParagraphStyle(
            "h2", parent=base, fontName=LATIN_BOLD, fontSize=12.5, leading=16, spaceBefore=10, spaceAfter=4
        ),
        "h3": ParagraphStyle("h3", parent=base, fontName=LATIN_BOLD, fontSize=11, leading=14, spaceBefore=6),
    }


class NumberedCanvas(pdfcanvas.Canvas):
    """Writes "page n / N" at the foot of every page (N is known once all pages are laid out)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._saved_pages: list[dict] = []

    def showPage(self):
        self._saved_pages.append(dict(self.__dict__))
        self._startPage()

    def save(self):
        total = len(self._saved_pages)
        for state in self._saved_pages:
            self.__dict__.update(state)
            self.setFont(LATIN_FONT, 8)
            self.setFillColor(colors.HexColor("#777777"))
            self.drawRightString(self._pagesize[0] - 18 * mm, 10 * mm, f"{self._pageNumber} / {total}")
            super().showPage()
        super().save()


def grid(rows, widths, styles, header=False) -> Table:
    table = Table(
        [[Paragraph(rich(cell), styles["base"]) if isinstance(cell, str) else cell for cell in row] for row in rows],
        colWidths=widths,
        hAlign="LEFT",
    )
    commands = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.HexColor("#dddddd")),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
    ]
    if header:
        commands.append(("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#f0f3f7")))
    table.setStyle(TableStyle(commands))
    return table
