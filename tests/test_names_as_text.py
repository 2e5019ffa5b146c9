"""Whatever a person types as a name is shown as that text, never run as markup.

Every name a user can type (sites, parks, districts, chains, policies, guides and their steps, teams, contacts,
enterprises, projects, inquiries, events, a proposal's title) is planted here as markup that would run a script
if a page, a PDF or a Word document took it for markup. The pages are crawled (every page a staff member can
reach, and the public ones) and none may carry the markup as it was typed; the proposal PDF and the monthly
report (PDF and Word) must carry it literally. ``test_names_as_text_browser`` opens the maps, tooltips and charts.
"""

import io
from datetime import timedelta
from decimal import Decimal
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from django.conf import settings
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone, translation
from django.utils.html import escape
from docx import Document as WordDocument
from pypdf import PdfReader

from zhaoshang.accounts.tests.factories import TeamFactory
from zhaoshang.core import documents
from zhaoshang.geo.choices import RegionLevel
from zhaoshang.geo.models import Region
from zhaoshang.geo.tests.factories import CarrierFactory, ParkFactory
from zhaoshang.industry.choices import ProjectType
from zhaoshang.industry.models import IndustryCode
from zhaoshang.industry.tests.factories import ChainFactory, EnterpriseFactory
from zhaoshang.portal.models import Guide, GuideStep, Policy, PolicyIndustry
from zhaoshang.portal.services.inquiries import submit_inquiry
from zhaoshang.portal.services.matching import Needs, save_proposal
from zhaoshang.projects.choices import Stage
from zhaoshang.projects.tests.factories import ProjectFactory
from zhaoshang.stats import reports
from zhaoshang.stats.models import Event
from zhaoshang.stats.periods import Period

# Markup that runs a script in an element's content (img, svg), breaks out of an attribute value, or closes a
# script element. The tag before it names the field, so a script that runs says whose name let it in.
IMG, SVG, SCRIPT = (
    "{tag}<img src=x onerror=\"window.__xss='{tag}'\">",
    '{tag}"><svg onload="window.__xss=\'{tag}\'">',
    "{tag}</script><script>window.__xss='{tag}'</script>",
)


class Typed(dict):
    """The names planted, by tag; ``typed.objects`` holds the records they name."""

    def plant(self, tag: str, shape: str) -> str:
        self[tag] = shape.format(tag=tag)
        return self[tag]


