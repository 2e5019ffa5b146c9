"""Optimistic locking: nobody silently overwrites a change they have not seen.

Every business record carries a version. A form carries the version it was
opened at (hidden ``record_version``), an API update sends the version it read;
a save from a stale version is refused with a clear message (the form shown
again; 409 Conflict in the API) and the other person's change stays as it was.
"""

import re

import pytest
from django.urls import reverse

from zhaoshang.accounts.choices import Role
from zhaoshang.accounts.tests.factories import member
from zhaoshang.core.models import ConflictError
from zhaoshang.core.testing import form_data as shared_form_data
from zhaoshang.industry.models import Enterprise
from zhaoshang.industry.tests.factories import EnterpriseFactory

CONFLICT_MESSAGE = "Someone else changed this record after you opened it"
RECORD_VERSION = re.compile(r'<input[^>]*name="record_version"[^>]*>')


def hidden_record_version(response) -> str:
    """The value of the hidden ``record_version`` input of the page's form."""
    [tag] = RECORD_VERSION.findall(response.content.decode())
    assert 'type="hidden"' in tag
    return re.search(r'value="([^"]*)"', tag).group(1)


def form_data(response, **changes):
    """The form as the page showed it, with the version read from the page's hidden input."""
    return shared_form_data(response, record_version=hidden_record_version(response), **changes)


@pytest.fixture
def colleague_a(outpost_a):
    """A second officer of the Beijing outpost."""
    return member(outpost_a, Role.OFFICER, username="colleague_a")


@pytest.fixture
def prospect(outpost_a):
    return EnterpriseFactory(name="北京某某航空有限公司", owner_team=outpost_a, description="初次接触")


def edit_url(enterprise):
    return reverse("industry:enterprise-edit", args=[enterprise.pk])


# --- pages -------------------------------------------------------------------------------------------------------


def test_edit_form_carries_the_version_it_was_opened_at(officer_a, prospect, client_for):
    prospect.description = "第二次拜访"
    prospect.save()

    response = client_for(officer_a).get(edit_url(prospect))

    assert hidden_record_version(response) == "2"


