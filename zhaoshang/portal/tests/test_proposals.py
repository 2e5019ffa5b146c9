"""Saved proposals: a matching result kept as a shareable page, a PDF and an API resource.

A proposal holds public sites only, whoever saves it; it keeps what it showed when saved even if the sites
change, and says which sites are no longer on offer; it reads in the reader's language; its PDF carries the
Chinese names (read back from the file); bad needs save nothing and answer with the field's name.
"""

import io
import re
from datetime import UTC, datetime

import pytest
from django.urls import reverse
from pypdf import PdfReader

from zhaoshang.core.testing import pdf_fonts
from zhaoshang.geo.choices import Availability
from zhaoshang.geo.tests.factories import CarrierFactory, stale_date
from zhaoshang.industry.choices import ProjectType
from zhaoshang.portal.models import Guide, GuideStep, Proposal

SAVE_URL = reverse("portal:proposal-save")
API_MATCH = reverse("api:portal-match")
API_PROPOSALS = reverse("api:portal-proposals")
NEEDS = {"industry": "38", "power": "5000", "area_min": "30", "area_max": "80"}


@pytest.fixture
def sites(city):
    """Two public sites with Chinese and English names, and three the public must never get."""
    return {
        "battery": CarrierFactory(
            reference="JM-2025-001",
            name="江海区新能源电池产业地块",
            name_en="Jianghai new-energy battery parcel",
            codes=["38"],
            area_mu=60,
            power_kva=8000,
            contact_name="李工",
            contact_phone="0750-3500000",
        ),
        "smaller": CarrierFactory(
            reference="JM-2025-002",
            name="蓬江区智能装备地块",
            name_en="Pengjiang smart equipment parcel",
            codes=["38"],
            area_mu=40,
            power_kva=3000,
        ),
        "stale": CarrierFactory(reference="JM-STALE", codes=["38"], last_verified=stale_date()),
        "unpublished": CarrierFactory(reference="JM-DRAFT", codes=["38"], published=False),
        "taken": CarrierFactory(reference="JM-TAKEN", codes=["38"], availability=Availability.TAKEN),
    }


@pytest.fixture
def guide(db):
    guide = Guide.objects.create(project_type=ProjectType.INDUSTRIAL, title="工业项目落地指引", title_en="Industrial")
    GuideStep.objects.create(
        guide=guide, order=1, title="项目备案", title_en="Register the project", department="发改局", duration_days=3
    )
    return guide


def save(client, **changes):
    response = client.post(SAVE_URL, {**NEEDS, **changes})
    assert response.status_code == 302, response.content.decode()[:2000]
    return Proposal.objects.get(token=response["Location"].rstrip("/").split("/")[-1])


def saved_references(proposal):
    return [item["reference"] for item in proposal.results]


# --- saving -------------------------------------------------------------------------------------------------


def test_saving_a_result_keeps_the_needs_and_the_ranked_sites_and_shows_the_proposal(sites, investor):
    response = investor.post(SAVE_URL, {**NEEDS, "title": "电池项目选址方案"})

    proposal = Proposal.objects.get()
    assert response.status_code == 302
    assert response["Location"] == proposal.get_absolute_url()
    assert proposal.title == "电池项目选址方案"
    assert proposal.needs["industry"] == "38" and proposal.needs["power"] == 5000
    assert saved_references(proposal) == ["JM-2025-001", "JM-2025-002"]
    first = proposal.results[0]
    assert first["score"] == sum(c["points"] for c in first["criteria"])


def test_a_proposal_holds_public_sites_only_even_when_staff_save_it(sites, officer_a, client_for, investor):
    for client in (investor, client_for(officer_a)):
        assert saved_references(save(client)) == ["JM-2025-001", "JM-2025-002"]


def test_bad_needs_save_nothing_and_keep_what_was_typed(sites, investor):
    response = investor.post(SAVE_URL, {**NEEDS, "area_min": "90", "title": "我的方案"})

    assert response.status_code == 200
    assert Proposal.objects.count() == 0
    assert "area_max" in response.context["form"].errors
    page = response.content.decode()
    assert 'value="90"' in page and 'data-field="area_max"' in page