@pytest.fixture
def typed(settings, city, centre):
    """Every name an investor or a member of staff can type, as markup, in the records the pages show."""
    settings.ZHAOSHANG_ONLINE_TILES = ""
    names = Typed()
    today = timezone.localdate()
    districts = list(
        Region.objects.filter(parent__adcode=settings.ZHAOSHANG_CITY_ADCODE, level=RegionLevel.DISTRICT).order_by(
            "adcode"
        )
    )
    shapes = (IMG, SVG, SCRIPT)
    for number, district in enumerate(districts):
        Region.objects.filter(pk=district.pk).update(
            name=names.plant(f"D{number}z", shapes[number % 3]), name_en=names.plant(f"D{number}e", shapes[~number % 3])
        )
    pengjiang, xinhui = (Region.objects.get(adcode=adcode) for adcode in ("440703", "440705"))
    team = TeamFactory(name=names.plant("Tz", SCRIPT), name_en=names.plant("Te", IMG), phone="0750-3500000")
    park = ParkFactory(name=names.plant("Pz", IMG), name_en=names.plant("Pe", SVG), region=pengjiang, team=team)
    park.industries.create(code="38")
    chain = ChainFactory(name=names.plant("Cz", IMG), name_en=names.plant("Ce", SVG))
    chain.industry_codes.set(IndustryCode.objects.filter(code="38"))
    chain.parks.add(park)
    site = CarrierFactory(
        reference="XSS-001",
        name=names.plant("Sz", IMG),
        name_en=names.plant("Se", SVG),
        region=pengjiang,
        park=park,
        team=team,
        codes=["38"],
        area_mu=Decimal("60"),
        contact_name=names.plant("Kz", SVG),
    )
    other = CarrierFactory(
        reference="XSS-002",
        name=names.plant("Rz", SVG),
        name_en=names.plant("Re", IMG),
        region=xinhui,
        team=team,
        codes=["38"],
        area_mu=Decimal("40"),
    )
    policy = Policy.objects.create(
        title=names.plant("Lz", SCRIPT),
        title_en=names.plant("Le", IMG),
        summary=names.plant("Mz", IMG),
        summary_en=names.plant("Me", SVG),
        issuer=names.plant("Iz", SVG),
        region=pengjiang,
        effective_from=today - timedelta(days=30),
    )
    PolicyIndustry.objects.create(policy=policy, code="38")
    guide = Guide.objects.create(
        project_type=ProjectType.INDUSTRIAL, title=names.plant("Gz", SVG), title_en=names.plant("Ge", SCRIPT)
    )
    GuideStep.objects.create(
        guide=guide,
        order=1,
        title=names.plant("Hz", IMG),
        title_en=names.plant("He", SVG),
        department=names.plant("Bz", SCRIPT),
        department_en=names.plant("Be", IMG),
        duration_days=5,
    )
    proposal = save_proposal(Needs(industry="38"), language="zh-hans", title=names.plant("Qz", IMG))

    # staff records: a signed project of a typed name for a typed enterprise in the typed district and chain
    period = Period.default(today)
    signed_on = min(period.end, today) - timedelta(days=3)
    enterprise = EnterpriseFactory(name=names.plant("Ez", IMG), name_en=names.plant("Ee", SVG))
    project = ProjectFactory(
        name=names.plant("Jz", SVG),
        enterprise=enterprise,
        district=pengjiang,
        chain=chain,
        owner_team=centre,
        project_type=ProjectType.INDUSTRIAL,
        planned_investment=Decimal("250000"),
        stage=Stage.SIGNED,
        lead_on=signed_on - timedelta(days=60),
        signed_on=signed_on,
    )
    inquiry = submit_inquiry(
        {
            "company": names.plant("Yz", IMG),
            "contact_name": names.plant("Xz", SVG),
            "message": names.plant("Wz", SCRIPT),
            "email": "investor@example.cn",
        },
        carrier=site,
        language="zh-hans",
    )
    event = Event.objects.create(
        name=names.plant("Vz", IMG), name_en=names.plant("Ve", SVG), start_on=today, organiser_team=centre
    )
    names.objects = {
        "districts": districts,
        "team": team,
        "park": park,
        "chain": chain,
        "site": site,
        "other": other,
        "policy": policy,
        "guide": guide,
        "proposal": proposal,
        "enterprise": enterprise,
        "project": project,
        "inquiry": inquiry,
        "event": event,
        "period": period,
    }
    return names


# --- pages ----------------------------------------------------------------------------------------------------


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self.hrefs.extend(value for name, value in attrs if name in ("href", "hx-get") and value)


SKIPPED_ROUTES = {"logout", "set_language"}
VISITS_PER_ROUTE = 3


def crawl(client, seeds, limit=400):
    """Every page reachable from ``seeds`` by links of this site (each route visited a few times; the query
    strings of links dropped): {address: HTML}. Downloads and JSON are not pages."""
    pages, queue, visits = {}, list(seeds), {}
    while queue and len(pages) < limit:
        address = queue.pop(0)
        path = urlsplit(address).path
        if address in pages:
            continue
        try:
            match = resolve(path)
        except Resolver404:
            continue
        route = f"{match.namespace}:{match.url_name}"
        if match.url_name in SKIPPED_ROUTES or path.startswith(("/admin/", "/api/")):
            continue
        if visits.get(route, 0) >= VISITS_PER_ROUTE:
            continue
        visits[route] = visits.get(route, 0) + 1
        response = client.get(address)
        pages[address] = ""
        if response.status_code != 200 or not response["Content-Type"].startswith("text/html"):
            continue
        html = response.content.decode()
        fragment = client.get(address, HTTP_HX_REQUEST="true")  # an htmx request answers with the page's fragment
        pages[address] = html + (fragment.content.decode() if fragment["Content-Type"].startswith("text/html") else "")
        links = Links()
        links.feed(html)
        for href in links.hrefs:
            target = urlsplit(urljoin(path, href))
            if not target.netloc and target.scheme in ("", "http", "https"):
                queue.append(target.path)
    return pages


