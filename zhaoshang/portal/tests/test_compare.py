"""Comparing two to four sites side by side: the page, its PDF and saving it as a proposal.

The public compares public sites only (an unpublished, stale or taken site is refused with a message, never
revealed); one site or five are refused with a message naming the rule; the best value of a row is marked with a
word, not only a colour; the English page reads English; the PDF carries the names and the values of the page;
saving keeps exactly the sites compared, in their order, and its proposal's PDF works.
"""

import io
import re
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation
from pypdf import PdfReader

from zhaoshang.core.testing import pdf_fonts
from zhaoshang.geo.choices import Availability, CarrierKind
from zhaoshang.geo.tests.factories import CarrierFactory, ParkFactory, stale_date
from zhaoshang.portal.models import Policy, Proposal
from zhaoshang.portal.services import compare as service
from zhaoshang.portal.services.compare import Cell, Row, compare_url, register_rows

COMPARE = reverse("portal:compare")
PDF = reverse("portal:compare-pdf")
SAVE = reverse("portal:compare-save")
CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")


def zh(text: str) -> str:
    """A message as the Chinese page shows it (the catalog's translation once compiled, the msgid before)."""
    with translation.override("zh-hans"):
        return translation.gettext(text)


@pytest.fixture
def park(city):
    return ParkFactory(name="江海新能源产业园", name_en="Jianghai New Energy Park", codes=["38"])


@pytest.fixture
def sites(park):
    return {
        "cheap": CarrierFactory(
            reference="CMP-001",
            name="江海区电池地块",
            name_en="Jianghai battery parcel",
            park=park,
            area_mu=Decimal("60"),
            land_price=Decimal("45"),
            power_kva=8000,
            port_km=Decimal("12.5"),
            codes=["38"],
        ),
        "dear": CarrierFactory(
            reference="CMP-002",
            name="蓬江区装备地块",
            name_en="Pengjiang equipment parcel",
            park=park,
            area_mu=Decimal("40"),
            land_price=Decimal("80"),
            power_kva=3000,
            port_km=None,
        ),
        "factory": CarrierFactory(
            reference="CMP-003",
            kind=CarrierKind.FACTORY,
            name="新会区标准厂房",
            name_en="Xinhui standard factory",
            park=park,
            area_mu=None,
            land_price=None,
            land_use="",
            floor_area_m2=Decimal("6000"),
            rent=Decimal("18"),
            power_kva=1000,
        ),
        "other": CarrierFactory(reference="CMP-004", name="第四地块", name_en="Fourth parcel", park=park),
        "fifth": CarrierFactory(reference="CMP-005", name="第五地块", name_en="Fifth parcel", park=park),
        "unpublished": CarrierFactory(reference="CMP-DRAFT", name="未发布地块", published=False, park=park),
        "stale": CarrierFactory(reference="CMP-STALE", name="过期地块", last_verified=stale_date(), park=park),
        "taken": CarrierFactory(reference="CMP-TAKEN", name="已出让地块", availability=Availability.TAKEN, park=park),
    }


def url(*sites, name="portal:compare"):
    return compare_url([site.pk for site in sites], name)


def page_of(response) -> str:
    return response.content.decode()


def row_of(page: str, key: str) -> str:
    match = re.search(rf'<tr data-row="{key}">(.*?)</tr>', page, re.S)
    assert match, f"no row {key}"
    return match.group(1)


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


# --- the page ----------------------------------------------------------------------------------------------


def test_the_page_shows_one_column_per_site_in_the_order_asked_with_a_link_and_a_remove_button(investor, sites):
    response = investor.get(url(sites["dear"], sites["cheap"], sites["factory"]))
    assert response.status_code == 200
    page = page_of(response)
    columns = re.findall(r'data-testid="compare-column" data-compare-site="(\d+)"', page)
    assert columns == [str(sites["dear"].pk), str(sites["cheap"].pk), str(sites["factory"].pk)]
    assert sites["cheap"].get_absolute_url() in page
    # the remove button of the first column leads to the comparison of the other two
    assert url(sites["cheap"], sites["factory"]).replace("&", "&amp;") in page
    assert page.count('data-testid="compare-remove"') == 3


