"""Every create, update and delete of a business record leaves a change record.

A change record says who (user and user name), in which request (the id sent
back in the X-Request-ID header), what (create, update, delete) and the values
before and after: only the changed fields on update, the whole record on
delete. Many-to-many changes (tags) are recorded too; work done outside a
request is attributed with ``acting_as``. Secrets never reach the log.
"""

from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from zhaoshang.accounts.models import User
from zhaoshang.core.choices import ChangeKind
from zhaoshang.core.context import acting_as
from zhaoshang.core.models import ChangeRecord
from zhaoshang.core.testing import form_data
from zhaoshang.industry.models import Enterprise, EnterpriseTag
from zhaoshang.industry.tests.factories import EnterpriseFactory

ADD_URL = reverse("industry:enterprise-add")
API_LIST_URL = "/api/enterprises/"


def records_of(obj, model=None):
    """The change records of one object, oldest first."""
    content_type = ContentType.objects.get_for_model(model or type(obj))
    return list(ChangeRecord.objects.filter(content_type=content_type, object_id=str(obj.pk)).order_by("time", "pk"))


@pytest.fixture
def prospect(outpost_a):
    return EnterpriseFactory(name="北京某某半导体有限公司", owner_team=outpost_a)


# --- through the web form ----------------------------------------------------------------------------------------


def test_creating_on_the_page_records_user_request_and_values(officer_a, outpost_a, client_for):
    response = client_for(officer_a).post(
        ADD_URL,
        {"name": "北京某某光电股份有限公司", "owner_team": outpost_a.pk, "hq_country": "中国"},
        HTTP_X_REQUEST_ID="page-create-0001",
    )

    assert response.status_code == 302
    created = Enterprise.objects.get(name="北京某某光电股份有限公司")
    [record] = records_of(created)
    assert record.action == ChangeKind.CREATE
    assert record.user == officer_a
    assert record.user_name == "officer_a"
    assert record.request_id == response["X-Request-ID"] == "page-create-0001"
    assert record.before is None
    assert record.after["name"] == "北京某某光电股份有限公司"
    assert record.after["normalized_name"] == "北京某某光电"
    assert record.after["owner_team_id"] == outpost_a.pk
    assert record.after["created_by_id"] == officer_a.pk


def test_a_request_without_an_id_gets_one_that_the_record_carries(officer_a, outpost_a, client_for):
    response = client_for(officer_a).post(ADD_URL, {"name": "无编号请求有限公司", "owner_team": outpost_a.pk})

    [record] = records_of(Enterprise.objects.get(name="无编号请求有限公司"))
    assert len(response["X-Request-ID"]) >= 8
    assert record.request_id == response["X-Request-ID"]


def test_updating_on_the_page_records_only_the_changed_fields(officer_a, prospect, client_for):
    client = client_for(officer_a)
    form_page = client.get(reverse("industry:enterprise-edit", args=[prospect.pk]))

    response = client.post(
        reverse("industry:enterprise-edit", args=[prospect.pk]), form_data(form_page, name="北京某某芯片有限公司")
    )

    assert response.status_code == 302, response.context["form"].errors if response.context else response
    create, update = records_of(prospect)
    assert create.action == ChangeKind.CREATE
    assert update.action == ChangeKind.UPDATE
    assert update.user == officer_a
    assert update.user_name == "officer_a"
    assert update.request_id == response["X-Request-ID"]
    assert sorted(update.changed_fields) == ["name", "normalized_name"]
    assert update.before == {"name": "北京某某半导体有限公司", "normalized_name": "北京某某半导体"}
    assert update.after == {"name": "北京某某芯片有限公司", "normalized_name": "北京某某芯片"}


def test_saving_the_page_without_changes_records_nothing(officer_a, prospect, client_for):
    client = client_for(officer_a)
    form_page = client.get(reverse("industry:enterprise-edit", args=[prospect.pk]))

    response = client.post(reverse("industry:enterprise-edit", args=[prospect.pk]), form_data(form_page))

    assert response.status_code == 302
    assert [r.action for r in records_of(prospect)] == [ChangeKind.CREATE]


def test_retyping_the_same_registered_capital_records_no_change(officer_a, outpost_a, client_for):
    enterprise = EnterpriseFactory(owner_team=outpost_a, registered_capital=Decimal("100.00"))
    client = client_for(officer_a)
    url = reverse("industry:enterprise-edit", args=[enterprise.pk])

    response = client.post(url, form_data(client.get(url), registered_capital="100"))

    assert response.status_code == 302
    assert [r.action for r in records_of(enterprise)] == [ChangeKind.CREATE]


def test_deleting_on_the_page_keeps_the_whole_record_as_it_was(officer_a, prospect, client_for):
    pk = prospect.pk
    response = client_for(officer_a).post(reverse("industry:enterprise-delete", args=[pk]))

    assert response.status_code == 302
    assert not Enterprise.objects.filter(pk=pk).exists()
    record = ChangeRecord.objects.get(action=ChangeKind.DELETE, object_id=str(pk))
    assert record.user == officer_a
    assert record.request_id == response["X-Request-ID"]
    assert record.after is None
    assert record.object_repr == "北京某某半导体有限公司"
    assert record.before["name"] == "北京某某半导体有限公司"
    assert record.before["uscc"] == prospect.uscc
    assert record.before["owner_team_id"] == prospect.owner_team_id
    assert record.before["industry_id"] == prospect.industry_id
    assert record.before["id"] == pk
    assert {"hq_country", "registered_capital", "website", "description", "created"} <= set(record.before)


