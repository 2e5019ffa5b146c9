"""Historical ledgers imported: stage dates a ledger does not give stay unknown, never today.

A ledger knows the stage of each project and the signing date, rarely the lead date. Imported, its projects
carry the dates typed and no other; the history says which dates are unknown; the headline figures of the
month count the signings by their date; the consistency checks list the dates missing; an error names only
dates of the file and the column to fill.
"""

import re
from datetime import date

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from zhaoshang.core.context import acting_as
from zhaoshang.projects.choices import Stage, TransitionKind
from zhaoshang.projects.models import Project, StageTransition
from zhaoshang.projects.services import correct_date, project_durations, speed_figures, transition
from zhaoshang.projects.tests.test_import import EXPORT_URL, IMPORT_URL, header, upload
from zhaoshang.stats import services as stats
from zhaoshang.stats.periods import Period
from zhaoshang.stats.reports import waiting_projects

LEDGER = ["name", "enterprise_name", "owner_team", "project_type", "planned_investment", "stage", "signed_on"]
OCTOBER = Period.month(2025, 10)
DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


@pytest.fixture
def client_for(client_for):
    """Pages served in English, like the messages asserted here."""
    return lambda user: client_for(user, language="en")


def ledger(team, rows, columns=LEDGER):
    """A workbook as a ledger is kept: one row per project, the stage and (for signings) the signing date."""
    return upload([[header(key) for key in columns], *([*row[:2], team.name, *row[2:]] for row in rows)])


LEDGER_ROWS = [
    # name, investor, type, amount (万元), stage, signing date
    ["电池材料项目", "甲电池材料有限公司", "工业", 30000, "签约", date(2025, 10, 8)],
    ["智能装备项目", "乙智能装备有限公司", "工业", 12000, "签约", date(2025, 10, 20)],
    ["物流园项目", "丙物流有限公司", "物流", 50000, "签约", date(2025, 10, 31)],
    ["小型配套项目", "丁配套有限公司", "工业", 800, "签约", date(2025, 10, 15)],
    ["已动工项目", "戊制造有限公司", "工业", 25000, "动工", date(2025, 9, 30)],  # signed the month before
    ["新线索甲", "己科技有限公司", "工业", 20000, "线索", None],
    ["新线索乙", "庚科技有限公司", None, None, None, None],  # no stage, no date: a lead
    ["洽谈中项目", "辛新材料有限公司", "工业", 40000, "洽谈", None],
]


def dates_typed(rows) -> set[str]:
    return {f"{cell:%Y-%m-%d}" for row in rows for cell in row if isinstance(cell, date)}


def messages_of(response) -> list[str]:
    result = response.context["result"]
    return [e.message for e in result.errors] + [str(m) for m in get_messages(response.wsgi_request)]


