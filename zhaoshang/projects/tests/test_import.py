"""Projects in and out of Excel.

An exported workbook imported again gives the same projects and writes nothing when nothing changed; a
workbook with one bad row imports nothing and names the row and the column, also in the error report;
the template opens again and imports once filled in; the stages of imported projects follow the rules of
the stage changes, with their history; an officer imports only for their own team; the export holds
exactly the projects the filtered list shows, in its order.
"""

import io
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import load_workbook

from zhaoshang.core import audit
from zhaoshang.core.choices import ChangeKind
from zhaoshang.core.context import acting_as
from zhaoshang.core.models import ChangeRecord
from zhaoshang.core.testing import sheet_rows, xlsx_upload
from zhaoshang.geo.tests.factories import district
from zhaoshang.industry.models import Enterprise
from zhaoshang.industry.tests.factories import EnterpriseFactory, credit_code
from zhaoshang.projects.choices import Stage, TransitionKind
from zhaoshang.projects.imports import PROJECT_COLUMNS
from zhaoshang.projects.models import Project, StageTransition
from zhaoshang.projects.services import create_project, transition
from zhaoshang.projects.tests.factories import ProjectFactory

IMPORT_URL = reverse("projects:project-import")
EXPORT_URL = reverse("projects:project-export")
TEMPLATE_URL = reverse("projects:project-template")
LIST_URL = reverse("projects:project-list")


def today():
    """Today where the city is (read at each use: a run may pass midnight)."""
    return timezone.localdate()


NOT_COMPARED = {"id", "created", "updated", "created_by_id", "version"}


def days_ago(n: int) -> date:
    return today() - timedelta(days=n)


def uscc(serial: str) -> str:
    return credit_code(serial)


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def client_for(client_for):
    """Pages served in English, like the messages asserted here."""
    return lambda user: client_for(user, language="en")


def header(key: str) -> str:
    return str(next(c.header for c in PROJECT_COLUMNS if c.key == key))


def upload(rows, name="projects.xlsx"):
    return xlsx_upload(rows, name)


def facts(project) -> dict:
    """Everything the platform knows of a project but its id, timestamps and version, with its history."""
    data = {k: v for k, v in audit.snapshot(project).items() if k not in NOT_COMPARED}
    data["history"] = list(
        project.transitions.order_by("happened_on", "pk").values_list("kind", "from_stage", "to_stage", "happened_on")
    )
    return data


KEYS = ["code", "name", "enterprise_name", "enterprise_uscc", "district", "owner_team", "owner"]
KEYS += ["planned_investment", "stage", "lead_on", "negotiation_on", "signed_on", "land_on"]


def row(
    team,
    *,
    code=None,
    name="新能源电池项目",
    enterprise="江门示例电池有限公司",
    credit=None,
    where="蓬江区",
    owner="officer_a",
    amount=20000,
    stage="Signed",
    lead=400,
    negotiation=300,
    signed=200,
    land=None,
):
    def ago(n):
        return days_ago(n) if n is not None else None

    return [
        code,
        name,
        enterprise,
        credit if credit is not None else uscc("1"),
        where,
        team.name,
        owner,
        amount,
        stage,
        ago(lead),
        ago(negotiation),
        ago(signed),
        ago(land),
    ]


def workbook(team, *rows):
    return upload([[header(k) for k in KEYS], *(rows or [row(team)])])


@pytest.fixture
def signed_project(city, outpost_a, officer_a):
    project = ProjectFactory(
        owner_team=outpost_a,
        owner=officer_a,
        lead_on=days_ago(500),
        district=district("440703"),
        planned_investment=Decimal("12000.50"),
        foreign_investment=Decimal("100"),
        land_need_mu=Decimal("80"),
    )
    with acting_as(officer_a):
        transition(project, Stage.NEGOTIATION, days_ago(300), officer_a)
        transition(project, Stage.SIGNED, days_ago(200), officer_a)
        project = transition(project, Stage.LAND, days_ago(100), officer_a)
    return Project.objects.get(pk=project.pk)


