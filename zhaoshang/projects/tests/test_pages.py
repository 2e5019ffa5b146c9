"""The staff pages of projects: creating with a new investor, editing with conflict checks, the stage form,
the project's records and document uploads."""

import re
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from zhaoshang.accounts.choices import Role
from zhaoshang.accounts.tests.factories import member
from zhaoshang.core.testing import form_data
from zhaoshang.industry.models import Enterprise
from zhaoshang.industry.validators import make_uscc
from zhaoshang.projects.choices import Stage
from zhaoshang.projects.models import Activity, Contact, Document, Milestone, Project, StageTransition
from zhaoshang.projects.tests.factories import ProjectFactory


def today():
    """Today where the city is (read at each use: a run may pass midnight)."""
    return timezone.localdate()


ADD_URL = reverse("projects:project-add")
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"


@pytest.fixture
def project(outpost_a, officer_a):
    return ProjectFactory(name="智能装备产业园", owner_team=outpost_a, owner=officer_a)


def edit_url(project):
    return reverse("projects:project-edit", args=[project.pk])


# --- creating ---------------------------------------------------------------------------------------------------


def test_an_officer_creates_a_project_with_a_new_investor_from_its_credit_code(officer_a, outpost_a, client_for):
    import random

    code = make_uscc(random.Random(1))
    response = client_for(officer_a).post(
        ADD_URL,
        {
            "name": "硅能源生产基地",
            "enterprise_uscc": code.lower(),
            "enterprise_name": "某某硅能源科技有限公司",
            "lead_on": (today() - timedelta(days=3)).isoformat(),
            "project_type": "industrial",
            "source": "referral",
            "owner_team": outpost_a.pk,
            "owner": officer_a.pk,
            "planned_investment": "1000000",
            "foreign_investment": "0",
        },
    )

    assert response.status_code == 302, response.context["form"].errors
    project = Project.objects.get(name="硅能源生产基地")
    assert response["Location"] == project.get_absolute_url()
    assert (project.stage, project.lead_on, project.owner_team) == (Stage.LEAD, today() - timedelta(days=3), outpost_a)
    assert project.enterprise.uscc == code
    assert project.enterprise.owner_team == outpost_a
    assert StageTransition.objects.filter(project=project, to_stage=Stage.LEAD).count() == 1


