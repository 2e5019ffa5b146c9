"""Merging two records of one company: the record that stays keeps every reference to the one deleted.

Projects, per-mu figures and results, chain targets, chain node places and tags all move to the survivor; its
blank fields are filled from the duplicate and nothing it holds is overwritten; the merge is in its history. A
move that would break a unique constraint refuses the whole merge and changes nothing; only someone who may change
both records may merge them, on the page and in the service.
"""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import translation

from zhaoshang.chains.choices import TargetState
from zhaoshang.chains.models import Target
from zhaoshang.core.context import acting_as
from zhaoshang.core.models import ChangeRecord
from zhaoshang.core.testing import permu_records
from zhaoshang.industry.choices import ClassificationSource, RevenueBand
from zhaoshang.industry.merge import MergeRefused, duplicate_keys, merge_enterprises, reference_counts
from zhaoshang.industry.models import Enterprise, EnterpriseTag, NodeClassification
from zhaoshang.industry.tests.factories import ChainNodeFactory, EnterpriseFactory, credit_code
from zhaoshang.projects.tests.factories import ProjectFactory
from zhaoshang.review.models import EnterpriseYear, EvaluationResult

DUPLICATES_URL = reverse("industry:enterprise-duplicates")


def merge_url(enterprise, other=None):
    url = reverse("industry:enterprise-merge", args=[enterprise.pk])
    return f"{url}?with={other.pk}" if other is not None else url


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def client_for(client_for):
    return lambda user: client_for(user, language="en")


@pytest.fixture
def pair(outpost_a):
    """One company entered twice: the survivor without code or address, the duplicate with both."""
    survivor = EnterpriseFactory(
        name="江门示例电池有限公司", uscc=None, owner_team=outpost_a, employees=300, main_products=""
    )
    duplicate = EnterpriseFactory(
        name="示例电池股份有限公司",
        uscc=credit_code("77"),
        owner_team=outpost_a,
        address="江门市蓬江区示例路1号",
        employees=250,
        revenue_band=RevenueBand.TO_1B,
        main_products="正极材料",
        tags=[EnterpriseTag.objects.get(slug="listed")],
    )
    survivor.tags.add(EnterpriseTag.objects.get(slug="high-tech"))
    return survivor, duplicate


def target_of(enterprise, node, team):
    return Target.objects.create(
        node=node,
        chain=node.chain,
        enterprise=enterprise,
        state=TargetState.DISMISSED,
        team=team,
        acted_on=date.today(),
    )


def test_a_merge_moves_every_reference_to_the_survivor_and_fills_only_its_blanks(pair, outpost_a, centre_officer):
    survivor, duplicate = pair
    project = ProjectFactory(enterprise=duplicate, owner_team=outpost_a)
    permu = permu_records(duplicate)
    node = ChainNodeFactory()
    target = target_of(duplicate, node, outpost_a)
    staff_row = NodeClassification.objects.create(
        enterprise=duplicate, node=node, chain=node.chain, source=ClassificationSource.STAFF
    )
    rules_row = NodeClassification.objects.create(enterprise=duplicate, node=ChainNodeFactory(), chain=node.chain)
    code = duplicate.uscc

    with acting_as(centre_officer):
        moved = merge_enterprises(survivor, duplicate, centre_officer, note="同一家公司")

    assert not Enterprise.objects.filter(pk=duplicate.pk).exists()
    survivor.refresh_from_db()
    project.refresh_from_db()
    target.refresh_from_db()
    assert project.enterprise == survivor and target.enterprise == survivor
    assert EnterpriseYear.objects.get(pk=permu["review.EnterpriseYear"].pk).enterprise == survivor
    assert EvaluationResult.objects.get(pk=permu["review.EvaluationResult"].pk).enterprise == survivor
    assert NodeClassification.objects.get(pk=staff_row.pk).enterprise == survivor
    assert not NodeClassification.objects.filter(pk=rules_row.pk).exists()  # the rules' rows are written anew
    assert set(survivor.tags.values_list("slug", flat=True)) == {"listed", "high-tech"}
    # blanks filled, the survivor's own values kept, the code moved to the survivor that had none
    assert (survivor.name, survivor.employees, survivor.uscc) == ("江门示例电池有限公司", 300, code)
    assert (survivor.address, survivor.revenue_band, survivor.main_products) == (
        "江门市蓬江区示例路1号",
        RevenueBand.TO_1B,
        "正极材料",
    )
    assert moved and sum(moved.values()) >= 5
    history = ChangeRecord.objects.filter(object_id=str(survivor.pk), content_type__model="enterprise")
    merge_record = history.filter(after__merged_id=duplicate.pk).get()
    assert (merge_record.after["merged_name"], merge_record.after["merged_uscc"]) == ("示例电池股份有限公司", code)
    assert ChangeRecord.objects.filter(
        content_type__model="project", object_id=str(project.pk), after__enterprise_id=survivor.pk
    ).exists()
    assert ChangeRecord.objects.filter(
        content_type__model="enterprise", object_id=str(duplicate.pk), action="delete"
    ).exists()