def test_tag_changes_on_the_page_are_recorded(officer_a, prospect, client_for):
    listed = EnterpriseTag.objects.get(slug="listed")
    client = client_for(officer_a)
    form_page = client.get(reverse("industry:enterprise-edit", args=[prospect.pk]))

    client.post(reverse("industry:enterprise-edit", args=[prospect.pk]), form_data(form_page, tags=[str(listed.pk)]))

    tag_records = [r for r in records_of(prospect) if r.changed_fields == ["tags"]]
    assert len(tag_records) == 1
    assert tag_records[0].action == ChangeKind.UPDATE
    assert tag_records[0].user == officer_a
    assert tag_records[0].before == {"tags": []}
    assert tag_records[0].after == {"tags": [listed.pk]}


# --- through the API ---------------------------------------------------------------------------------------------


def test_creating_over_the_api_records_the_token_user_and_request(officer_a, outpost_a, api_for):
    response = api_for(officer_a).post(
        API_LIST_URL,
        {"name": "北京某某软件有限公司", "owner_team": outpost_a.pk, "tags": ["high-tech"]},
        format="json",
        HTTP_X_REQUEST_ID="api-create-0001",
    )

    assert response.status_code == 201, response.content
    created = Enterprise.objects.get(pk=response.json()["id"])
    records = records_of(created)
    assert records[0].action == ChangeKind.CREATE
    assert records[0].after["name"] == "北京某某软件有限公司"
    for record in records:
        assert record.user == officer_a
        assert record.user_name == "officer_a"
        assert record.request_id == response["X-Request-ID"] == "api-create-0001"
    tag_record = next(r for r in records if r.changed_fields == ["tags"])
    assert tag_record.after == {"tags": [EnterpriseTag.objects.get(slug="high-tech").pk]}


def test_updating_over_the_api_records_only_the_changed_fields(officer_a, prospect, api_for):
    response = api_for(officer_a).patch(
        f"/api/enterprises/{prospect.pk}/", {"name": "北京某某存储有限公司", "version": prospect.version}, format="json"
    )

    assert response.status_code == 200, response.content
    update = records_of(prospect)[-1]
    assert update.action == ChangeKind.UPDATE
    assert update.user == officer_a
    assert update.request_id == response["X-Request-ID"]
    assert update.before == {"name": "北京某某半导体有限公司", "normalized_name": "北京某某半导体"}
    assert update.after == {"name": "北京某某存储有限公司", "normalized_name": "北京某某存储"}


def test_tag_changes_over_the_api_are_recorded(officer_a, prospect, api_for):
    foreign = EnterpriseTag.objects.get(slug="foreign")
    listed = EnterpriseTag.objects.get(slug="listed")
    api = api_for(officer_a)
    url = f"/api/enterprises/{prospect.pk}/"

    first = api.patch(url, {"tags": ["foreign", "listed"], "version": 1}, format="json")
    second = api.patch(url, {"tags": ["listed"], "version": first.json()["version"]}, format="json")

    assert second.status_code == 200, second.content
    tag_records = [r for r in records_of(prospect) if r.changed_fields == ["tags"]]
    assert [(r.before, r.after) for r in tag_records] == [
        ({"tags": []}, {"tags": sorted([foreign.pk, listed.pk])}),
        ({"tags": sorted([foreign.pk, listed.pk])}, {"tags": [listed.pk]}),
    ]
    assert tag_records[-1].request_id == second["X-Request-ID"]


def test_deleting_over_the_api_keeps_the_whole_record_as_it_was(officer_a, prospect, api_for):
    pk = prospect.pk
    response = api_for(officer_a).delete(f"/api/enterprises/{pk}/")

    assert response.status_code == 204
    record = ChangeRecord.objects.get(action=ChangeKind.DELETE, object_id=str(pk))
    assert record.user == officer_a
    assert record.user_name == "officer_a"
    assert record.request_id == response["X-Request-ID"]
    assert record.before["name"] == "北京某某半导体有限公司"
    assert record.before["uscc"] == prospect.uscc
    assert record.after is None


def test_a_refused_change_records_nothing(officer_b, prospect, api_for):
    before = ChangeRecord.objects.count()

    assert api_for(officer_b).patch(f"/api/enterprises/{prospect.pk}/", {"name": "x", "version": 1}).status_code == 404
    assert api_for(officer_b).delete(f"/api/enterprises/{prospect.pk}/").status_code == 404

    assert ChangeRecord.objects.count() == before


# --- outside a request -------------------------------------------------------------------------------------------