def test_a_too_long_title_is_refused_by_name_and_the_results_stay(sites, investor):
    response = investor.post(SAVE_URL, {**NEEDS, "title": "长" * 151})

    assert Proposal.objects.count() == 0
    assert 'data-field="title"' in response.content.decode()
    assert [m.carrier.reference for m in response.context["matches"]] == ["JM-2025-001", "JM-2025-002"]


def test_saving_needs_a_post(investor, city):
    assert investor.get(SAVE_URL, NEEDS).status_code == 405


# --- the page -----------------------------------------------------------------------------------------------


def test_the_proposal_page_reads_in_chinese_and_in_english(sites, guide, investor):
    proposal = save(investor)

    chinese = investor.get(proposal.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    english = investor.get(proposal.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert '<html lang="zh-hans">' in chinese
    assert '<html lang="en">' in english
    for page in (chinese, english):
        assert "江海区新能源电池产业地块" in page and "Jianghai new-energy battery parcel" in page
        assert "JM-2025-001" in page and "JM-2025-002" in page
        assert 'id="proposal-map"' in page and "portal/proposal-map.js" in page
        assert "/api/regions/geojson/?parent=440700" in page
        assert "0750-3500000" in page
        assert 'data-testid="inquiry-loader"' in page
        assert reverse("portal:proposal-qr", args=[proposal.token, "svg"]) in page
    assert "项目备案" in chinese and "Register the project" in english
    assert "needs 5,000 kVA, has 8,000 kVA" in english
    first_title = re.search(r'data-reference="JM-2025-001".*?<h3[^>]*>(.*?)</h3>', english, re.S).group(1)
    assert "Jianghai new-energy battery parcel" in first_title


def test_a_proposal_keeps_its_snapshot_and_marks_sites_no_longer_on_offer(sites, investor):
    proposal = save(investor)
    battery, smaller = sites["battery"], sites["smaller"]
    battery.name = "改名后的地块"
    battery.power_kva = 100
    battery.save()
    smaller.availability = Availability.TAKEN
    smaller.save()

    response = investor.get(proposal.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en")

    page = response.content.decode()
    assert "江海区新能源电池产业地块" in page and "改名后的地块" not in page
    assert "needs 5,000 kVA, has 8,000 kVA" in page
    available = {site.reference: site.available for site in response.context["sites"]}
    assert available == {"JM-2025-001": True, "JM-2025-002": False}
    assert page.count('data-testid="no-longer-available"') == 1
    assert smaller.get_absolute_url() not in page


def test_proposals_are_found_by_their_link_only(sites, investor):
    save(investor)
    assert investor.get("/proposals/").status_code == 404
    assert investor.get(reverse("portal:proposal-detail", args=["not-a-token"])).status_code == 404
    assert investor.get(reverse("portal:proposal-pdf", args=["not-a-token"])).status_code == 404


def test_the_qr_code_of_a_proposal_comes_as_svg_and_png(sites, investor):
    proposal = save(investor)
    svg = investor.get(reverse("portal:proposal-qr", args=[proposal.token, "svg"]))
    png = investor.get(reverse("portal:proposal-qr", args=[proposal.token, "png"]))
    assert svg["Content-Type"] == "image/svg+xml" and b"<svg" in svg.content
    assert png["Content-Type"] == "image/png" and png.content.startswith(b"\x89PNG")


# --- the PDF ------------------------------------------------------------------------------------------------


def pdf_text(response) -> str:
    reader = PdfReader(io.BytesIO(response.content))
    return "\n".join(page.extract_text() for page in reader.pages)


def test_the_pdf_carries_the_chinese_names_and_the_listing_numbers(sites, guide, investor):
    proposal = save(investor, title="电池项目选址方案")

    response = investor.get(reverse("portal:proposal-pdf", args=[proposal.token]), HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    text = pdf_text(response)
    for expected in (
        "电池项目选址方案",
        "江海区新能源电池产业地块",
        "蓬江区智能装备地块",
        "Jianghai new-energy battery parcel",
        "JM-2025-001",
        "JM-2025-002",
        "needs 5,000 kVA, has 8,000 kVA",
        "Register the project",
        "0750-3500000",
        proposal.get_absolute_url(),
    ):
        assert expected in text, expected
    assert re.search(r"\b1 / \d+\b", text)
    assert "JM-TAKEN" not in text and "JM-DRAFT" not in text and "JM-STALE" not in text


def test_a_proposal_saved_late_in_the_utc_evening_is_dated_the_next_day_on_its_page_and_in_its_pdf(
    sites, investor, settings
):
    settings.TIME_ZONE = "Asia/Shanghai"
    proposal = save(investor)
    # 20:00 UTC on 6 December is 04:00 on 7 December in Shanghai: the city's day is the 7th.
    Proposal.objects.filter(pk=proposal.pk).update(created=datetime(2026, 12, 6, 20, 0, tzinfo=UTC))

    page = investor.get(proposal.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    pdf = pdf_text(investor.get(reverse("portal:proposal-pdf", args=[proposal.token]), HTTP_ACCEPT_LANGUAGE="en"))

    assert "2026-12-07" in page and "2026-12-06" not in page
    assert "2026-12-07" in pdf and "2026-12-06" not in pdf


def test_the_chinese_pdf_prints_the_labels_of_the_site_facts_as_text(sites, investor):
    proposal = save(investor)

    text = pdf_text(investor.get(reverse("portal:proposal-pdf", args=[proposal.token]), HTTP_ACCEPT_LANGUAGE="zh-hans"))

    for label in ("用地面积（亩）", "供电容量（kVA）", "投资需求", "载体", "评分项", "评估", "联系方式"):
        assert label in text, label
    assert "■" not in text


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_every_font_of_the_pdf_is_embedded_in_it(sites, guide, investor, language):
    """The file carries the glyphs it prints: it reads the same on a machine without any Chinese font."""
    proposal = save(investor, title="电池项目选址方案")

    response = investor.get(reverse("portal:proposal-pdf", args=[proposal.token]), HTTP_ACCEPT_LANGUAGE=language)

    fonts = pdf_fonts(response.content)
    assert fonts and all(fonts.values()), fonts


def test_a_proposal_without_stated_needs_has_a_page_and_a_pdf(sites, investor):
    proposal = Proposal.objects.create(needs={}, results=[])

    page = investor.get(proposal.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en")
    pdf = investor.get(reverse("portal:proposal-pdf", args=[proposal.token]), HTTP_ACCEPT_LANGUAGE="en")

    assert page.status_code == 200 and "No needs stated" in page.content.decode()
    assert pdf.status_code == 200 and "No needs stated" in pdf_text(pdf)


def test_the_pdf_embeds_the_qr_code_of_the_proposal(sites, investor):
    proposal = save(investor)
    reader = PdfReader(io.BytesIO(investor.get(reverse("portal:proposal-pdf", args=[proposal.token])).content))
    assert len(reader.pages[0].images) == 1


# --- the API ------------------------------------------------------------------------------------------------


def test_the_match_api_ranks_public_sites_with_explained_criteria(sites, investor):
    response = investor.post(API_MATCH, NEEDS, content_type="application/json", HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    body = response.json()
    assert [r["site"]["reference"] for r in body["results"]] == ["JM-2025-001", "JM-2025-002"]
    best = body["results"][0]
    assert best["score"] == sum(c["points"] for c in best["criteria"]) == 100
    power = next(c for c in best["criteria"] if c["key"] == "power")
    assert power["explanation"] == "needs 5,000 kVA, has 8,000 kVA"
    assert best["site"]["name"] == "江海区新能源电池产业地块"


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"area_min": 80, "area_max": 30}, "area_max"),
        ({"power": -5}, "power"),
        ({"power": "lots"}, "power"),
        ({"industry": "99"}, "industry"),
        ({"districts": ["110101"]}, "districts"),
        ({"kind": "castle"}, "kind"),
        ({}, "non_field_errors"),
    ],
)
def test_the_match_api_answers_bad_needs_with_400_naming_the_field(city, investor, payload, field):
    response = investor.post(API_MATCH, payload, content_type="application/json")
    assert response.status_code == 400
    assert field in response.json()


def test_the_proposal_api_saves_public_sites_and_returns_the_links(sites, officer_a, api_for, investor):
    response = api_for(officer_a).post(API_PROPOSALS, {**NEEDS, "title": "API 方案"}, format="json")

    assert response.status_code == 201
    body = response.json()
    proposal = Proposal.objects.get(token=body["token"])
    assert proposal.title == "API 方案"
    assert saved_references(proposal) == ["JM-2025-001", "JM-2025-002"]
    assert body["url"].endswith(proposal.get_absolute_url())
    assert body["pdf_url"].endswith(reverse("portal:proposal-pdf", args=[proposal.token]))

    read = investor.get(body["api_url"], HTTP_ACCEPT_LANGUAGE="en").json()
    assert [s["reference"] for s in read["sites"]] == ["JM-2025-001", "JM-2025-002"]
    assert read["sites"][0]["available"] is True
    assert any(c["explanation"] == "needs 5,000 kVA, has 8,000 kVA" for c in read["sites"][0]["criteria"])


def test_the_match_and_proposal_apis_give_the_address_in_the_language_asked(sites, officer_a, api_for, investor):
    battery = sites["battery"]
    battery.address, battery.address_en = "江门市江海区礼乐街道应急路9号", "9 Yingji Road, Lile Subdistrict"
    battery.save()
    english = investor.post(API_MATCH, NEEDS, content_type="application/json", HTTP_ACCEPT_LANGUAGE="en").json()
    assert [r["site"]["address"] for r in english["results"]] == ["9 Yingji Road, Lile Subdistrict", ""]
    chinese = investor.post(API_MATCH, NEEDS, content_type="application/json", HTTP_ACCEPT_LANGUAGE="zh-hans").json()
    assert chinese["results"][0]["site"]["address"] == "江门市江海区礼乐街道应急路9号"

    body = api_for(officer_a).post(API_PROPOSALS, NEEDS, format="json").json()
    read = investor.get(body["api_url"], HTTP_ACCEPT_LANGUAGE="en").json()
    assert [s["address"] for s in read["sites"]] == ["9 Yingji Road, Lile Subdistrict", ""]
    battery.address = "别处"  # a proposal keeps the address it was saved with
    battery.save()
    read = investor.get(body["api_url"], HTTP_ACCEPT_LANGUAGE="zh-hans").json()
    assert read["sites"][0]["address"] == "江门市江海区礼乐街道应急路9号"


def test_the_proposal_api_refuses_bad_needs_and_saves_nothing(city, investor):
    response = investor.post(API_PROPOSALS, {"power": 0}, content_type="application/json")
    assert response.status_code == 400
    assert "power" in response.json()
    assert Proposal.objects.count() == 0


def test_an_unknown_proposal_token_is_404_in_the_api(city, investor):
    assert investor.get(reverse("api:portal-proposal-detail", args=["nope"])).status_code == 404


def test_history_pages_and_the_audit_log_never_show_a_proposals_secret_link(db, officer_a, admin_user, client_for):
    from django.contrib.contenttypes.models import ContentType

    from zhaoshang.core.models import ChangeRecord
    from zhaoshang.core.views import history_url

    proposal = Proposal.objects.create(needs={"industry": "C38"}, results=[])  # untitled: its text was its key
    proposal.title = "储能项目选址方案"
    proposal.save()
    records = ChangeRecord.objects.filter(content_type=ContentType.objects.get_for_model(Proposal))
    assert records.count() == 2
    for record in records:
        assert proposal.token not in f"{record.object_repr}{record.before}{record.after}"
    created = records.get(action="create")
    assert created.after["token"].startswith("•••• ")  # a fingerprint, not the key
    for user in (officer_a, admin_user):
        page = client_for(user).get(history_url(proposal))
        assert page.status_code == 200 and proposal.token not in page.content.decode()
    log = client_for(admin_user).get(reverse("core:audit-log"))
    assert log.status_code == 200 and proposal.token not in log.content.decode()