def test_every_project_has_a_reference_of_its_year(signed_project):
    assert signed_project.code.startswith(f"XM{today().year}-")
    second = ProjectFactory(owner_team=signed_project.owner_team)
    assert second.code > signed_project.code


def test_an_exported_workbook_imported_again_gives_the_same_projects_and_writes_nothing(
    signed_project, client_for, officer_a
):
    paused = ProjectFactory(owner_team=signed_project.owner_team, lead_on=days_ago(90), confidential=True)
    with acting_as(officer_a):
        transition(paused, Stage.PAUSED, days_ago(10), officer_a)
    before = {p.pk: facts(p) for p in Project.objects.all()}
    client = client_for(officer_a)
    exported = client.get(EXPORT_URL)
    assert exported.status_code == 200
    records = ChangeRecord.objects.count()
    transitions = StageTransition.objects.count()

    response = client.post(IMPORT_URL, {"file": SimpleUploadedFile("p.xlsx", exported.content)})

    assert response.status_code == 200, response.context["result"].errors
    assert response.context["result"].unchanged == 2
    assert {p.pk: facts(p) for p in Project.objects.all()} == before
    assert ChangeRecord.objects.count() == records
    assert StageTransition.objects.count() == transitions


FORMULA_LOOKING = ['=HYPERLINK("http://x","y")', "+1+1", "-2", "@SUM(A1)"]


def test_formula_looking_names_are_exported_as_text_and_imported_again_unchanged(
    city, outpost_a, officer_a, client_for
):
    """A name typed by an investor reaches the export: it must be text that Excel neither evaluates nor converts."""
    for index, text in enumerate(FORMULA_LOOKING):
        ProjectFactory(
            owner_team=outpost_a, name=text, enterprise=EnterpriseFactory(name=text), lead_on=days_ago(10 + index)
        )
    before = {p.pk: facts(p) for p in Project.objects.all()}
    client = client_for(officer_a)
    exported = client.get(EXPORT_URL).content

    sheet = load_workbook(io.BytesIO(exported)).worksheets[0]
    titles = [cell.value for cell in sheet[1]]
    cells = [
        row[titles.index(header(key))] for row in sheet.iter_rows(min_row=2) for key in ("name", "enterprise_name")
    ]
    assert sorted(cell.value for cell in cells) == sorted(FORMULA_LOOKING * 2)
    assert {cell.data_type for cell in cells} == {"s"}
    assert all(cell.quotePrefix for cell in cells)  # Excel keeps them text when the cell is edited
    records = ChangeRecord.objects.count()

    response = client.post(IMPORT_URL, {"file": SimpleUploadedFile("p.xlsx", exported)})

    assert response.status_code == 200, response.context["result"].errors
    assert response.context["result"].unchanged == len(FORMULA_LOOKING)
    assert {p.pk: facts(p) for p in Project.objects.all()} == before
    assert ChangeRecord.objects.count() == records


def test_numbers_are_numbers_and_dates_are_dates_in_the_export(signed_project, client_for, officer_a):
    rows = sheet_rows(client_for(officer_a).get(EXPORT_URL).content)
    values = dict(zip([str(h) for h in rows[0]], rows[1], strict=True))
    assert values[header("planned_investment")] == 12000.5
    assert values[header("signed_on")].date() == signed_project.signed_on
    assert values[header("code")] == signed_project.code
    assert values[header("stage")] == str(Stage.LAND.label)  # in the language the page was served in


def test_a_new_project_is_imported_with_its_investor_and_its_history(city, outpost_a, officer_a, client_for):
    response = client_for(officer_a).post(IMPORT_URL, {"file": workbook(outpost_a)})

    assert response.status_code == 200, response.context["result"].errors
    project = Project.objects.get()
    assert project.code.startswith(f"XM{today().year}-")
    assert project.enterprise.uscc == uscc("1") and project.enterprise.owner_team == outpost_a
    assert (project.stage, project.signed_on, project.district.adcode) == (Stage.SIGNED, days_ago(200), "440703")
    assert list(project.transitions.order_by("happened_on").values_list("kind", "to_stage", "happened_on")) == [
        (TransitionKind.OPEN, Stage.LEAD, days_ago(400)),
        (TransitionKind.ADVANCE, Stage.NEGOTIATION, days_ago(300)),
        (TransitionKind.ADVANCE, Stage.SIGNED, days_ago(200)),
    ]