def test_a_ledger_of_stages_and_signing_dates_imports_and_gives_the_months_headline_figures(
    city, outpost_a, officer_a, client_for
):
    client = client_for(officer_a)
    response = client.post(IMPORT_URL, {"file": ledger(outpost_a, LEDGER_ROWS)})

    assert response.status_code == 200, response.context["result"].errors
    assert Project.objects.count() == len(LEDGER_ROWS)
    for message in messages_of(response):
        assert set(DATE.findall(message)) <= dates_typed(LEDGER_ROWS), message

    projects = {p.name: p for p in Project.objects.all()}
    # no date the ledger does not give: the lead dates stay unknown, never today
    assert not Project.objects.filter(lead_on__isnull=False).exists()
    assert {name: (p.stage, p.signed_on) for name, p in projects.items()} == {
        row[0]: (
            {"签约": Stage.SIGNED, "动工": Stage.CONSTRUCTION, "洽谈": Stage.NEGOTIATION}.get(row[4], Stage.LEAD),
            row[5],
        )
        for row in LEDGER_ROWS
    }
    assert projects["已动工项目"].construction_on is None
    assert projects["洽谈中项目"].negotiation_on is None

    # the history says which dates are unknown
    def history(name):
        return list(
            projects[name].transitions.order_by("pk").values_list("kind", "from_stage", "to_stage", "happened_on")
        )

    assert history("新线索乙") == [(TransitionKind.OPEN, "", Stage.LEAD, None)]
    assert history("洽谈中项目") == [
        (TransitionKind.OPEN, "", Stage.LEAD, None),
        (TransitionKind.ADVANCE, Stage.LEAD, Stage.NEGOTIATION, None),
    ]
    assert history("已动工项目") == [
        (TransitionKind.OPEN, "", Stage.LEAD, None),
        (TransitionKind.ADVANCE, Stage.LEAD, Stage.SIGNED, date(2025, 9, 30)),
        (TransitionKind.ADVANCE, Stage.SIGNED, Stage.CONSTRUCTION, None),
    ]

    # the month's figures count the signings by their date
    figures = stats.compute(["signed", "large_signed", "large_signed_investment", "leads"], OCTOBER)
    assert figures["signed"].value == 4
    assert figures["large_signed"].value == 3
    assert figures["large_signed_investment"].value == 92000
    assert figures["leads"].value == 0  # no lead is dated: none is counted in a month it did not happen in
    text = stats.headline(OCTOBER)
    assert text["zh"].startswith("10月，全市引进投资亿元以上项目3个，")
    assert "计划投资额9.2亿元" in text["zh"]
    assert "其中，工业项目2个" in text["zh"] and "计划投资额4.2亿元" in text["zh"]
    assert stats.compute(["large_signed"], Period.month(2025, 9))["large_signed"].value == 1

    # the report's projects waiting to start construction: not one that has started on a day the ledger lacks
    waiting = waiting_projects("signed_on", "construction_on", date(2025, 10, 31))
    assert [row.name for row in waiting] == ["物流园项目", "电池材料项目", "智能装备项目"]

    # speed figures leave out the intervals an unknown date bounds
    lead_to_signing = speed_figures(Project.objects.all(), date(2025, 1, 1), date(2025, 12, 31))["intervals"][0]
    assert lead_to_signing["key"] == "lead_signing" and lead_to_signing["overall"]["count"] == 0

    # the consistency checks list what is missing
    checks = {check.key: check for check in stats.consistency_checks()}
    assert checks["missing_signing_date"].count == 0
    unknown = {f.label: f.detail for f in checks["unknown_stage_dates"].findings}
    assert checks["unknown_stage_dates"].count == len(LEDGER_ROWS)
    assert unknown["洽谈中项目"].endswith("unknown: lead on, negotiation from")
    assert unknown["已动工项目"].endswith("unknown: lead on, construction started on")
    assert unknown["电池材料项目"].endswith("unknown: lead on")

    # exported and imported again, the unknown dates stay unknown and nothing is written
    history_rows = StageTransition.objects.count()
    exported = client.get(EXPORT_URL).content
    again = client.post(IMPORT_URL, {"file": SimpleUploadedFile("projects.xlsx", exported)})
    assert again.status_code == 200, again.context["result"].errors
    assert again.context["result"].unchanged == len(LEDGER_ROWS)
    assert StageTransition.objects.count() == history_rows


BAD_ROWS = [
    # name, investor, type, amount, stage, signing date, lead date
    ["先签后线索项目", "甲公司", "工业", 20000, "签约", date(2025, 3, 1), date(2025, 5, 1)],  # out of order
    ["无签约日期项目", "乙公司", "工业", 20000, "签约", None, None],
    ["已供地项目", "丙公司", "工业", 20000, "供地", None, date(2024, 1, 1)],
    ["线索项目", "丁公司", "工业", 20000, "线索", None, date(2025, 1, 1)],  # a good row
]