def test_the_rows_format_values_mark_the_best_with_a_word_and_show_a_dash_when_unknown(investor, sites):
    policy = Policy.objects.create(
        title="新能源电池产业扶持办法",
        title_en="Battery industry support",
        summary="补贴",
        effective_from=date(2025, 1, 1),
    )
    page = page_of(investor.get(url(sites["cheap"], sites["dear"], sites["factory"])))
    price = row_of(page, "land_price")
    cells = re.findall(r"<td(.*?)</td>", price, re.S)
    assert len(cells) == 3
    assert "45 万元/亩" in cells[0]
    assert 'data-best="true"' in cells[0] and zh("lowest") in cells[0]  # the lowest land price, said in words
    assert 'data-best="true"' not in cells[1]
    assert "—" in cells[2]  # a factory records no land price
    power = re.findall(r"<td(.*?)</td>", row_of(page, "power_kva"), re.S)
    assert 'data-best="true"' in power[0] and zh("highest") in power[0] and zh("%(n)s kVA") % {"n": "8,000"} in power[0]
    # one site alone knows its distance to the port: nothing to be best against
    port = row_of(page, "port_km")
    assert "12.5" in port and 'data-best="true"' not in port
    # the park's leading industries and the policies in force are rows too
    assert 'data-row="park_industries"' in page and "38" in row_of(page, "park_industries")
    policies = re.findall(r"<td(.*?)</td>", row_of(page, "policies"), re.S)
    assert all(policy.get_absolute_url() in cell for cell in policies)


def test_rows_that_no_site_records_are_left_out(investor, sites):
    page = page_of(investor.get(url(sites["cheap"], sites["dear"])))
    assert 'data-row="clear_height_m"' not in page  # neither parcel has a clear height
    assert 'data-row="land_price"' in page


def test_another_module_can_append_rows(investor, sites):
    def extra(compared):
        return [
            Row("extra", "额外", "附加", [Cell(f"值{site.carrier.reference}") for site in compared]),
            Row("photo", "照片", "附加", [Cell("封面", image=f"/media/{site.pk}.jpg") for site in compared]),
        ]

    register_rows(extra)
    try:
        page = page_of(investor.get(url(sites["cheap"], sites["dear"])))
    finally:
        service.ROW_BUILDERS.remove(extra)
    assert "值CMP-001" in row_of(page, "extra") and "值CMP-002" in row_of(page, "extra")
    assert f'<img src="/media/{sites["cheap"].pk}.jpg" alt="封面"' in row_of(page, "photo")


@pytest.mark.parametrize("hidden", ["unpublished", "stale", "taken"])
def test_a_site_the_public_may_not_see_is_refused_with_a_message_and_not_revealed(investor, sites, hidden):
    response = investor.get(url(sites["cheap"], sites[hidden]))
    assert response.status_code == 404
    page = page_of(response)
    refused = zh("Site number %(id)s is not on offer to the public (or does not exist); it cannot be compared.")
    assert 'data-testid="compare-error"' in page and refused % {"id": sites[hidden].pk} in page
    assert sites[hidden].name not in page and sites[hidden].reference not in page
    assert 'data-testid="compare-table"' not in page
    # an unknown number reads the same
    unknown = page_of(investor.get(f"{COMPARE}?sites={sites['cheap'].pk}&sites=99999999"))
    assert refused % {"id": 99999999} in unknown


def test_staff_compare_the_unpublished_sites_they_read(client, officer_a, sites):
    client.force_login(officer_a)
    response = client.get(url(sites["cheap"], sites["unpublished"]))
    assert response.status_code == 200
    assert sites["unpublished"].name in page_of(response)