def test_the_centre_imports_a_teams_ledger_with_new_investors_kept_by_that_team(
    city, outpost_a, officer_a, centre_officer, client_for
):
    response = client_for(centre_officer).post(IMPORT_URL, {"file": workbook(outpost_a)})

    assert response.status_code == 200, response.context["result"].errors
    project = Project.objects.get()
    assert project.owner_team == outpost_a and project.enterprise.owner_team == outpost_a


def _written(record_model, obj, ignored=()) -> dict:
    """What the audit recorded on creating ``obj``, and what the database holds, both but ``ignored``."""
    [record] = ChangeRecord.objects.filter(
        content_type__model=record_model, object_id=str(obj.pk), action=ChangeKind.CREATE
    )
    stored = audit.snapshot(type(obj)._base_manager.get(pk=obj.pk))
    assert record.after == stored  # the audit tells what was written
    return {k: v for k, v in stored.items() if k not in {*NOT_COMPARED, *ignored}} | {"by": record.user_id}


def test_an_imported_project_has_the_records_the_pages_would_write(city, outpost_a, officer_a, client_for):
    """The same project filed through the services and imported: same project, investor, history and audit."""
    where = district("440703")
    with acting_as(officer_a):
        filed = create_project(
            officer_a,
            owner_team=outpost_a,
            name="新能源电池项目",
            uscc=uscc("7"),
            enterprise_name="江门手工电池有限公司",
            lead_on=days_ago(400),
            district=where,
            owner=officer_a,
            planned_investment=Decimal("20000"),
        )
        transition(filed, Stage.NEGOTIATION, days_ago(300), officer_a)
        filed = transition(filed, Stage.SIGNED, days_ago(200), officer_a)

    response = client_for(officer_a).post(IMPORT_URL, {"file": workbook(outpost_a)})

    assert response.status_code == 200, response.context["result"].errors
    imported = Project.objects.exclude(pk=filed.pk).get()
    filed.refresh_from_db()
    assert facts(imported) | {"code": "", "enterprise_id": 0} == facts(filed) | {"code": "", "enterprise_id": 0}
    names = {"name", "uscc", "normalized_name", "name_key"}
    assert _written("enterprise", imported.enterprise, names) == _written("enterprise", filed.enterprise, names)
    # The pages write the project at the lead stage and then each move; an import writes it as it ends up.
    assert _written("project", imported, {"code", "enterprise_id"})["stage"] == Stage.SIGNED

    def history(project):
        rows = []
        for change in project.transitions.order_by("happened_on", "pk"):
            rows.append(_written("stagetransition", change, {"project_id"}))
            assert str(change).startswith(str(project))
        return rows

    assert history(imported) == history(filed)


def test_a_known_credit_code_gives_the_enterprise_on_record(city, outpost_a, officer_a, client_for):
    known = Enterprise.objects.create(name="江门已登记企业有限公司", uscc=uscc("1"))
    client_for(officer_a).post(IMPORT_URL, {"file": workbook(outpost_a, row(outpost_a, enterprise="别的名字"))})
    assert Project.objects.get().enterprise == known


def test_a_row_without_a_credit_code_finds_its_investor_by_name(city, outpost_a, officer_a, client_for):
    abroad = Enterprise.objects.create(name="Overseas Battery Ltd", uscc=None)
    Enterprise.objects.create(name="江门已登记企业有限公司", uscc=uscc("3"))
    rows = [row(outpost_a, enterprise="Overseas Battery Ltd", credit=""), row(outpost_a, name="第二个项目")]
    rows[1][KEYS.index("enterprise_name")] = "江门已登记企业有限公司"
    rows[1][KEYS.index("enterprise_uscc")] = uscc("4")  # a new code: a new enterprise, whatever the name

    response = client_for(officer_a).post(IMPORT_URL, {"file": workbook(outpost_a, *rows)})

    assert response.status_code == 200, response.context["result"].errors
    assert Project.objects.get(name="新能源电池项目").enterprise == abroad
    assert Project.objects.get(name="第二个项目").enterprise.uscc == uscc("4")
    assert Enterprise.objects.count() == 3