def test_a_wrong_credit_code_is_refused_on_the_form_and_nothing_is_created(officer_a, outpost_a, client_for):
    response = client_for(officer_a).post(
        ADD_URL,
        {
            "name": "X",
            "enterprise_uscc": "91440700MA4X000000",
            "enterprise_name": "某某",
            "lead_on": today().isoformat(),
            "project_type": "industrial",
            "source": "other",
            "owner_team": outpost_a.pk,
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    assert "check character" in " ".join(response.context["form"].errors["enterprise_uscc"])
    assert not Project.objects.exists() and not Enterprise.objects.filter(name="某某").exists()


def test_a_project_needs_an_investor(officer_a, outpost_a, client_for):
    response = client_for(officer_a).post(
        ADD_URL,
        {
            "name": "X",
            "lead_on": today().isoformat(),
            "project_type": "industrial",
            "source": "other",
            "owner_team": outpost_a.pk,
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.context["form"].errors["enterprise"] == [
        "Choose the investor enterprise, or give its credit code and name."
    ]


def test_an_officer_cannot_file_a_project_for_another_team(officer_a, outpost_b, client_for):
    response = client_for(officer_a).post(
        ADD_URL,
        {
            "name": "X",
            "enterprise_name": "某某",
            "lead_on": today().isoformat(),
            "project_type": "industrial",
            "source": "other",
            "owner_team": outpost_b.pk,
        },
    )
    assert response.status_code == 200
    assert "owner_team" in response.context["form"].errors
    assert not Project.objects.exists()


# --- editing with conflict checks --------------------------------------------------------------------------------


def test_the_second_of_two_concurrent_edits_is_refused_and_the_first_is_kept(project, officer_a, outpost_a, client_for):
    colleague = member(outpost_a, Role.OFFICER, username="colleague")
    first, second = client_for(officer_a), client_for(colleague)
    first_form, second_form = first.get(edit_url(project)), second.get(edit_url(project))

    saved = first.post(edit_url(project), form_data(first_form, planned_investment="250000"))
    refused = second.post(
        edit_url(project), form_data(second_form, planned_investment="1", name="改名项目"), HTTP_ACCEPT_LANGUAGE="en"
    )

    assert saved.status_code == 302
    assert refused.status_code == 200
    assert "Someone else changed this record after you opened it" in refused.content.decode()
    project.refresh_from_db()
    assert (project.name, project.planned_investment, project.version) == ("智能装备产业园", 250000, 2)


def test_a_stage_change_meanwhile_makes_an_open_edit_form_stale(project, officer_a, client_for):
    from zhaoshang.projects.services import transition

    client = client_for(officer_a)
    form_page = client.get(edit_url(project))
    transition(project, Stage.CONTACT, today(), officer_a)

    response = client.post(edit_url(project), form_data(form_page, name="改名项目"))

    assert response.status_code == 200
    project.refresh_from_db()
    assert (project.name, project.stage) == ("智能装备产业园", Stage.CONTACT)


# --- the stage form -------------------------------------------------------------------------------------------------


def transition_url(project):
    return reverse("projects:project-transition", args=[project.pk])


def test_the_stage_form_moves_the_project(project, officer_a, client_for):
    response = client_for(officer_a).post(
        transition_url(project), {"to_stage": "signed", "happened_on": today().isoformat(), "note": "签约仪式"}
    )
    assert response.status_code == 302
    project.refresh_from_db()
    assert (project.stage, project.signed_on) == (Stage.SIGNED, today())


def test_an_htmx_stage_change_redirects_the_page(project, officer_a, client_for):
    response = client_for(officer_a).post(
        transition_url(project), {"to_stage": "contact", "happened_on": today().isoformat()}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 204
    assert response["HX-Redirect"] == project.get_absolute_url()


def test_a_refused_stage_change_comes_back_on_the_form_with_its_message(project, officer_a, client_for):
    Project.objects.filter(pk=project.pk).update(stage=Stage.NEGOTIATION, negotiation_on=today() - timedelta(days=5))
    response = client_for(officer_a).post(
        transition_url(project),
        {"to_stage": "dropped", "happened_on": today().isoformat(), "reason": ""},
        HTTP_HX_REQUEST="true",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    assert [t.name for t in response.templates][0] == "projects/_transition_form.html"
    assert "Give the reason for dropping the project." in response.content.decode()
    project.refresh_from_db()
    assert project.stage == Stage.NEGOTIATION


def test_a_refused_stage_change_without_htmx_shows_the_page_with_the_message(project, officer_a, client_for):
    response = client_for(officer_a).post(
        transition_url(project),
        {"to_stage": "signed", "happened_on": (today() + timedelta(days=2)).isoformat()},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    assert "is in the future" in response.content.decode()
    project.refresh_from_db()
    assert project.stage == Stage.LEAD


def test_the_page_shows_the_stage_history(project, officer_a, client_for):
    client = client_for(officer_a)
    client.post(transition_url(project), {"to_stage": "signed", "happened_on": today().isoformat(), "note": "签约仪式"})
    html = client.get(project.get_absolute_url()).content.decode()
    timeline = re.search(r'data-testid="timeline".*?</table>', html, re.S).group(0)
    assert "签约仪式" in timeline and today().isoformat() in timeline


# --- the project's records ---------------------------------------------------------------------------------------


def test_an_officer_adds_an_activity_with_participants(project, officer_a, client_for):
    response = client_for(officer_a).post(
        reverse("projects:activity-add", args=[project.pk]),
        {
            "kind": "inspection",
            "happened_on": today().isoformat(),
            "summary": "陪同企业考察地块",
            "participants": [officer_a.pk],
            "external_participants": "王总\n李工",
        },
    )
    assert response.status_code == 302
    activity = Activity.objects.get(project=project)
    assert list(activity.participants.all()) == [officer_a]
    assert activity.created_by == officer_a


def test_an_officer_adds_a_milestone_and_a_contact(project, officer_a, client_for):
    client = client_for(officer_a)
    client.post(
        reverse("projects:milestone-add", args=[project.pk]),
        {"name": "土地摘牌", "stage": "land", "planned_on": today().isoformat()},
    )
    client.post(reverse("projects:contact-add", args=[project.pk]), {"name": "王总", "position": "董事长"})
    assert Milestone.objects.get(project=project).name == "土地摘牌"
    assert Contact.objects.get(project=project).position == "董事长"


def upload(client, project, name, content, **extra):
    return client.post(
        reverse("projects:document-add", args=[project.pk]),
        {"kind": "agreement", "title": "投资协议", "file": SimpleUploadedFile(name, content)},
        HTTP_ACCEPT_LANGUAGE="en",
        **extra,
    )


def test_a_pdf_document_is_uploaded_and_downloaded_by_those_who_see_the_project(
    project, officer_a, officer_b, client_for, settings, tmp_path
):
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    response = upload(client_for(officer_a), project, "协议.pdf", PDF)
    assert response.status_code == 302
    document = Document.objects.get(project=project)
    assert document.size == len(PDF)
    download = client_for(officer_a).get(reverse("projects:document-download", args=[document.pk]))
    assert b"".join(download.streaming_content) == PDF
    assert (tmp_path / document.file.name).read_bytes() == PDF  # kept outside the published media folder
    project.confidential = True
    project.save()
    assert client_for(officer_b).get(reverse("projects:document-download", args=[document.pk])).status_code == 404


def test_a_document_of_a_refused_type_is_refused_with_a_message_naming_the_field(
    project, officer_a, client_for, settings, tmp_path
):
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    response = upload(client_for(officer_a), project, "setup.exe", b"MZ\x90\x00")
    assert response.status_code == 200
    [message] = response.context["form"].errors["file"]
    assert message.startswith("Document file: “setup.exe” is not accepted")
    assert not Document.objects.exists()


def test_a_file_whose_content_does_not_match_its_name_is_refused(project, officer_a, client_for, settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    response = upload(client_for(officer_a), project, "report.pdf", b"<html>not a pdf</html>")
    assert "is not really a .pdf file" in response.context["form"].errors["file"][0]
    assert not Document.objects.exists()


@override_settings(ZHAOSHANG_DOCUMENT_MAX_MB=1)
def test_a_document_over_the_size_limit_is_refused(project, officer_a, client_for, settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    response = upload(client_for(officer_a), project, "big.pdf", PDF + b"0" * (1024 * 1024))
    [message] = response.context["form"].errors["file"]
    assert message.startswith("Document file: “big.pdf” is 1.0")
    assert "the largest accepted file is 1.0" in message
    assert not Document.objects.exists()


# --- the list -------------------------------------------------------------------------------------------------------


def test_the_list_filters_by_stage_amount_and_tag(officer_a, outpost_a, client_for):
    ProjectFactory(name="大项目", owner_team=outpost_a, planned_investment=200000, foreign_investment=50000)
    ProjectFactory(name="小项目", owner_team=outpost_a, planned_investment=500)
    signed = ProjectFactory(name="已签约项目", owner_team=outpost_a, planned_investment=20000)
    Project.objects.filter(pk=signed.pk).update(stage=Stage.SIGNED, signed_on=today())
    client = client_for(officer_a)

    def names(query):
        return [p.name for p in client.get(reverse("projects:project-list") + query).context["object_list"]]

    assert sorted(names("?tag=large")) == ["大项目", "已签约项目"]
    assert names("?tag=foreign") == ["大项目"]
    assert names("?stage=signed") == ["已签约项目"]
    assert names("?max_investment=1000") == ["小项目"]
    assert names(f"?date_stage=signed&date_from={today().isoformat()}") == ["已签约项目"]
    assert names("?q=大项目") == ["大项目"]


def refusal(project, to_stage) -> str:
    """The service's own message for an illegal move (projects.services.check_transition)."""
    from django.core.exceptions import ValidationError
    from django.utils import translation

    from zhaoshang.projects import services

    with translation.override("en"), pytest.raises(ValidationError) as caught:
        services.check_transition(project, to_stage, today())
    [message] = caught.value.messages
    return message


@pytest.mark.parametrize("to_stage", ["contact", "land", "signed", "nowhere"])
@pytest.mark.parametrize("path", ["page", "page-htmx", "board", "api"])
def test_an_illegal_move_gets_the_services_message_on_every_path(
    project, officer_a, client_for, api_for, path, to_stage
):
    Project.objects.filter(pk=project.pk).update(
        stage=Stage.LAND,
        negotiation_on=today() - timedelta(days=30),
        signed_on=today() - timedelta(days=20),
        land_on=today() - timedelta(days=10),
    )
    project.refresh_from_db()
    expected = refusal(project, to_stage)
    history = StageTransition.objects.filter(project=project).count()
    move = {"to_stage": to_stage, "happened_on": today().isoformat()}
    if path == "api":
        response = api_for(officer_a).post(
            reverse("api:project-transition", args=[project.pk]),
            move,
            format="json",
            HTTP_ACCEPT_LANGUAGE="en",
        )
        assert response.status_code == 400
        assert response.json() == {"to_stage": [expected]}
    else:
        extra = {"HTTP_HX_REQUEST": "true"} if path != "page" else {}
        if path == "board":
            move["board"] = "1"
        response = client_for(officer_a).post(transition_url(project), move, HTTP_ACCEPT_LANGUAGE="en", **extra)
        assert response.status_code == 200
        html = response.content.decode()
        assert expected.replace("“", "&ldquo;") in html or expected in html
        assert "not one of the available choices" not in html
    project.refresh_from_db()
    assert project.stage == Stage.LAND
    assert StageTransition.objects.filter(project=project).count() == history


def test_the_page_and_the_board_offer_only_the_legal_moves(project, officer_a, client_for):
    from zhaoshang.projects import services

    Project.objects.filter(pk=project.pk).update(stage=Stage.NEGOTIATION, negotiation_on=today())
    project.refresh_from_db()
    legal = services.allowed_moves(project)
    assert Stage.LAND not in legal  # not signed yet
    client = client_for(officer_a)

    page_form = client.get(project.get_absolute_url()).context["transition_form"]
    board_form = client.get(reverse("projects:board-move", args=[project.pk]), HTTP_HX_REQUEST="true").context["form"]

    for form in (page_form, board_form):
        assert [value for value, _label in form.fields["to_stage"].widget.choices] == legal
        assert [value for value, _label in form.fields["to_stage"].choices] == legal


def test_a_card_dropped_on_an_illegal_column_is_told_why_at_once(project, officer_a, client_for):
    Project.objects.filter(pk=project.pk).update(stage=Stage.NEGOTIATION, negotiation_on=today())
    project.refresh_from_db()

    response = client_for(officer_a).get(
        reverse("projects:board-move", args=[project.pk]), {"to_stage": "land"}, HTTP_ACCEPT_LANGUAGE="en"
    )

    assert response.status_code == 200
    assert refusal(project, "land") in response.content.decode()
    assert 'data-testid="move-errors"' in response.content.decode()