def test_one_site_is_refused_with_a_message_and_offers_sites_of_the_same_park(investor, sites):
    response = investor.get(url(sites["cheap"]))
    assert response.status_code == 200
    page = page_of(response)
    few = zh("Choose at least %(min)s sites to compare (at most %(max)s).") % {"min": 2, "max": 4}
    assert 'data-testid="compare-error"' in page and few in page
    assert 'data-testid="compare-table"' not in page
    suggestions = page[page.index('data-testid="compare-suggestions"') :]
    assert sites["dear"].name in suggestions
    assert url(sites["cheap"], sites["dear"]).replace("&", "&amp;") in suggestions
    assert sites["unpublished"].name not in page  # suggestions are what the visitor may see


def test_five_sites_are_refused_with_a_message(investor, sites):
    five = [sites[key] for key in ("cheap", "dear", "factory", "other", "fifth")]
    response = investor.get(url(*five))
    assert response.status_code == 400
    page = page_of(response)
    many = zh("At most %(max)s sites can be compared at a time; %(count)s were chosen. Remove some first.")
    assert many % {"max": 4, "count": 5} in page
    assert 'data-testid="compare-table"' not in page
    # the first four can be compared from there
    assert url(*five[:4]).replace("&", "&amp;") in page


def test_no_site_and_a_malformed_number_answer_with_a_message(investor, sites):
    assert investor.get(COMPARE).status_code == 200
    response = investor.get(f"{COMPARE}?sites=abc&sites={sites['cheap'].pk}")
    assert response.status_code == 400
    assert "abc" in page_of(response)


def test_a_title_too_long_saves_nothing_and_says_why(investor, sites):
    response = investor.post(SAVE, {"sites": [sites["cheap"].pk, sites["dear"].pk], "title": "长" * 151})
    assert response.status_code == 400
    assert 'data-field="title"' in page_of(response)
    assert not Proposal.objects.exists()


def test_the_english_page_reads_english(investor, sites):
    response = investor.get(url(sites["cheap"], sites["factory"]), HTTP_ACCEPT_LANGUAGE="en")
    page = page_of(response)
    assert '<html lang="en"' in page
    assert "Jianghai battery parcel" in page and "Xinhui standard factory" in page
    assert "Land price" in page and "450,000 yuan per mu" in page and "Land and planning" in page
    from tests.test_english_pages import chinese_labels

    assert chinese_labels(page) == []
    # no Chinese text anywhere in the table: names, park, district, industries and units all have English forms
    table = page[page.index('data-testid="compare-table"') : page.index("</table>")]
    text = re.sub(r"<[^>]+>", " ", table)
    assert not CJK.search(text), CJK.findall(text)[:20]


def test_the_site_group_has_an_address_row_in_the_page_language(investor, sites):
    cheap, dear = sites["cheap"], sites["dear"]
    cheap.address, cheap.address_en = "江门市江海区礼乐街道应急路9号", "9 Yingji Road, Lile Subdistrict"
    cheap.save()
    dear.address = "江门市蓬江区杜阮镇食品路38号"  # no English form
    dear.save()
    page = page_of(investor.get(url(cheap, dear, sites["factory"])))
    cells = re.findall(r"<td(.*?)</td>", row_of(page, "address"), re.S)
    assert "江门市江海区礼乐街道应急路9号" in cells[0] and "Yingji" not in cells[0]
    assert "江门市蓬江区杜阮镇食品路38号" in cells[1]
    assert "—" in cells[2]  # the factory records none
    english = page_of(investor.get(url(cheap, dear), HTTP_ACCEPT_LANGUAGE="en"))
    cells = re.findall(r"<td(.*?)</td>", row_of(english, "address"), re.S)
    assert "9 Yingji Road, Lile Subdistrict" in cells[0] and "江门市蓬江区杜阮镇食品路38号" in cells[1]
    assert "9 Yingji Road, Lile Subdistrict" in pdf_text(
        investor.get(url(cheap, dear, name="portal:compare-pdf"), HTTP_ACCEPT_LANGUAGE="en").content
    )
    # no site records an address: no row
    assert 'data-row="address"' not in page_of(investor.get(url(sites["factory"], sites["other"])))