@pytest.mark.parametrize(
    ("bad", "column", "words"),
    [
        ({"credit": "91440703MA4UJ7KJ60"}, "enterprise_uscc", ""),
        ({"negotiation": 100, "signed": 200}, "signed_on", "before"),
        ({"where": "火星区"}, "district", "not a district"),
        ({"signed": None, "land": 50, "stage": "Land supplied"}, "signed_on", "signing"),
        ({"signed": -5}, "signed_on", "future"),
    ],
)
def test_one_bad_row_imports_nothing_and_names_its_row_and_column(
    city, outpost_a, officer_a, client_for, bad, column, words
):
    good = row(outpost_a, name="好项目", credit=uscc("2"))
    wrong = row(outpost_a, name="坏项目", **bad)
    client = client_for(officer_a)

    response = client.post(IMPORT_URL, {"file": workbook(outpost_a, good, wrong)})

    assert response.status_code == 422
    assert not Project.objects.exists() and not Enterprise.objects.exists()
    errors = response.context["result"].errors
    assert [(e.row, e.column) for e in errors] == [(3, header(column))]
    assert words in errors[0].message
    report = sheet_rows(client.get(response.context["report_url"]).content)
    assert report[1][:2] == [3, header(column)]


def test_the_template_opens_again_and_imports_when_filled_in(city, outpost_a, officer_a, client_for):
    client = client_for(officer_a)
    content = client.get(TEMPLATE_URL).content
    wb = load_workbook(io.BytesIO(content))
    sheet = wb.worksheets[0]
    headers = [cell.value for cell in sheet[1]]
    assert len(headers) == len(PROJECT_COLUMNS) + 1  # and the column marking the example
    meanings = [r[2] for r in wb.worksheets[1].iter_rows(min_row=2, values_only=True) if r and r[2]]
    assert len(meanings) >= len(PROJECT_COLUMNS)
    example = [cell.value for cell in sheet[2]]
    example[headers.index(header("owner_team") + " *")] = outpost_a.name
    example[0] = None  # the example becomes a row of the user's own once its mark is gone
    sheet.delete_rows(2)
    sheet.append(example)
    out = io.BytesIO()
    wb.save(out)

    response = client.post(IMPORT_URL, {"file": SimpleUploadedFile("t.xlsx", out.getvalue())})

    assert response.status_code == 200, response.context["result"].errors
    project = Project.objects.get()
    assert project.stage == Stage.NEGOTIATION and project.negotiation_on == date(2025, 6, 1)
    assert project.transitions.count() == 2


def template_with(client, *added_rows):
    """The downloaded template, its example row left in place and ``added_rows`` written below it."""
    wb = load_workbook(io.BytesIO(client.get(TEMPLATE_URL).content))
    sheet = wb.worksheets[0]
    for added in added_rows:
        sheet.append(added)
    out = io.BytesIO()
    wb.save(out)
    return SimpleUploadedFile("template.xlsx", out.getvalue())


def test_the_template_is_named_entirely_in_the_users_language(city, officer_a, client_for):
    client = client_for(officer_a)

    english = client.get(TEMPLATE_URL)["Content-Disposition"]
    chinese = client.get(TEMPLATE_URL, HTTP_ACCEPT_LANGUAGE="zh-hans")["Content-Disposition"]

    assert english == 'attachment; filename="projects-import-template.xlsx"'
    assert chinese.startswith("attachment; filename*=utf-8''%E9%A1%B9%E7%9B%AE")  # 项目…, RFC 5987-encoded


