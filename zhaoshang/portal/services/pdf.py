"""A saved proposal as a PDF (fonts and grids: ``core.pdf``)."""

from __future__ import annotations

import io

import segno
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import Image, KeepTogether, Paragraph, Spacer, TableStyle

from zhaoshang.core.documents import local_day
from zhaoshang.core.pdf import build, grid, rich, table
from zhaoshang.core.pdf import styles as pdf_styles

from .compare import from_comparison
from .matching import FITS, PARTIAL, SHORT, Needs, proposal_guides, proposal_sites

STATUS_COLOURS = {FITS: "#2f7d32", PARTIAL: "#b26a00", SHORT: "#c62828"}

# A proposal saved with no need stated: every site open to the public was scored alike.
NO_NEEDS = gettext_lazy("No needs stated: the sites were ranked on their own merits.")
# A proposal saved from a comparison: the investor chose the sites.
FROM_COMPARISON = gettext_lazy("Saved from a comparison: the sites the investor chose, in the order compared.")


def _qr_image(url: str, size: float = 32 * mm) -> Image:
    buffer = io.BytesIO()
    segno.make(url, error="m", micro=False).save(buffer, kind="png", scale=6, border=2)
    buffer.seek(0)
    return Image(buffer, width=size, height=size)


def _cover_image(photo, width: float) -> Image | None:
    """The site's cover photo (its thumbnail, a JPEG) ``width`` wide, or None without one or when its file is gone."""
    if photo is None or not photo.thumbnail:
        return None
    try:
        with photo.thumbnail.open("rb") as file:
            data = io.BytesIO(file.read())
    except OSError:
        return None
    from PIL import Image as PILImage

    try:
        with PILImage.open(data) as opened:
            pixels_wide, pixels_high = opened.size
    except OSError:
        return None
    data.seek(0)
    image = Image(data, width=width, height=width * pixels_high / max(pixels_wide, 1))
    image.hAlign = "LEFT"
    return image


def proposal_pdf(proposal, url: str) -> bytes:
    """The proposal as PDF bytes, in the active language; ``url`` is the proposal page's absolute address."""
    styles = pdf_styles()
    sites = proposal_sites(proposal)
    guides = proposal_guides(sites)
    needs = Needs.from_dict(proposal.needs)
    width = A4[0] - 36 * mm
    story = []

    title = proposal.title or _("Site proposal")
    heading = [
        Paragraph(rich(title), styles["title"]),
        Paragraph(rich(_("Saved on %(day)s") % {"day": local_day(proposal.created).isoformat()}), styles["small"]),
        Paragraph(rich(_("Online, with map and inquiry form: %(url)s") % {"url": url}), styles["small"]),
    ]
    top = table([[heading, _qr_image(url)]], colWidths=[width - 36 * mm, 36 * mm], hAlign="LEFT")
    top.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("ALIGN", (1, 0), (1, 0), "RIGHT")]))
    story.append(top)

    story.append(Paragraph(rich(_("Needs")), styles["h2"]))
    stated = needs.summary()
    chosen = from_comparison(proposal)
    if chosen:
        story.append(Paragraph(rich(FROM_COMPARISON), styles["base"]))
    elif stated:
        story.append(grid([[label, value] for label, value in stated], [45 * mm, width - 45 * mm], styles))
    else:
        story.append(Paragraph(rich(NO_NEEDS), styles["base"]))

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
                            "" if chosen else _("score %(score)s / 100") % {"score": site.score},
                        )
                        if part
                    )
                ),
                styles["base"],
            ),
        ]
        if site.address:
            block.append(Paragraph(rich(site.address), styles["base"]))
        cover = _cover_image(site.cover, width / 3)
        if cover is not None:
            block.append(cover)
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
            block.append(grid(rows, [column * 1.3, column * 0.7, column * 1.3, column * 0.7], styles))
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
        if site.criteria:
            block.append(Spacer(1, 2 * mm))
            block.append(grid(criteria_rows, [24 * mm, 24 * mm, width - 68 * mm, 20 * mm], styles, header=True))
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
                story.append(grid(rows, [8 * mm, width - 88 * mm, 50 * mm, 30 * mm], styles))
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
        story.append(grid(rows, [70 * mm, width - 70 * mm], styles))

    return build(story, title=title, bottom=18 * mm, author="Zhaoshang")


def comparison_pdf(comparison, url: str) -> bytes:
    """A comparison of sites as PDF bytes (A4 landscape), in the active language: the rows of the page, the best
    values marked with ★ and a word; ``url`` is the comparison page's absolute address."""
    from reportlab.lib.pagesizes import landscape

    from .compare import UNKNOWN

    styles = pdf_styles()
    pagesize = landscape(A4)
    width = pagesize[0] - 36 * mm
    story = []
    title = _("Comparison of sites")
    heading = [
        Paragraph(rich(title), styles["title"]),
        Paragraph(rich(_("Online: %(url)s") % {"url": url}), styles["small"]),
        Paragraph(
            rich(_("★ marks the best value of a row (the lowest price or distance, the highest capacity).")),
            styles["small"],
        ),
    ]
    top = table([[heading, _qr_image(url, 26 * mm)]], colWidths=[width - 30 * mm, 30 * mm], hAlign="LEFT")
    top.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("ALIGN", (1, 0), (1, 0), "RIGHT")]))
    story.append(top)
    story.append(Spacer(1, 3 * mm))

    label_width = 42 * mm
    column = (width - label_width) / len(comparison.sites)
    header = [_("Site")]
    for site in comparison.sites:
        carrier = site.carrier
        names = rich(carrier.display_name)
        if carrier.name_en and carrier.display_name != carrier.name_en:
            names += f"<br/>{rich(carrier.name_en)}"
        elif carrier.display_name != carrier.name:
            names += f"<br/>{rich(carrier.name)}"
        header.append(Paragraph(names, styles["base"]))
    rows = [header]
    group_rows = []
    for group, group_of in comparison.groups():
        group_rows.append(len(rows))
        rows.append([Paragraph(rich(group), styles["h3"])] + [""] * len(comparison.sites))
        for row in group_of:
            line = [row.label]
            for cell in row.cells:
                image = _cover_image(cell.photo, column - 6 * mm) if cell.photo is not None else None
                if image is not None:
                    line.append(image)
                    continue
                text = rich(cell.plain or UNKNOWN)
                if cell.best:
                    text = f"★ {text} ({rich(row.best_label)})"
                line.append(Paragraph(text, styles["base"]))
            rows.append(line)
    laid = grid(rows, [label_width] + [column] * len(comparison.sites), styles, header=True)
    laid.repeatRows = 1
    commands = [("SPAN", (0, index), (-1, index)) for index in group_rows]
    laid.setStyle(TableStyle(commands))
    story.append(laid)

    return build(story, title=title, pagesize=pagesize, top=14 * mm, author="Zhaoshang")