def test_a_proposal_saved_from_a_comparison_keeps_the_addresses_of_its_sites(investor, sites):
    cheap = sites["cheap"]
    cheap.address, cheap.address_en = "江门市江海区礼乐街道应急路9号", "9 Yingji Road, Lile Subdistrict"
    cheap.save()
    proposal = service.save_as_proposal([cheap.pk, sites["dear"].pk], language="zh-hans")
    page = page_of(investor.get(proposal.get_absolute_url()))
    assert re.findall(r'data-testid="site-address">([^<]*)<', page) == ["江门市江海区礼乐街道应急路9号"]
    english = page_of(investor.get(proposal.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en"))
    assert re.findall(r'data-testid="site-address">([^<]*)<', english) == ["9 Yingji Road, Lile Subdistrict"]
    pdf = investor.get(reverse("portal:proposal-pdf", args=[proposal.token]))
    assert "江门市江海区礼乐街道应急路9号" in pdf_text(pdf.content)


# --- the PDF -----------------------------------------------------------------------------------------------


def test_the_pdf_carries_the_names_and_values_of_the_page_with_the_font_embedded(investor, sites):
    response = investor.get(url(sites["cheap"], sites["dear"], name="portal:compare-pdf"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert "江海区电池地块" in text and "蓬江区装备地块" in text
    assert "★ 45 万元/亩" in text and "80 万元/亩" in text
    assert all(pdf_fonts(response.content).values())


def test_the_english_pdf_reads_english(investor, sites):
    response = investor.get(url(sites["cheap"], sites["factory"], name="portal:compare-pdf"), HTTP_ACCEPT_LANGUAGE="en")
    text = pdf_text(response.content)
    assert "Comparison of sites" in text and "Jianghai battery parcel" in text and "Land price" in text


def test_the_pdf_of_a_hidden_site_or_a_single_site_is_refused(investor, sites):
    assert investor.get(url(sites["cheap"], sites["unpublished"], name="portal:compare-pdf")).status_code == 404
    assert investor.get(url(sites["cheap"], name="portal:compare-pdf")).status_code == 400


# --- saving as a proposal ----------------------------------------------------------------------------------


def test_saving_creates_a_proposal_with_exactly_those_sites_in_order_and_its_pdf_works(investor, sites):
    chosen = [sites["factory"], sites["cheap"], sites["dear"]]
    response = investor.post(SAVE, {"sites": [site.pk for site in chosen], "title": "三处对比"})
    assert response.status_code == 302
    proposal = Proposal.objects.get()
    assert response["Location"] == proposal.get_absolute_url()
    assert [item["carrier"] for item in proposal.results] == [site.pk for site in chosen]
    assert proposal.title == "三处对比"
    assert proposal.needs == {"source": "comparison"}
    page = page_of(investor.get(proposal.get_absolute_url()))
    assert 'data-testid="from-comparison"' in page
    pdf = investor.get(reverse("portal:proposal-pdf", args=[proposal.token]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert "新会区标准厂房" in pdf_text(pdf.content)


def test_saving_refuses_hidden_sites_even_for_staff_and_too_few(client, investor, officer_a, sites):
    response = investor.post(SAVE, {"sites": [sites["cheap"].pk, sites["unpublished"].pk]})
    assert response.status_code == 404
    client.force_login(officer_a)
    response = client.post(SAVE, {"sites": [sites["cheap"].pk, sites["unpublished"].pk]})
    assert response.status_code == 404  # a proposal is a public page
    assert investor.post(SAVE, {"sites": [sites["cheap"].pk]}).status_code == 400
    assert not Proposal.objects.exists()


def test_saving_is_rate_limited_like_saving_a_proposal(investor, sites, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "matching": "2/min"},
    }
    data = {"sites": [sites["cheap"].pk, sites["dear"].pk]}
    assert investor.post(SAVE, data).status_code == 302
    assert investor.post(SAVE, data).status_code == 302
    response = investor.post(SAVE, data)
    assert response.status_code == 429
    assert zh("Too many proposals were saved from this address. Please wait a few minutes and try again.") in page_of(
        response
    )
    assert Proposal.objects.count() == 2


# --- choosing sites ----------------------------------------------------------------------------------------


def test_the_site_page_links_to_its_comparison_without_javascript(investor, sites):
    page = page_of(investor.get(sites["cheap"].get_absolute_url()))
    assert f'href="{COMPARE}?sites={sites["cheap"].pk}"' in page
    assert f'data-compare-toggle="{sites["cheap"].pk}"' in page
    assert "portal/compare.js" in page and "data-compare-tray" in page


def test_the_proposal_page_compares_its_first_sites(investor, sites):
    proposal = service.save_as_proposal([sites[key].pk for key in ("cheap", "dear", "factory")], language="zh-hans")
    page = page_of(investor.get(proposal.get_absolute_url()))
    link = re.search(r'href="([^"]+)" data-testid="proposal-compare"', page).group(1).replace("&amp;", "&")
    assert link == url(sites["cheap"], sites["dear"], sites["factory"])


def test_ties_for_the_best_are_all_marked_and_a_row_of_equal_values_marks_none():
    cells = [Cell(), Cell(), Cell()]
    service.mark_best(cells, [Decimal("40"), Decimal("40"), Decimal("60")], service.LOWER)
    assert [cell.best for cell in cells] == [True, True, False]
    cells = [Cell(), Cell()]
    service.mark_best(cells, [Decimal("40"), Decimal("40")], service.LOWER)
    assert [cell.best for cell in cells] == [False, False]
    cells = [Cell(), Cell(), Cell()]
    service.mark_best(cells, [None, Decimal("5"), Decimal("9")], service.HIGHER)
    assert [cell.best for cell in cells] == [False, False, True]


# --- photos and location facts -------------------------------------------------------------------------------


def test_cover_photos_and_location_facts_are_compared_on_the_page_and_in_the_pdf(
    investor, sites, park, settings, tmp_path
):
    from zhaoshang.core.testing import listing_photo, pdf_image_widths
    from zhaoshang.geo.choices import FactKind
    from zhaoshang.geo.models import LocationFact

    settings.PRIVATE_MEDIA_ROOT = tmp_path
    photo = listing_photo(sites["cheap"], "电池地块全景", "The battery parcel from above")
    source = {"source": "演示来源", "source_en": "Demo source", "as_of": date(2026, 6, 30)}
    LocationFact.objects.create(park=park, kind=FactKind.TO_PORT, value=Decimal("0.5"), **source)
    LocationFact.objects.create(
        region=sites["factory"].region, kind=FactKind.AVERAGE_WAGE, value=Decimal(7600), **source
    )
    # A second park, nearer the port by its own wharf's figure: the lower time is the best.
    other_park = ParkFactory(name="滨江物流园", name_en="Binjiang Logistics Park")
    far = CarrierFactory(reference="CMP-FAR", name="滨江地块", name_en="Binjiang parcel", park=other_park)
    LocationFact.objects.create(park=other_park, kind=FactKind.TO_PORT, value=Decimal("2"), **source)

    page = page_of(investor.get(url(sites["cheap"], far)))
    photo_row = row_of(page, "photo")
    assert photo.thumbnail_url in photo_row and "电池地块全景" in photo_row
    port = row_of(page, f"fact_{FactKind.TO_PORT}")
    assert "0.5" in port and "2" in port
    assert port.count("★") == 1 and port.index("★") < port.index("2 ")
    assert "演示来源" in row_of(page, "fact_sources")

    pdf = investor.get(url(sites["cheap"], far, name="portal:compare-pdf"))
    assert pdf.status_code == 200
    widths = pdf_image_widths(pdf.content)
    assert 480 in widths  # the cover's thumbnail, beside the QR code
    assert "演示来源" in pdf_text(pdf.content)