def test_a_bad_row_is_told_by_the_dates_it_typed_and_the_column_to_fill(city, outpost_a, officer_a, client_for):
    response = client_for(officer_a).post(
        IMPORT_URL, {"file": ledger(outpost_a, BAD_ROWS, columns=[*LEDGER, "lead_on"])}
    )

    assert response.status_code == 422
    assert not Project.objects.exists()
    errors = response.context["result"].errors
    assert [(e.row, e.column) for e in errors] == [
        (2, header("signed_on")),
        (3, header("signed_on")),
        (4, header("signed_on")),
    ]
    order, unsigned, land = (e.message for e in errors)
    assert "2025-03-01" in order and "2025-05-01" in order and "“signed on”" in order
    assert "Fill in the column “signed on”" in unsigned and "Signed" in unsigned
    assert "Fill in the column “signed on”" in land and "Land supplied" in land
    today = f"{timezone.localdate():%Y-%m-%d}"
    for message in messages_of(response):
        assert today not in message
        assert set(DATE.findall(message)) <= dates_typed(BAD_ROWS), message


def test_an_unknown_date_is_filled_in_later_by_a_correction_kept_in_order(city, outpost_a, officer_a, client_for):
    response = client_for(officer_a).post(IMPORT_URL, {"file": ledger(outpost_a, LEDGER_ROWS[4:5])})
    assert response.status_code == 200, response.context["result"].errors
    project = Project.objects.get()
    durations = project_durations(project, today=date(2025, 12, 1))
    assert [(s["stage"], s["days"], s["current"]) for s in durations["stages"]] == [(Stage.SIGNED, None, False)]

    with acting_as(officer_a):
        with pytest.raises(Exception) as refused:
            correct_date(project, Stage.LEAD, date(2025, 10, 1), officer_a)  # after the signing
        assert "2025-10-01" in str(refused.value) and "2025-09-30" in str(refused.value)
        project = correct_date(project, Stage.LEAD, date(2025, 3, 1), officer_a)
        project = correct_date(project, Stage.CONSTRUCTION, date(2025, 11, 3), officer_a)
        project = transition(project, Stage.PRODUCTION, date(2025, 11, 20), officer_a)

    assert (project.lead_on, project.construction_on) == (date(2025, 3, 1), date(2025, 11, 3))
    corrections = project.transitions.filter(kind=TransitionKind.CORRECT).order_by("pk")
    assert list(corrections.values_list("to_stage", "corrected_from", "happened_on")) == [
        (Stage.LEAD, None, date(2025, 3, 1)),
        (Stage.CONSTRUCTION, None, date(2025, 11, 3)),
    ]
    assert stats.compute(["large_started"], Period.month(2025, 11))["large_started"].value == 1

    page = client_for(officer_a).get(project.get_absolute_url())
    assert [(t.kind, t.to_stage, t.happened_on) for t in page.context["transitions"]] == [
        (TransitionKind.OPEN, Stage.LEAD, None),  # recorded first, of a day unknown
        (TransitionKind.CORRECT, Stage.LEAD, date(2025, 3, 1)),
        (TransitionKind.ADVANCE, Stage.SIGNED, date(2025, 9, 30)),
        (TransitionKind.ADVANCE, Stage.CONSTRUCTION, None),  # stands after the signing it was recorded after
        (TransitionKind.CORRECT, Stage.CONSTRUCTION, date(2025, 11, 3)),
        (TransitionKind.ADVANCE, Stage.PRODUCTION, date(2025, 11, 20)),
    ]
    assert page.content.decode().count("(was unknown)") == 2


def test_the_page_shows_an_unknown_date_as_unknown_and_offers_to_fill_it_in(city, outpost_a, officer_a, client_for):
    response = client_for(officer_a).post(IMPORT_URL, {"file": ledger(outpost_a, LEDGER_ROWS[7:8])})
    assert response.status_code == 200, response.context["result"].errors
    project = Project.objects.get()

    page = client_for(officer_a).get(project.get_absolute_url())

    assert page.status_code == 200
    assert [(t.to_stage, t.happened_on) for t in page.context["transitions"]] == [
        (Stage.LEAD, None),
        (Stage.NEGOTIATION, None),
    ]
    assert page.content.decode().count("date unknown") >= 2
    choices = [value for value, _label in page.context["correct_form"].fields["stage"].choices]
    assert choices == [Stage.LEAD, Stage.NEGOTIATION]