def test_the_template_imported_unchanged_imports_nothing_and_says_its_example_is_never_imported(
    city, outpost_a, officer_a, client_for
):
    response = client_for(officer_a).post(IMPORT_URL, {"file": template_with(client_for(officer_a))})

    assert response.status_code == 422
    assert not Project.objects.exists()
    [error] = response.context["result"].errors
    assert error.row is None and "example, which is never imported" in error.message


def test_the_template_with_its_example_kept_and_one_row_added_imports_only_the_added_row(
    city, outpost_a, officer_a, client_for
):
    client = client_for(officer_a)
    sheet = load_workbook(io.BytesIO(client.get(TEMPLATE_URL).content)).worksheets[0]
    headers = [cell.value for cell in sheet[1]]
    example = [cell.value for cell in sheet[2]]
    added = [None, *example[1:]]  # a row of the user's own: the column marking the example left empty
    added[headers.index(header("name") + " *")] = "新增电池项目"
    added[headers.index(header("owner_team") + " *")] = outpost_a.name

    response = client.post(IMPORT_URL, {"file": template_with(client, added)})

    assert response.status_code == 200, response.context["result"].errors
    assert list(Project.objects.values_list("name", flat=True)) == ["新增电池项目"]
    assert response.context["result"].examples == 1
    assert "1 example row of the template was left out." in [str(m) for m in get_messages(response.wsgi_request)]


def test_a_changed_stage_date_is_corrected_through_the_same_rules(signed_project, client_for, officer_a):
    client = client_for(officer_a)
    updated = row(
        signed_project.owner_team,
        code=signed_project.code,
        credit=signed_project.enterprise.uscc,
        enterprise=signed_project.enterprise.name,
        stage="Land supplied",
        lead=500,
        signed=210,
        land=100,
    )
    response = client.post(IMPORT_URL, {"file": workbook(signed_project.owner_team, updated)})
    assert response.status_code == 200, response.context["result"].errors
    signed_project.refresh_from_db()
    assert signed_project.signed_on == days_ago(210)
    correction = signed_project.transitions.get(kind=TransitionKind.CORRECT)
    assert (correction.corrected_from, correction.happened_on) == (days_ago(200), days_ago(210))

    too_late = [*updated]
    too_late[KEYS.index("signed_on")] = days_ago(50)  # after the land supply
    response = client.post(IMPORT_URL, {"file": workbook(signed_project.owner_team, too_late)})
    assert response.status_code == 422
    assert [e.column for e in response.context["result"].errors] == [header("signed_on")]


def test_an_officer_cannot_import_into_another_team(signed_project, outpost_b, client_for, officer_b, officer_a):
    client = client_for(officer_b)
    theirs = row(
        signed_project.owner_team,
        code=signed_project.code,
        credit=signed_project.enterprise.uscc,
        owner="officer_a",
        stage="Land supplied",
        lead=500,
        signed=200,
        land=100,
    )
    new_for_a = row(signed_project.owner_team, name="别队项目", credit=uscc("3"), owner="")
    response = client.post(IMPORT_URL, {"file": workbook(outpost_b, theirs, new_for_a)})

    assert response.status_code == 422
    errors = {(e.row, e.column): e.message for e in response.context["result"].errors}
    assert signed_project.name in errors[(2, header("code"))]
    assert (3, header("owner_team")) in errors
    assert Project.objects.count() == 1


def test_the_export_holds_exactly_the_filtered_list_in_its_order(city, outpost_a, officer_a, client_for):
    for n, amount in enumerate((5000, 15000, 30000, 20000)):
        ProjectFactory(owner_team=outpost_a, name=f"项目{n}", planned_investment=amount, district=district("440703"))
    ProjectFactory(owner_team=outpost_a, name="别区项目", planned_investment=50000, district=district("440704"))
    query = "?district=440703&min_investment=10000&sort=-planned_investment"
    client = client_for(officer_a)

    listed = [p.name for p in client.get(LIST_URL + query).context["object_list"]]
    rows = sheet_rows(client.get(EXPORT_URL + query).content)

    assert listed == ["项目2", "项目3", "项目1"]
    assert [r[1] for r in rows[1:]] == listed