def test_a_survivor_with_a_code_keeps_it(pair, centre_officer):
    survivor, duplicate = pair
    survivor.uscc = credit_code("76")
    survivor.save()

    with acting_as(centre_officer):
        merge_enterprises(survivor, duplicate, centre_officer)

    survivor.refresh_from_db()
    assert survivor.uscc == credit_code("76")


def test_a_staff_decision_of_the_survivor_wins_over_the_duplicates_at_the_same_node(pair, centre_officer):
    survivor, duplicate = pair
    node = ChainNodeFactory()
    kept = NodeClassification.objects.create(
        enterprise=survivor, node=node, chain=node.chain, source=ClassificationSource.STAFF, excluded=True
    )
    NodeClassification.objects.create(
        enterprise=duplicate, node=node, chain=node.chain, source=ClassificationSource.STAFF
    )

    with acting_as(centre_officer):
        merge_enterprises(survivor, duplicate, centre_officer)

    assert list(NodeClassification.objects.filter(node=node)) == [kept]
    assert NodeClassification.objects.get(pk=kept.pk).excluded


def test_per_mu_figures_of_the_same_year_refuse_the_merge_and_change_nothing(pair, outpost_a, centre_officer):
    survivor, duplicate = pair
    figures = permu_records(duplicate)["review.EnterpriseYear"]
    EnterpriseYear.objects.create(
        enterprise=survivor, year=figures.year, size_class=figures.size_class, land_mu=figures.land_mu
    )
    project = ProjectFactory(enterprise=duplicate, owner_team=outpost_a)

    with pytest.raises(MergeRefused) as refused, acting_as(centre_officer):
        merge_enterprises(survivor, duplicate, centre_officer)

    message = str(refused.value)
    assert str(EnterpriseYear._meta.verbose_name) in message and str(figures.year) in message
    assert Enterprise.objects.filter(pk=duplicate.pk).exists()
    project.refresh_from_db()
    figures.refresh_from_db()
    assert project.enterprise == duplicate and figures.enterprise == duplicate
    assert set(Enterprise.objects.get(pk=survivor.pk).tags.values_list("slug", flat=True)) == {"high-tech"}


def test_targets_of_the_same_node_refuse_the_merge_naming_the_node(pair, outpost_a, centre_officer):
    survivor, duplicate = pair
    node = ChainNodeFactory(name="正极材料", name_en="")
    target_of(survivor, node, outpost_a)
    target_of(duplicate, node, outpost_a)

    with pytest.raises(MergeRefused) as refused, acting_as(centre_officer):
        merge_enterprises(survivor, duplicate, centre_officer)

    assert "正极材料" in str(refused.value)
    assert Target.objects.filter(enterprise=duplicate).count() == 1


def test_an_officer_cannot_merge_an_enterprise_another_team_keeps(pair, outpost_b, officer_a, client_for):
    survivor, duplicate = pair
    duplicate.owner_team = outpost_b
    duplicate.save()

    with pytest.raises(PermissionDenied), acting_as(officer_a):
        merge_enterprises(survivor, duplicate, officer_a)

    client = client_for(officer_a)
    assert client.get(merge_url(survivor, duplicate)).status_code == 404
    assert client.post(merge_url(survivor, duplicate), {"survivor": survivor.pk, "confirm": "1"}).status_code == 404
    assert Enterprise.objects.filter(pk=duplicate.pk).exists()