def test_changes_made_while_acting_as_a_user_are_attributed_to_them(centre_officer):
    with acting_as(centre_officer, request_id="import-2026-0001"):
        enterprise = EnterpriseFactory(name="导入某某有限公司")
        enterprise.name = "导入某某（江门）有限公司"
        enterprise.save()

    create, update = records_of(enterprise)
    for record in (create, update):
        assert record.user == centre_officer
        assert record.user_name == "centre_officer"
        assert record.request_id == "import-2026-0001"
    assert enterprise.created_by == centre_officer
    assert update.after == {"name": "导入某某（江门）有限公司"}


def test_changes_made_outside_any_request_or_actor_are_still_recorded(db):
    enterprise = EnterpriseFactory(name="无人某某有限公司")

    [record] = records_of(enterprise)
    assert record.user is None
    assert record.user_name == ""
    assert record.action == ChangeKind.CREATE


def test_each_acting_as_block_gets_its_own_request_id(centre_officer):
    with acting_as(centre_officer):
        first = EnterpriseFactory()
    with acting_as(centre_officer):
        second = EnterpriseFactory()

    first_id = records_of(first)[0].request_id
    second_id = records_of(second)[0].request_id
    assert first_id and second_id and first_id != second_id


# --- history page and audit log ----------------------------------------------------------------------------------


def history_url(obj):
    return reverse("core:object-history", args=[ContentType.objects.get_for_model(type(obj)).pk, obj.pk])


def test_history_page_shows_the_records_to_someone_who_can_see_the_object(officer_a, prospect, api_for, client_for):
    api_for(officer_a).patch(f"/api/enterprises/{prospect.pk}/", {"name": "北京某某改名有限公司", "version": 1})

    response = client_for(officer_a).get(history_url(prospect))

    assert response.status_code == 200
    page = response.content.decode()
    assert "北京某某半导体有限公司" in page
    assert "北京某某改名有限公司" in page
    assert "officer_a" in page
    assert len(response.context["records"]) == 2


def test_history_page_is_404_for_an_officer_of_another_outpost(officer_b, prospect, client_for):
    assert client_for(officer_b).get(history_url(prospect)).status_code == 404


def test_history_page_sends_the_anonymous_to_login(investor, prospect):
    response = investor.get(history_url(prospect))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_history_of_a_deleted_record_is_for_administrators_only(officer_a, admin_user, prospect, client_for):
    url = history_url(prospect)
    client_for(officer_a).post(reverse("industry:enterprise-delete", args=[prospect.pk]))

    assert client_for(officer_a).get(url).status_code == 404
    response = client_for(admin_user).get(url)
    assert response.status_code == 200
    assert "北京某某半导体有限公司" in response.content.decode()


def test_audit_log_is_forbidden_to_an_officer(officer_a, client_for):
    assert client_for(officer_a).get(reverse("core:audit-log")).status_code == 403


def test_audit_log_shows_every_change_to_an_administrator(admin_user, officer_a, prospect, client_for, api_for):
    response = api_for(officer_a).patch(f"/api/enterprises/{prospect.pk}/", {"name": "审计可见有限公司", "version": 1})

    log = client_for(admin_user).get(reverse("core:audit-log"))
    by_request = client_for(admin_user).get(reverse("core:audit-log"), {"request_id": response["X-Request-ID"]})

    assert log.status_code == 200
    assert "审计可见有限公司" in log.content.decode()
    assert [r.request_id for r in by_request.context["object_list"]] == [response["X-Request-ID"]]


# --- secrets -----------------------------------------------------------------------------------------------------


def test_the_password_hash_never_reaches_the_audit_log(officer_a, client_for):
    user = User.objects.get(pk=officer_a.pk)
    with acting_as(user):
        user.set_password("a-new-secret-2026")
        user.full_name = "改了名字的专员"
        user.save()
    client_for(user).post(reverse("accounts:profile"), {"full_name": "又改名字", "email": "a@example.cn", "phone": ""})
    user.refresh_from_db()
    assert user.check_password("a-new-secret-2026")

    records = records_of(user, User)
    assert records, "the user model is audited"
    for record in records:
        for values in (record.before or {}, record.after or {}):
            assert "password" not in values
            assert user.password not in str(values)
            assert not any(str(v).startswith(("pbkdf2_", "argon2", "bcrypt", "md5$")) for v in values.values())
        assert "password" not in record.changed_fields
    assert any(r.after and r.after.get("full_name") == "改了名字的专员" for r in records)
    assert user.password not in str(list(ChangeRecord.objects.values_list("before", "after")))


def test_a_file_field_is_recorded_by_its_stored_name():
    from django.db import models
    from django.test.utils import isolate_apps

    from zhaoshang.core.audit import snapshot

    with isolate_apps("zhaoshang.core"):  # not left among the app's models (a backup would look for its table)

        class WithFile(models.Model):
            file = models.FileField(upload_to="x/")

            class Meta:
                app_label = "core"
                managed = False

            def __str__(self):
                return self.file.name

    assert snapshot(WithFile(pk=1, file="projects/1/协议.pdf"))["file"] == "projects/1/协议.pdf"
    assert snapshot(WithFile(pk=2))["file"] == ""
