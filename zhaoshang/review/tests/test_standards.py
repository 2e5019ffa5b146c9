"""Standards as data: the seed, the load command, the pages, new versions, the frozen rule and who may change."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse

from zhaoshang.review.choices import Indicator
from zhaoshang.review.models import CodeMapping, Criterion, RejectionEntry, SourceDocument, StandardSet, Threshold, Zone
from zhaoshang.review.standards_seed import CORE, HIGH_TECH, OTHER

from .standards_fixtures import make_review_fixture, standards_fixture  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db


def test_the_seed_holds_the_published_values(standards):
    current = standards["current"]
    national = current.thresholds.filter(source__number="国土资发〔2008〕24号")
    assert national.get(indicator=Indicator.BUILDING_COEFFICIENT).value == 30
    assert national.get(indicator=Indicator.ADMIN_SHARE).comparison == "lte"
    assert national.filter(indicator=Indicator.PLOT_RATIO).count() == 30
    assert national.get(indicator=Indicator.PLOT_RATIO, division_2002="25").value == Decimal("0.5")
    assert sum(c.max_points for c in current.criteria.all()) == 100
    assert Zone.objects.get(is_default=True).code == OTHER
    assert set(standards["zones"][CORE].regions.values_list("adcode", flat=True)) == {
        "440703",
        "440704",
        "440705",
        "440784",
    }
    assert all(doc.title_en for doc in SourceDocument.objects.all())
    # no document number but the one DOMAIN.md names and the standard's own
    assert set(SourceDocument.objects.exclude(number="").values_list("number", flat=True)) == {
        "国土资发〔2008〕24号",
        "GB/T 4754-2017",
    }


def test_load_standards_is_idempotent_and_keeps_edits(standards):
    threshold = standards["current"].thresholds.get(indicator=Indicator.TAX_PER_MU, zone__code=HIGH_TECH)
    threshold.value = Decimal("26")
    threshold.save()
    counts = {
        m: m.objects.count()
        for m in (SourceDocument, StandardSet, Zone, Threshold, Criterion, RejectionEntry, CodeMapping)
    }
    call_command("load_standards", stdout=open("/dev/null", "w"))
    assert {m: m.objects.count() for m in counts} == counts
    threshold.refresh_from_db()
    assert threshold.value == Decimal("26")


def test_load_standards_puts_districts_loaded_later_into_their_zone(standards):
    zone = standards["zones"][CORE]
    zone.regions.clear()
    out = io.StringIO()
    call_command("load_standards", stdout=out)
    assert zone.regions.count() == 4
    assert "places 4" in out.getvalue()


def test_the_list_marks_the_set_in_force_today(standards, client_for, officer_a):
    page = client_for(officer_a).get(reverse("review:standard-list")).content.decode()
    current = page.split(f'data-pk="{standards["current"].pk}"', 1)[1].split("</tr>", 1)[0]
    old = page.split(f'data-pk="{standards["old"].pk}"', 1)[1].split("</tr>", 1)[0]
    assert 'data-testid="in-force"' in current and 'data-testid="in-force"' not in old


def test_a_set_page_shows_thresholds_criteria_items_and_uses(standards, client_for, officer_a, make_review):
    review = make_review()
    review.standard_set = standards["current"]
    review.save()
    response = client_for(officer_a).get(reverse("review:standard-detail", args=[standards["current"].pk]))
    page = response.content.decode()
    assert page.count('data-testid="threshold"') == standards["current"].thresholds.count()
    assert page.count('data-testid="criterion"') == 4
    assert "一次性发泡塑料餐具" in page
    assert 'data-testid="uses">1' in page


def test_a_new_version_copies_everything_from_its_date(standards, client_for, centre_officer):
    source = standards["current"]
    client = client_for(centre_officer)
    response = client.post(
        reverse("review:standard-new-version", args=[source.pk]),
        {"effective_from": "2030-01-01", "name": "2030年标准", "name_en": "2030 standards"},
    )
    created = StandardSet.objects.get(effective_from=date(2030, 1, 1))
    assert response.status_code == 302 and response["Location"] == created.get_absolute_url()
    for relation in ("thresholds", "criteria", "rejections"):
        assert getattr(created, relation).count() == getattr(source, relation).count() > 0
    copied = created.thresholds.get(indicator=Indicator.TAX_PER_MU, zone__code=HIGH_TECH)
    assert (
        copied.value == 25
        and copied.source
        == source.thresholds.get(
            pk__in=source.thresholds.values("pk"), indicator=Indicator.TAX_PER_MU, zone__code=HIGH_TECH
        ).source
    )
    assert source.thresholds.count() == created.thresholds.count()  # the old one untouched


def test_a_new_version_refuses_a_date_already_used(standards, client_for, centre_officer):
    before = StandardSet.objects.count()
    response = client_for(centre_officer, language="en").post(
        reverse("review:standard-new-version", args=[standards["current"].pk]),
        {"effective_from": "2011-01-01", "name": "again"},
    )
    assert response.status_code == 200
    assert "already takes effect on 2011-01-01" in response.content.decode()
    assert StandardSet.objects.count() == before


def test_a_set_used_by_a_review_is_frozen(standards, client_for, centre_officer, make_review):
    review = make_review()
    review.standard_set = standards["current"]
    review.save()
    threshold = standards["current"].thresholds.get(indicator=Indicator.TAX_PER_MU, zone__code=HIGH_TECH)
    client = client_for(centre_officer, language="en")
    edit = reverse("review:threshold-edit", args=[threshold.pk])
    response = client.get(edit)
    assert response.status_code == 403
    assert reverse("review:standard-new-version", args=[standards["current"].pk]) in response.content.decode()
    response = client.post(
        edit, {"indicator": "tax_per_mu", "comparison": "gte", "value": "1", "source": threshold.source_id}
    )
    assert response.status_code == 403
    threshold.refresh_from_db()
    assert threshold.value == 25
    for name in ("threshold-add", "criterion-add", "rejection-add", "standard-edit"):
        assert client.get(reverse(f"review:{name}", args=[standards["current"].pk])).status_code == 403
    criterion = standards["current"].criteria.first()
    assert client.post(reverse("review:criterion-delete", args=[criterion.pk])).status_code == 403
    assert Criterion.objects.filter(pk=criterion.pk).exists()


def test_the_centre_changes_a_set_no_review_used(standards, client_for, centre_officer):
    threshold = standards["current"].thresholds.get(indicator=Indicator.TAX_PER_MU, zone__code=HIGH_TECH)
    client = client_for(centre_officer)
    response = client.post(
        reverse("review:threshold-edit", args=[threshold.pk]),
        {
            "indicator": "tax_per_mu",
            "kind": "",
            "zone": threshold.zone_id,
            "division_2002": "",
            "comparison": "gte",
            "value": "26",
            "source": threshold.source_id,
            "note": "",
            "record_version": threshold.version,
        },
    )
    assert response.status_code == 302
    threshold.refresh_from_db()
    assert threshold.value == 26
    response = client.post(
        reverse("review:rejection-add", args=[standards["current"].pk]),
        {"list_kind": "polluting", "title": "测试品", "keywords": "测试品", "source": threshold.source_id},
    )
    assert response.status_code == 302
    assert standards["current"].rejections.filter(title="测试品").exists()


@pytest.mark.parametrize("who", ["officer_b", "district_officer", "reviewer", "leader"])
def test_staff_outside_the_centre_read_but_cannot_change_standards(standards, client_for, who, request):
    user = request.getfixturevalue(who)
    client = client_for(user)
    threshold = standards["current"].thresholds.get(indicator=Indicator.TAX_PER_MU, zone__code=HIGH_TECH)
    assert client.get(reverse("review:standard-detail", args=[standards["current"].pk])).status_code == 200
    assert client.get(reverse("review:threshold-edit", args=[threshold.pk])).status_code == 403
    response = client.post(reverse("review:threshold-edit", args=[threshold.pk]), {"value": "1"})
    assert response.status_code == 403
    assert client.post(reverse("review:threshold-delete", args=[threshold.pk])).status_code == 403
    before = StandardSet.objects.count()
    response = client.post(
        reverse("review:standard-new-version", args=[standards["current"].pk]),
        {"effective_from": "2031-01-01", "name": "x"},
    )
    assert response.status_code == 403 and StandardSet.objects.count() == before
    zone = standards["zones"][CORE]
    assert client.post(reverse("review:zone-edit", args=[zone.pk]), {"name": "x"}).status_code == 403
    threshold.refresh_from_db()
    zone.refresh_from_db()
    assert threshold.value == 25 and zone.name != "x"
    page = client.get(reverse("review:standard-detail", args=[standards["current"].pk])).content.decode()
    assert reverse("review:threshold-edit", args=[threshold.pk]) not in page


def test_the_public_cannot_see_or_change_standards(standards, investor):
    threshold = standards["current"].thresholds.first()
    for url in (
        reverse("review:standard-list"),
        reverse("review:standard-detail", args=[standards["current"].pk]),
        reverse("review:source-list"),
        reverse("review:zone-list"),
        reverse("review:mapping-list"),
        reverse("review:threshold-edit", args=[threshold.pk]),
    ):
        response = investor.get(url)
        assert response.status_code == 302 and "/login" in response["Location"], url
    investor.post(reverse("review:threshold-delete", args=[threshold.pk]))
    assert Threshold.objects.filter(pk=threshold.pk).exists()


def test_documents_zones_and_mapping_pages(standards, client_for, officer_a):
    client = client_for(officer_a)
    document = SourceDocument.objects.get(number="国土资发〔2008〕24号")
    page = client.get(reverse("review:source-detail", args=[document.pk])).content.decode()
    assert "工业项目建设用地控制指标" in page and "国土资发〔2008〕24号" in page
    page = client.get(reverse("review:zone-list")).content.decode()
    assert "蓬江区" in page and "440784" in page
    page = client.get(reverse("review:mapping-list")).content.decode()
    assert 'data-code="292"' in page and 'data-code="43"' not in page
