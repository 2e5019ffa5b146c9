"""PDF with reportlab, every font embedded: mixed Chinese and Latin text, page numbers, simple grids.

All text is set in one TrueType font that has Chinese and Latin glyphs, named by ``settings.ZHAOSHANG_PDF_FONT``
(by default WenQuanYi Micro Hei, Debian's ``fonts-wqy-microhei``, which ``make`` installs). reportlab embeds the
subset of glyphs each document uses, with a ToUnicode map: the file looks the same on a machine without any Chinese
font, and its text can be searched and copied. The font file is parsed once per process (about 0.2 s), on the
first document.

This module is the only place that knows fonts: documents take their styles from ``styles()``, their text through
``rich()`` and their pages from ``NumberedCanvas``; ``grid()`` lays out cells the same way. The font has one weight:
headings stand out by size, header and total rows by their shading.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from xml.sax.saxutils import escape

from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured
from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFError, TTFont
from reportlab.pdfgen import canvas as pdfcanvas
from reportlab.platypus import Flowable, Paragraph, Table, TableStyle

# The first four bytes of a font file: TrueType outlines (a single font, Apple's tag, a collection) or CFF ("OTTO").
TRUETYPE_TAGS = (b"\x00\x01\x00\x00", b"true", b"ttcf")
CFF_TAG = b"OTTO"
SAMPLE = "招商引资用地面积（亩）"  # glyphs every document needs


def _font_problem(path: Path) -> str:
    """Why the file at ``path`` cannot set the documents' text, or "" when it can (without parsing it)."""
    try:
        with path.open("rb") as file:
            tag = file.read(4)
    except OSError:
        return f"the PDF font {path} is missing"
    if tag == CFF_TAG:
        return f"the PDF font {path} has CFF (PostScript) outlines, which reportlab cannot embed"
    if tag not in TRUETYPE_TAGS:
        return f"the PDF font {path} is not a TrueType font (.ttf or .ttc)"
    return ""


def check_font(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    problem = _font_problem(Path(settings.ZHAOSHANG_PDF_FONT))
    hint = (
        "Install Debian's fonts-wqy-microhei (make install), or set ZHAOSHANG_PDF_FONT to a TrueType font "
        "with Chinese glyphs. Without it no PDF can be made."
    )
    return [checks.Warning(problem, hint=hint, id="core.W002")] if problem else []


@cache
def _register(path: str) -> str:
    problem = _font_problem(Path(path))
    if problem:
        raise ImproperlyConfigured(f"{problem} (settings.ZHAOSHANG_PDF_FONT)")
    name = f"Zhaoshang-{len(pdfmetrics.getRegisteredFontNames())}"
    try:
        font = TTFont(name, path, subfontIndex=0)
    except TTFError as error:  # e.g. a collection (.ttc) of CFF-outline fonts
        raise ImproperlyConfigured(f"the PDF font {path} cannot be embedded: {error}") from error
    missing = [char for char in SAMPLE if ord(char) not in font.face.charToGlyph]
    if missing:
        raise ImproperlyConfigured(f"the PDF font {path} lacks Chinese glyphs ({''.join(missing)})")
    pdfmetrics.registerFont(font)
    pdfmetrics.registerFontFamily(name, normal=name, bold=name, italic=name, boldItalic=name)
    return name


def font() -> str:
    """reportlab's name of the documents' font, registered on first use (once per process and font file)."""
    return _register(str(settings.ZHAOSHANG_PDF_FONT))


def rich(text) -> str:
    """Paragraph markup for any text (lazy translations included): escaped, in the documents' font."""
    return escape("" if text is None else str(text))


def styles() -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("base", fontName=font(), fontSize=9.5, leading=13, alignment=TA_LEFT)
    return {
        "base": base,
        "small": ParagraphStyle("small", parent=base, fontSize=8, leading=10.5, textColor=colors.HexColor("#555555")),
        "title": ParagraphStyle("title", parent=base, fontSize=17, leading=22, spaceAfter=4),
        "h2": ParagraphStyle("h2", parent=base, fontSize=12.5, leading=16, spaceBefore=10, spaceAfter=4),
        "h3": ParagraphStyle("h3", parent=base, fontSize=11, leading=14, spaceBefore=6),
    }


class NumberedCanvas(pdfcanvas.Canvas):
    """Writes "page n / N" at the foot of every page (N is known once all pages are laid out).

    Pages start in the documents' font, so that no base-14 font (Helvetica, never embedded) enters the file."""

    def __init__(self, *args, **kwargs):
        kwargs["initialFontName"] = kwargs.get("initialFontName") or font()  # the templates pass None
        super().__init__(*args, **kwargs)
        self._saved_pages: list[dict] = []

    def showPage(self):
        self._saved_pages.append(dict(self.__dict__))
        self._startPage()

    def save(self):
        total = len(self._saved_pages)
        for state in self._saved_pages:
            self.__dict__.update(state)
            self.setFont(font(), 8)
            self.setFillColor(colors.HexColor("#777777"))
            self.drawRightString(self._pagesize[0] - 18 * mm, 10 * mm, f"{self._pageNumber} / {total}")
            super().showPage()
        super().save()


def table(rows, **options) -> Table:
    """reportlab's ``Table`` whose own font (for plain-text cells, and the one it sets before each cell) is the
    documents' font rather than Helvetica. Lay out text cells as paragraphs (``grid``) to wrap them."""
    return Table(rows, style=[("FONTNAME", (0, 0), (-1, -1), font())], **options)


def grid(rows, widths, styles, header=False) -> Table:
    """A table of flowables (or lists of them) and text cells (strings, lazy translations, numbers), each text a
    paragraph in the base style: all that is not a flowable is text, so that a lazily translated label is never
    left to the table's own font."""

    def cell(value):
        return value if isinstance(value, Flowable | list | tuple) else Paragraph(rich(value), styles["base"])

    laid = table(
        [[cell(value) for value in row] for row in rows],
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
    laid.setStyle(TableStyle(commands))
    return laid


def build(story, *, title, pagesize=None, top: float = 16 * mm, bottom: float = 16 * mm, author: str = "") -> bytes:
    """The PDF bytes of ``story`` laid out on pages (A4 unless ``pagesize``) with 18 mm side margins, the given top
    and bottom margins, and the page numbers of ``NumberedCanvas``."""
    import io

    from reportlab.lib.pagesizes import A4
    from reportlab.platypus import SimpleDocTemplate

    buffer = io.BytesIO()
    template = SimpleDocTemplate(
        buffer,
        pagesize=pagesize or A4,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=top,
        bottomMargin=bottom,
        title=str(title),
        author=author,
    )
    template.build(story, canvasmaker=NumberedCanvas)
    return buffer.getvalue()