def markup_found(pages: dict, typed: Typed) -> list[str]:
    return [f"{path}: {tag}" for path, html in pages.items() for tag, markup in typed.items() if markup in html]


def seeds(typed) -> list[str]:
    objects = typed.objects
    return [
        "/",
        "/map/",
        f"{reverse('portal:search')}?kind=park",
        f"{reverse('portal:search')}?kind=site",
        f"{reverse('portal:search')}?kind=policy",
        "/work/",
        objects["site"].get_absolute_url(),
        objects["park"].get_absolute_url(),
        objects["policy"].get_absolute_url(),
        objects["guide"].get_absolute_url(),
        objects["proposal"].get_absolute_url(),
        f"{reverse('portal:match')}?industry=38",
        objects["project"].get_absolute_url(),
        objects["enterprise"].get_absolute_url(),
        objects["inquiry"].get_absolute_url(),
        objects["event"].get_absolute_url(),
        reverse("projects:board"),
        reverse("stats:dashboard"),
        f"{reverse('stats:records')}?metric=large_signed&period={typed.objects['period'].key}",
        reverse("stats:report"),
        reverse("portal:inquiry-inbox"),
    ]


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_no_page_carries_a_typed_name_as_markup(typed, client_for, admin_user, investor, language):
    """Public pages for an investor, and every page an administrator reaches, in both languages."""
    staff = client_for(admin_user)
    for client in (investor, staff):
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    public = crawl(investor, seeds(typed))
    work = crawl(staff, seeds(typed))
    html_pages = [address for address, html in {**public, **work}.items() if html]
    assert len(html_pages) > 60, "the crawl reached the pages"
    assert markup_found(public, typed) == []
    assert markup_found(work, typed) == []
    # … and the names are there, as text
    shown = "".join(public.values()) + "".join(work.values())
    suffix = "z" if language == "zh-hans" else "e"
    for tag in ("S", "P", "C", "L", "G", "H"):
        assert escape(typed[tag + suffix]) in shown, f"{tag + suffix} is shown as text"


def test_a_message_naming_a_typed_record_shows_it_as_text(typed, client_for, admin_user):
    site = typed.objects["site"]
    response = client_for(admin_user).post(reverse("portal:staff-carrier-verify", args=[site.pk]), follow=True)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Sz&lt;img" in html, "the message names the site"
    assert markup_found({"verify": html}, typed) == []


# --- documents ------------------------------------------------------------------------------------------------


def pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return "".join(page.extract_text() for page in reader.pages)


def squeezed(text: str) -> str:
    """PDF text extraction loses spaces and line breaks where a line wraps: compare without white space."""
    return "".join(text.split())


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_proposal_pdf_prints_typed_names_literally(typed, investor, language):
    proposal = typed.objects["proposal"]
    response = investor.get(reverse("portal:proposal-pdf", args=[proposal.token]), HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    text = squeezed(pdf_text(response.content))
    # the site names in both languages, the title, the guide and its step in the reader's language
    tags = ["Qz", "Sz", "Se", "Rz", "Re"] + (["Gz", "Hz", "Bz"] if language == "zh-hans" else ["Ge", "He", "Be"])
    for tag in tags:
        assert squeezed(typed[tag]) in text, f"{tag} is printed as typed"


def test_the_monthly_report_prints_typed_names_literally(typed, leader):
    signed_on = typed.objects["project"].signed_on
    with translation.override("zh-hans"):
        document = reports.monthly_report(signed_on.year, signed_on.month, leader, timezone.localdate())
        pdf = squeezed(pdf_text(documents.to_pdf(document)))
        word = WordDocument(io.BytesIO(documents.to_docx(document)))
    word_text = squeezed(
        "".join(p.text for p in word.paragraphs)
        + "".join(cell.text for table in word.tables for row in table.rows for cell in row.cells)
    )
    for tag in ("Jz", "Ez", "D0z", "Cz"):
        assert squeezed(typed[tag]) in pdf, f"{tag} is printed as typed in the PDF"
        assert squeezed(typed[tag]) in word_text, f"{tag} is written as typed in the Word document"