def test_an_officer_cannot_merge_a_record_of_the_shared_register(pair, officer_a, client_for):
    survivor, duplicate = pair
    duplicate.owner_team = None
    duplicate.save()

    client = client_for(officer_a)
    assert client.get(merge_url(survivor, duplicate)).status_code == 403
    assert client.post(merge_url(survivor, duplicate), {"survivor": survivor.pk, "confirm": "1"}).status_code == 403
    with pytest.raises(PermissionDenied), acting_as(officer_a):
        merge_enterprises(survivor, duplicate, officer_a)
    assert Enterprise.objects.filter(pk=duplicate.pk).exists()


def test_the_duplicates_page_groups_records_of_one_name_key_the_user_may_change(pair, outpost_b, officer_a, client_for):
    survivor, duplicate = pair
    EnterpriseFactory(name="示例电池（深圳）有限公司", owner_team=outpost_b)  # same key, another team's
    EnterpriseFactory(name="另一家材料有限公司", owner_team=survivor.owner_team)

    response = client_for(officer_a).get(DUPLICATES_URL)

    assert response.status_code == 200
    groups = response.context["groups"]
    assert [[e.pk for e in g["enterprises"]] for g in groups] == [[survivor.pk, duplicate.pk]]
    assert "示例电池（深圳）" not in response.content.decode()
    assert merge_url(survivor, duplicate).encode() in response.content.replace(b"&amp;", b"&")
    assert [row["count"] for row in duplicate_keys(officer_a)] == [2]


def test_the_merge_page_compares_then_confirms_then_merges(pair, outpost_a, officer_a, client_for):
    survivor, duplicate = pair
    ProjectFactory(enterprise=duplicate, owner_team=outpost_a)
    client = client_for(officer_a)

    page = client.get(merge_url(survivor, duplicate))
    assert page.status_code == 200
    assert ("projects", 1) in [(label, count) for label, count in page.context["columns"][1]["references"]]
    assert "江门市蓬江区示例路1号" in page.content.decode()

    confirming = client.post(merge_url(survivor, duplicate), {"survivor": duplicate.pk, "with": duplicate.pk})
    assert confirming.status_code == 200 and b'data-testid="merge-confirmation"' in confirming.content
    assert Enterprise.objects.filter(pk=survivor.pk).exists()  # nothing merged before the confirmation

    done = client.post(merge_url(survivor), {"survivor": duplicate.pk, "with": duplicate.pk, "confirm": "1"})

    assert done.status_code == 302 and done.url == duplicate.get_absolute_url()
    assert not Enterprise.objects.filter(pk=survivor.pk).exists()
    assert reference_counts(Enterprise.objects.get(pk=duplicate.pk))[0] == ("projects", 1)


def test_a_refused_merge_shows_why_on_the_page(pair, officer_a, client_for):
    survivor, duplicate = pair
    node = ChainNodeFactory(name="隔膜", name_en="")
    target_of(survivor, node, survivor.owner_team)
    target_of(duplicate, node, survivor.owner_team)

    page = client_for(officer_a).get(merge_url(survivor, duplicate))

    assert b'data-testid="merge-problems"' in page.content and "隔膜" in page.content.decode()
    assert b'data-testid="merge-form"' not in page.content


def test_the_enterprise_pages_link_to_possible_duplicates(pair, officer_a, client_for):
    survivor, _duplicate = pair
    client = client_for(officer_a)

    assert DUPLICATES_URL.encode() in client.get(reverse("industry:enterprise-list")).content
    assert f"{DUPLICATES_URL}?of={survivor.pk}".encode() in client.get(survivor.get_absolute_url()).content
    response = client.get(DUPLICATES_URL, {"of": survivor.pk})
    assert [len(g["enterprises"]) for g in response.context["groups"]] == [2]


def test_every_model_that_refers_to_enterprises_is_moved_by_a_merge():
    from django.apps import apps

    from zhaoshang.industry.merge import references

    referring = {
        (model._meta.label, field.name)
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if field.concrete and field.is_relation and field.related_model is Enterprise
        if not model._meta.auto_created and model is not Enterprise
    }

    assert {"review.EvaluationResult", "chains.ChainActivity", "stats.FDIRecord"} <= {m for m, _f in referring}
    assert {(r.model._meta.label, r.field.name) for r in references()} == referring