def test_second_of_two_concurrent_page_edits_is_refused_and_the_first_is_kept(
    officer_a, colleague_a, prospect, client_for
):
    first, second = client_for(officer_a), client_for(colleague_a)
    first_form = first.get(edit_url(prospect))
    second_form = second.get(edit_url(prospect))
    assert hidden_record_version(first_form) == hidden_record_version(second_form) == "1"

    saved = first.post(edit_url(prospect), form_data(first_form, description="已签约意向书"))
    refused = second.post(
        edit_url(prospect),
        form_data(second_form, name="北京某某航天有限公司", description="对方拒绝"),
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert saved.status_code == 302
    assert refused.status_code == 200
    form = refused.context["form"]
    assert any(CONFLICT_MESSAGE in error for error in form.non_field_errors())
    page = refused.content.decode()
    assert CONFLICT_MESSAGE in page
    assert 'role="alert"' in page
    prospect.refresh_from_db()
    assert prospect.name == "北京某某航空有限公司"
    assert prospect.description == "已签约意向书"
    assert prospect.version == 2


def test_conflict_message_is_shown_in_the_default_language_too(officer_a, colleague_a, prospect, client_for):
    stale = client_for(colleague_a).get(edit_url(prospect))
    first = client_for(officer_a)
    first.post(edit_url(prospect), form_data(first.get(edit_url(prospect)), description="别人改过"))

    refused = client_for(colleague_a).post(edit_url(prospect), form_data(stale, description="我的修改"))

    assert refused.status_code == 200
    [error] = refused.context["form"].non_field_errors()
    assert error and error in refused.content.decode()
    prospect.refresh_from_db()
    assert prospect.description == "别人改过"


def test_after_reloading_the_second_editor_can_save(officer_a, colleague_a, prospect, client_for):
    first, second = client_for(officer_a), client_for(colleague_a)
    stale = second.get(edit_url(prospect))
    first.post(edit_url(prospect), form_data(first.get(edit_url(prospect)), description="甲的修改"))
    second.post(edit_url(prospect), form_data(stale, description="乙的修改"))

    reloaded = second.get(edit_url(prospect))
    saved = second.post(edit_url(prospect), form_data(reloaded, description="乙看过甲的修改后再改"))

    assert saved.status_code == 302
    prospect.refresh_from_db()
    assert prospect.description == "乙看过甲的修改后再改"
    assert prospect.version == 3


def test_a_form_without_its_version_is_refused(officer_a, prospect, client_for):
    client = client_for(officer_a)
    data = form_data(client.get(edit_url(prospect)), description="没有版本号")
    del data["record_version"]

    response = client.post(edit_url(prospect), data)

    assert response.status_code == 200
    assert "record_version" in response.context["form"].errors
    prospect.refresh_from_db()
    assert prospect.description == "初次接触"


# --- API ---------------------------------------------------------------------------------------------------------


def test_api_update_with_a_stale_version_is_refused_and_the_first_is_kept(officer_a, colleague_a, prospect, api_for):
    url = f"/api/enterprises/{prospect.pk}/"
    read_by_first = api_for(officer_a).get(url).json()
    read_by_second = api_for(colleague_a).get(url).json()

    saved = api_for(officer_a).patch(
        url, {"description": "已签约意向书", "version": read_by_first["version"]}, format="json"
    )
    refused = api_for(colleague_a).patch(
        url, {"description": "对方拒绝", "version": read_by_second["version"]}, format="json"
    )

    assert saved.status_code == 200
    assert saved.json()["version"] == 2
    assert refused.status_code == 409
    assert refused.json()["detail"]
    prospect.refresh_from_db()
    assert prospect.description == "已签约意向书"
    assert prospect.version == 2


def test_api_put_with_a_stale_version_is_refused(officer_a, prospect, api_for):
    url = f"/api/enterprises/{prospect.pk}/"
    prospect.description = "别人改过"
    prospect.save()

    refused = api_for(officer_a).put(
        url, {"name": "北京某某航天有限公司", "owner_team": prospect.owner_team_id, "version": 1}, format="json"
    )

    assert refused.status_code == 409
    assert refused.json()["detail"]
    prospect.refresh_from_db()
    assert prospect.name == "北京某某航空有限公司"


def test_api_update_without_a_version_is_refused(officer_a, prospect, api_for):
    refused = api_for(officer_a).patch(f"/api/enterprises/{prospect.pk}/", {"description": "无版本"}, format="json")

    assert refused.status_code == 400
    assert "version" in refused.json()
    prospect.refresh_from_db()
    assert prospect.description == "初次接触"
    assert prospect.version == 1


def test_api_update_with_a_version_that_is_not_a_number_is_refused(officer_a, prospect, api_for):
    refused = api_for(officer_a).patch(
        f"/api/enterprises/{prospect.pk}/", {"description": "乱写", "version": "latest"}, format="json"
    )

    assert refused.status_code == 400
    assert "version" in refused.json()
    prospect.refresh_from_db()
    assert prospect.description == "初次接触"


def test_api_version_cannot_be_set_by_the_caller(officer_a, prospect, api_for):
    response = api_for(officer_a).patch(
        f"/api/enterprises/{prospect.pk}/", {"description": "正常修改", "version": 1}, format="json"
    )

    assert response.status_code == 200
    prospect.refresh_from_db()
    assert prospect.version == 2
    again = api_for(officer_a).patch(
        f"/api/enterprises/{prospect.pk}/", {"description": "再改", "version": 1}, format="json"
    )
    assert again.status_code == 409


def test_api_create_does_not_need_a_version(officer_a, outpost_a, api_for):
    response = api_for(officer_a).post(
        "/api/enterprises/", {"name": "新建无版本有限公司", "owner_team": outpost_a.pk}, format="json"
    )

    assert response.status_code == 201, response.content
    assert response.json()["version"] == 1


# --- model -------------------------------------------------------------------------------------------------------


def test_saving_a_stale_instance_raises_conflict_error(prospect):
    mine = Enterprise.objects.get(pk=prospect.pk)
    theirs = Enterprise.objects.get(pk=prospect.pk)
    theirs.description = "他们的修改"
    theirs.save()

    mine.description = "我的修改"
    with pytest.raises(ConflictError) as raised:
        mine.save()

    assert raised.value.obj is mine
    prospect.refresh_from_db()
    assert prospect.description == "他们的修改"
    assert prospect.version == 2


def test_each_save_bumps_the_version(prospect):
    assert prospect.version == 1
    prospect.save()
    prospect.save(update_fields=["description"])

    prospect.refresh_from_db()
    assert prospect.version == 3


def test_a_stale_save_with_update_fields_is_refused_too(prospect):
    stale = Enterprise.objects.get(pk=prospect.pk)
    prospect.save()

    stale.description = "只改描述"
    with pytest.raises(ConflictError):
        stale.save(update_fields=["description"])
    prospect.refresh_from_db()
    assert prospect.description == "初次接触"


def test_saving_a_stale_instance_of_a_deleted_record_does_not_bring_it_back(prospect):
    stale = Enterprise.objects.get(pk=prospect.pk)
    prospect.delete()

    stale.description = "删除后才保存的修改"
    with pytest.raises(ConflictError):
        stale.save()

    assert not Enterprise.objects.filter(pk=stale.pk).exists()
