"""A saved proposal as a PDF, with reportlab: no system fonts needed.

Chinese is set in reportlab's built-in CID font STSong-Light (the reader's PDF viewer supplies the glyphs,
as with every Adobe-Asian-Font-Pack document); Latin text in Helvetica. Text runs are split by character:
what Helvetica's encoding (cp1252) holds is Latin, everything else goes to the CID font.
"""

from __future__ import annotations

import io
from itertools import groupby
from xml.sax.saxutils import escape

import segno
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas as pdfcanvas
from reportlab.platypus import Image, KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from .matching import FITS, PARTIAL, SHORT, Needs, proposal_guides, proposal_sites

CJK_FONT = "STSong-Light"
LATIN_FONT = "Helvetica"
LATIN_BOLD = "Helvetica-Bold"

STATUS_COLOURS = {FITS: "#2f7d32", PARTIAL: "#b26a00", SHORT: "#c62828"}


def _register_fonts() -> None:
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


def _styles() -> dict[str, ParagraphStyle]:
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
            self.drawRightString(A4[0] - 18 * mm, 10 * mm, f"{self._pageNumber} / {total}")
            super().showPage()
        super().save()


def _qr_image(url: str, size: float = 32 * mm) -> Image:
    buffer = io.BytesIO()
    segno.make(url, error="m", micro=False).save(buffer, kind="png", scale=6, border=2)
    buffer.seek(0)
    return Image(buffer, width=size, height=size)


def _grid(rows, widths, styles, header=False) -> Table:
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


def proposal_pdf(proposal, url: str) -> bytes:
    """The proposal as PDF bytes, in the active language; ``url`` is the proposal page's absolute address."""
    _register_fonts()
    styles = _styles()
    sites = proposal_sites(proposal)
    guides = proposal_guides(sites)
    needs = Needs.from_dict(proposal.needs)
    width = A4[0] - 36 * mm
    story = []

    title = proposal.title or _("Site proposal")
    heading = [
        Paragraph(rich(title), styles["title"]),
        Paragraph(rich(_("Saved on %(day)s") % {"day": proposal.created.strftime("%Y-%m-%d")}), styles["small"]),
        Paragraph(rich(_("Online, with map and inquiry form: %(url)s") % {"url": url}), styles["small"]),
    ]
    top = Table([[heading, _qr_image(url)]], colWidths=[width - 36 * mm, 36 * mm], hAlign="LEFT")
    top.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("ALIGN", (1, 0), (1, 0), "RIGHT")]))
    story.append(top)

    story.append(Paragraph(rich(_("Needs")), styles["h2"]))
    story.append(_grid([[label, value] for label, value in needs.summary()], [45 * mm, width - 45 * mm], styles))

    story.append(Paragraph(rich(_("Sites")), styles["h2"]))
    if not sites:
        story.append(Paragraph(rich(_("No site met these needs when the proposal was saved.")), styles["base"]))
    for number, site in enumerate(sites, start=1):
        block = [
            Paragraph(
                rich(f"{number}. {site.name_zh}") + (f" &nbsp; {rich(site.name_en)}" if site.name_en else ""),
                styles["h3"],
            ),
            Paragraph(
                rich(
                    " · ".join(
                        part
                        for part in (
                            site.reference,
                            site.kind_label,
                            site.district,
                            site.park,
                            _("score %(score)s / 100") % {"score": site.score},
                        )
                        if part
                    )
                ),
                styles["base"],
            ),
        ]
        if not site.available:
            gone = rich(_("No longer available: ask the contact for similar sites."))
            block.append(Paragraph(f'<font color="#c62828">{gone}</font>', styles["base"]))
        facts = site.key_facts
        if facts:
            half = (len(facts) + 1) // 2
            rows = []
            for i in range(half):
                left = facts[i]
                right = facts[half + i] if half + i < len(facts) else ("", "")
                rows.append([left[0], left[1], right[0], right[1]])
            column = width / 4
            block.append(_grid(rows, [column * 1.3, column * 0.7, column * 1.3, column * 0.7], styles))
        criteria_rows = [[_("Criterion"), _("Assessment"), _("Reason"), _("Points")]]
        for criterion in site.criteria:
            colour = STATUS_COLOURS.get(criterion.status, "#555555")
            criteria_rows.append(
                [
                    criterion.label,
                    Paragraph(f'<font color="{colour}">{rich(criterion.status_label)}</font>', styles["base"]),
                    criterion.explanation,
                    f"{criterion.points} / {criterion.weight}",
                ]
            )
        block.append(Spacer(1, 2 * mm))
        block.append(_grid(criteria_rows, [24 * mm, 24 * mm, width - 68 * mm, 20 * mm], styles, header=True))
        contact = site.contact
        contact_line = " · ".join(
            part for part in (site.team, contact.get("name"), contact.get("phone"), contact.get("email")) if part
        )
        block.append(Paragraph(rich(_("Contact") + ": " + contact_line), styles["small"]))
        block.append(Spacer(1, 3 * mm))
        story.append(KeepTogether(block))

    if guides:
        story.append(Paragraph(rich(_("How to land")), styles["h2"]))
        for guide in guides:
            story.append(Paragraph(rich(guide["guide"].title), styles["h3"]))
            rows = []
            for step in guide["guide_steps"]:
                days = _("%(days)s working days") % {"days": step.duration_days} if step.duration_days else ""
                rows.append([str(step.order), step.title, step.department, days])
            if rows:
                story.append(_grid(rows, [8 * mm, width - 88 * mm, 50 * mm, 30 * mm], styles))
            if guide["guide_days"]:
                story.append(
                    Paragraph(
                        rich(_("About %(days)s working days in all.") % {"days": guide["guide_days"]}),
                        styles["small"],
                    )
                )

    contacts = {}
    for site in sites:
        line = " · ".join(part for part in (site.contact.get("phone"), site.contact.get("email")) if part)
        contacts.setdefault(site.team, set()).add(line)
    if contacts:
        story.append(Paragraph(rich(_("Contacts")), styles["h2"]))
        rows = [[team, "; ".join(sorted(line for line in lines if line)) or "—"] for team, lines in contacts.items()]
        story.append(_grid(rows, [70 * mm, width - 70 * mm], styles))

    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=16 * mm,
        bottomMargin=18 * mm,
        title=str(title),
        author="Zhaoshang",
    )
    document.build(story, canvasmaker=NumberedCanvas)
    return buffer.getvalue()
