"""The figures page and API, the drill-down page, the consistency checks (page and command), scoped like the UI."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse

from zhaoshang.geo.models import Region
from zhaoshang.industry.models import EnterpriseTag
from zhaoshang.industry.tests.factories import ChainFactory, EnterpriseFactory
from zhaoshang.projects.choices import Stage
from zhaoshang.projects.tests.factories import ProjectFactory
from zhaoshang.stats.models import FDIRecord

PERIOD = "2025-ytd-11"


@pytest.fixture
def signed(city, centre):
    pengjiang = Region.objects.get(adcode="440703")
    xinhui = Region.objects.get(adcode="440705")
    return {
        "pengjiang": ProjectFactory(
            name="蓬江项目",
            signed_on=date(2025, 3, 1),
            planned_investment=20_000,
            district=pengjiang,
            owner_team=centre,
        ),
        "xinhui": ProjectFactory(
            name="新会项目", signed_on=date(2025, 4, 1), planned_investment=30_000, district=xinhui, owner_team=centre
        ),
        "last_year": ProjectFactory(
            name="去年项目", signed_on=date(2024, 4, 1), planned_investment=25_000, district=xinhui, owner_team=centre
        ),
    }


def test_the_drill_down_page_lists_the_projects_behind_a_figure_and_their_sum(signed, leader, client_for):
    response = client_for(leader).get(reverse("stats:records"), {"metric": "large_signed_investment", "period": PERIOD})
    page = response.content.decode()
    assert response.status_code == 200
    assert "蓬江项目" in page and "新会项目" in page and "去年项目" not in page
    assert response.context["raw_total"] == Decimal(50_000)


def test_a_district_bureau_drills_down_to_its_district_only(signed, district_officer, client_for):
    response = client_for(district_officer).get(
        reverse("stats:records"), {"metric": "large_signed_investment", "period": PERIOD}
    )
    page = response.content.decode()
    assert "蓬江项目" in page and "新会项目" not in page
    assert response.context["raw_total"] == Decimal(20_000)
    other_district = client_for(district_officer).get(
        reverse("stats:records"),
        {"metric": "large_signed", "period": PERIOD, "group": "district", "key": signed["xinhui"].district_id},
    )
    assert "新会项目" not in other_district.content.decode()


def test_the_figures_page_ranks_districts_and_links_each_figure(signed, leader, client_for):
    response = client_for(leader).get(
        reverse("stats:figures"), {"metric": "large_signed_investment", "period": PERIOD, "group": "district"}
    )
    assert response.status_code == 200
    groups = response.context["figure"].groups
    assert [(g.label, g.rank) for g in groups] == [("新会区", 1), ("蓬江区", 2)]
    assert groups[0].url in response.content.decode().replace("&amp;", "&")


def test_the_figures_page_refuses_a_bad_period_with_a_message(signed, leader, client_for):
    response = client_for(leader).get(reverse("stats:figures"), {"metric": "large_signed", "period": "2025-13"})
    assert response.status_code == 200 and response.context["form"].errors["period"]


def test_the_figures_api_answers_for_the_callers_scope(signed, leader, district_officer, api_for):
    params = {"metric": ["large_signed", "large_signed_investment"], "period": PERIOD}
    city_wide = api_for(leader).get("/api/stats/figures/", params)
    assert city_wide.status_code == 200
    large, money = city_wide.json()
    assert (large["value"], large["previous"], large["yoy"]) == (2, 1, 100.0)
    assert money["date_field"] == "signed_on" and money["url"].startswith("/work/stats/records/")
    district = api_for(district_officer).get("/api/stats/figures/", {**params, "group": "district"}).json()
    assert district[0]["value"] == 1 and [g["label"] for g in district[0]["groups"]] == ["蓬江区"]


def test_the_figures_api_refuses_a_bad_request_and_anonymous_callers(signed, leader, api_for, investor):
    bad = api_for(leader).get("/api/stats/figures/", {"metric": "nonsense", "period": PERIOD})
    assert bad.status_code == 400 and "metric" in bad.json()
    bad_group = api_for(leader).get("/api/stats/figures/", {"metric": "fdi_actual", "period": PERIOD, "group": "chain"})
    assert bad_group.status_code == 400
    assert investor.get("/api/stats/figures/", {"metric": "large_signed", "period": PERIOD}).status_code in (401, 403)
    assert investor.get(reverse("stats:figures")).status_code == 302


def test_the_headline_api_writes_the_paragraph(signed, leader, api_for):
    text = api_for(leader).get("/api/stats/headline/", {"period": PERIOD}).json()
    assert text["zh"].startswith("1—11月，全市引进投资亿元以上项目2个，同比增长100.0%；计划投资额5.0亿元，增长100.0%。")


@pytest.fixture
def flawed(city, centre):
    chain = ChainFactory()
    for amount in (10_000, 12_000, 15_000, 20_000, 30_000):
        ProjectFactory(chain=chain, planned_investment=amount, owner_team=centre)
    wrong_unit = ProjectFactory(name="单位错误项目", chain=chain, planned_investment=150_000_000, owner_team=centre)
    unsigned = ProjectFactory(
        name="缺签约日期项目",
        stage=Stage.CONSTRUCTION,
        lead_on=date(2025, 1, 1),
        construction_on=date(2025, 5, 1),
        owner_team=centre,
    )
    disordered = ProjectFactory(
        name="日期颠倒项目",
        lead_on=date(2025, 1, 1),
        signed_on=date(2025, 6, 1),
        construction_on=date(2025, 5, 1),
        owner_team=centre,
    )
    loose = FDIRecord.objects.create(
        team=centre, month=date(2025, 1, 1), amount_usd=Decimal(1), exchange_rate=Decimal(7)
    )
    tagged = EnterpriseFactory(name="只有标签的外资企业", tags=[EnterpriseTag.objects.get(slug="foreign")])
    ProjectFactory(enterprise=tagged, planned_investment=1000, owner_team=centre)
    EnterpriseFactory(name="尚无项目的外资企业", tags=[EnterpriseTag.objects.get(slug="foreign")])  # counts nowhere
    paying = EnterpriseFactory(name="有外资的企业", tags=[EnterpriseTag.objects.get(slug="foreign")])
    ProjectFactory(enterprise=paying, planned_investment=1000, foreign_investment=500, owner_team=centre)
    return {"wrong_unit": wrong_unit, "unsigned": unsigned, "disordered": disordered, "loose": loose, "tagged": tagged}


def test_the_checks_page_lists_each_problem_with_a_link_to_its_record(flawed, centre_officer, client_for):
    response = client_for(centre_officer).get(reverse("stats:checks"))
    assert response.status_code == 200
    found = {check.key: check for check in response.context["checks"]}
    assert [f.label for f in found["wrong_unit"].findings] == ["单位错误项目"]
    assert found["wrong_unit"].findings[0].url == flawed["wrong_unit"].get_absolute_url()
    assert [f.label for f in found["missing_signing_date"].findings] == ["缺签约日期项目"]
    assert [f.label for f in found["dates_out_of_order"].findings] == ["日期颠倒项目"]
    assert [f.url for f in found["fdi_without_enterprise"].findings] == [flawed["loose"].get_absolute_url()]
    assert [f.label for f in found["foreign_without_capital"].findings] == ["只有标签的外资企业"]


def test_the_checks_command_reports_the_same_findings(flawed, capsys):
    with pytest.raises(Exception) as failed:
        call_command("check_statistics", "--fail")
    output = capsys.readouterr().out
    assert "单位错误项目" in output and "日期颠倒项目" in output and "只有标签的外资企业" in output
    assert "need attention" in str(failed.value)


def test_unknown_stage_dates_are_listed_but_do_not_fail_the_command(centre, capsys):
    """A historical ledger leaves lead dates unknown: the check lists them, ``--fail`` does not fail on them."""
    ProjectFactory(name="台账项目", owner_team=centre, lead_on=None)
    call_command("check_statistics", "--fail")
    output = capsys.readouterr().out
    assert "台账项目" in output


def test_an_outpost_sees_no_checks_of_other_teams_projects(flawed, officer_a, client_for):
    response = client_for(officer_a).get(reverse("stats:checks"))
    found = {check.key: check.count for check in response.context["checks"]}
    assert found["wrong_unit"] == 0 and found["missing_signing_date"] == 0 and found["fdi_without_enterprise"] == 0


def test_the_home_page_shows_this_years_large_projects_linked_to_them(city, centre, leader, client_for):
    from django.utils import timezone

    today = timezone.localdate()
    ProjectFactory(name="今年签约项目", signed_on=today, planned_investment=12_000, lead_on=today, owner_team=centre)
    response = client_for(leader).get(reverse("core:home"))
    panel = next(p for p in response.context["panels"] if p["url"].startswith(reverse("stats:records")))
    assert panel["value"] == 1
    assert "今年签约项目" in client_for(leader).get(panel["url"]).content.decode()


def test_every_metric_drills_down_to_a_page(signed, leader, client_for):
    from zhaoshang.stats.metrics import METRICS

    for key in METRICS:
        response = client_for(leader).get(reverse("stats:records"), {"metric": key, "period": PERIOD})
        assert response.status_code == 200, key
    bad = client_for(leader).get(reverse("stats:records"), {"metric": "signed", "period": "2025-ytd-13"})
    assert bad.status_code == 404
    no_key = client_for(leader).get(
        reverse("stats:records"), {"metric": "signed", "period": PERIOD, "group": "district", "key": ""}
    )
    assert no_key.status_code == 200
