"""Staff keep the landing guides and the policies investors read, under /work/.

Every member of staff reads them. The centre keeps the guides; a policy is kept by the centre, by the bureau
of its district and by the team of its park — anyone else gets 403, an anonymous visitor is sent to log in.
A guide is saved with its steps in one go (steps may trade numbers); a stale form saves nothing; a bad step
names its field and saves nothing; a policy's industries are saved and their change audited.
"""

from datetime import date

import pytest
from django.urls import reverse
from django.utils.translation import gettext as _

from zhaoshang.core.choices import ChangeKind
from zhaoshang.core.models import ChangeRecord
from zhaoshang.core.testing import form_data
from zhaoshang.geo.tests.factories import ParkFactory, district
from zhaoshang.portal.models import Guide, GuideStep, Policy, PolicyIndustry
from zhaoshang.portal.views.content import CONFLICT

GUIDE_LIST = reverse("portal:staff-guide-list")
GUIDE_ADD = reverse("portal:staff-guide-add")
POLICY_LIST = reverse("portal:staff-policy-list")
POLICY_ADD = reverse("portal:staff-policy-add")


def guide_url(guide):
    return reverse("portal:staff-guide-edit", args=[guide.pk])


def policy_url(name, policy):
    return reverse(f"portal:staff-policy-{name}", args=[policy.pk])


@pytest.fixture
def guide(db):
    guide = Guide.objects.create(project_type="industrial", title="工业项目落地指南", title_en="Industrial projects")
    GuideStep.objects.create(guide=guide, order=1, title="项目备案", department="发展和改革局", duration_days=3)
    GuideStep.objects.create(guide=guide, order=2, title="土地出让", department="自然资源局", duration_days=20)
    return guide


@pytest.fixture
def pengjiang_policy(city):
    return Policy.objects.create(
        title="蓬江制造业政策", summary="设备投资补助", region=district("440703"), effective_from=date(2026, 1, 1)
    )


def guide_post(response, steps: list[dict], **changes) -> dict:
    """The guide page's form as the browser sends it back, with ``steps`` as the step forms."""
    data = form_data(response, **changes)
    formset = response.context["formset"]
    initial = formset.initial_form_count()
    data.update(
        {
            "steps-TOTAL_FORMS": str(len(steps)),
            "steps-INITIAL_FORMS": str(initial),
            "steps-MIN_NUM_FORMS": "0",
            "steps-MAX_NUM_FORMS": "1000",
        }
    )
    for i, step in enumerate(steps):
        for name, value in step.items():
            data[f"steps-{i}-{name}"] = value
    return data


def existing_steps(guide) -> list[dict]:
    return [
        {
            "id": step.pk,
            "guide": guide.pk,
            "order": step.order,
            "title": step.title,
            "department": step.department,
            "duration_days": step.duration_days or "",
        }
        for step in guide.steps.order_by("order")
    ]


# --- who may see and change ------------------------------------------------------------------------------------


def test_anonymous_visitor_is_sent_to_log_in(investor, guide, pengjiang_policy):
    for url in (GUIDE_LIST, guide_url(guide), POLICY_LIST, POLICY_ADD, policy_url("edit", pengjiang_policy)):
        response = investor.get(url)
        assert response.status_code == 302 and "/login/" in response["Location"], url


def test_every_member_of_staff_reads_the_lists(client_for, officer_a, guide, pengjiang_policy):
    client = client_for(officer_a)
    assert "工业项目落地指南" in client.get(GUIDE_LIST).content.decode()
    assert "蓬江制造业政策" in client.get(POLICY_LIST).content.decode()


def test_only_the_centre_changes_guides(client_for, officer_a, district_officer, leader, guide):
    for user in (officer_a, district_officer, leader):
        client = client_for(user)
        assert client.get(guide_url(guide)).status_code == 403
        assert client.get(GUIDE_ADD).status_code == 403
        assert client.post(guide_url(guide), {"title": "改"}).status_code == 403
    guide.refresh_from_db()
    assert guide.title == "工业项目落地指南"


def test_an_outpost_cannot_change_a_district_policy(client_for, officer_a, leader, pengjiang_policy):
    for user in (officer_a, leader):
        client = client_for(user)
        assert client.get(policy_url("edit", pengjiang_policy)).status_code == 403
        assert client.post(policy_url("delete", pengjiang_policy)).status_code == 403
        assert client.get(POLICY_ADD).status_code == 403
    assert Policy.objects.get(pk=pengjiang_policy.pk).title == "蓬江制造业政策"


def test_a_district_bureau_keeps_its_own_district_policies_only(client_for, district_officer, pengjiang_policy):
    client = client_for(district_officer)
    page = client.get(policy_url("edit", pengjiang_policy))
    response = client.post(policy_url("edit", pengjiang_policy), form_data(page, title="蓬江先进制造业政策"))
    assert response.status_code == 302
    assert Policy.objects.get(pk=pengjiang_policy.pk).title == "蓬江先进制造业政策"

    # It cannot move the policy to another district, nor publish one for the whole city.
    page = client.get(policy_url("edit", pengjiang_policy))
    response = client.post(policy_url("edit", pengjiang_policy), form_data(page, region=district("440705").pk))
    assert response.status_code == 200
    assert response.context["form"].errors["region"] == [
        _("You can only keep policies of your own district or of parks your team is responsible for.")
    ]
    page = client.get(POLICY_ADD)
    data = form_data(page, title="全市政策", summary="…", effective_from="2026-02-01", region="")
    response = client.post(POLICY_ADD, data)
    assert response.status_code == 200 and not Policy.objects.filter(title="全市政策").exists()
    assert Policy.objects.get(pk=pengjiang_policy.pk).region.adcode == "440703"


def test_a_parks_team_keeps_the_parks_policies(client_for, officer_a, outpost_a, city):
    park = ParkFactory(name="北京合作园", team=outpost_a)
    policy = Policy.objects.create(title="园区政策", summary="…", park=park, effective_from=date(2026, 1, 1))
    client = client_for(officer_a)
    page = client.get(policy_url("edit", policy))
    assert client.post(policy_url("edit", policy), form_data(page, issuer="园区管委会")).status_code == 302
    assert Policy.objects.get(pk=policy.pk).issuer == "园区管委会"


# --- policies ---------------------------------------------------------------------------------------------------


def test_centre_adds_a_policy_with_industries_and_the_portal_shows_it(client_for, centre_officer, investor, city):
    client = client_for(centre_officer)
    page = client.get(POLICY_ADD)
    data = form_data(
        page,
        title="新能源电池产业扶持",
        title_en="New-energy battery support",
        summary="固定资产投资奖励",
        effective_from="2026-01-01",
        industry_codes=["38", "39"],
    )
    response = client.post(POLICY_ADD, data)
    assert response.status_code == 302, response.context["form"].errors if response.context else ""
    policy = Policy.objects.get(title="新能源电池产业扶持")
    assert sorted(PolicyIndustry.objects.filter(policy=policy).values_list("code", flat=True)) == ["38", "39"]
    assert ChangeRecord.objects.filter(object_id=str(policy.pk), action=ChangeKind.CREATE).exists()
    assert "新能源电池产业扶持" in investor.get(reverse("portal:policy-list")).content.decode()

    page = client.get(policy_url("edit", policy))
    assert client.post(policy_url("edit", policy), form_data(page, industry_codes=["38"])).status_code == 302
    record = ChangeRecord.objects.filter(object_id=str(policy.pk), action=ChangeKind.UPDATE).latest("pk")
    assert record.before == {"industries": ["38", "39"]} and record.after == {"industries": ["38"]}


def test_a_bad_policy_names_its_field_and_saves_nothing(client_for, centre_officer, pengjiang_policy):
    client = client_for(centre_officer)
    page = client.get(policy_url("edit", pengjiang_policy))
    data = form_data(page, effective_to="2025-01-01", industry_codes=["99"])
    response = client.post(policy_url("edit", pengjiang_policy), data)
    errors = response.context["form"].errors
    assert "effective_to" in errors and "industry_codes" in errors
    # What was typed is shown again.
    assert 'value="2025-01-01"' in response.content.decode()
    pengjiang_policy.refresh_from_db()
    assert pengjiang_policy.effective_to is None


def test_a_policy_edited_by_two_people_keeps_the_first_save(
    client_for, centre_officer, district_officer, pengjiang_policy
):
    first, second = client_for(centre_officer), client_for(district_officer)
    page_1 = first.get(policy_url("edit", pengjiang_policy))
    page_2 = second.get(policy_url("edit", pengjiang_policy))
    assert first.post(policy_url("edit", pengjiang_policy), form_data(page_1, issuer="市政府")).status_code == 302
    response = second.post(policy_url("edit", pengjiang_policy), form_data(page_2, issuer="区政府"))
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        _(
            "Someone else changed this record after you opened it. Nothing was saved: "
            "reload the page to see their change, then make yours again."
        )
    ]
    assert Policy.objects.get(pk=pengjiang_policy.pk).issuer == "市政府"


# --- guides -----------------------------------------------------------------------------------------------------


def test_centre_edits_a_guide_with_its_steps_and_steps_may_trade_numbers(client_for, centre_officer, guide):
    client = client_for(centre_officer)
    page = client.get(guide_url(guide))
    steps = existing_steps(guide)
    steps[0]["order"], steps[1]["order"] = 2, 1  # 土地出让 first now
    steps.append({"order": 3, "title": "施工许可", "department": "住房和城乡建设局", "duration_days": 5})
    response = client.post(guide_url(guide), guide_post(page, steps, title="工业项目落地指南（2026）"))
    assert response.status_code == 302, response.context["formset"].errors if response.context else ""
    guide.refresh_from_db()
    assert guide.title == "工业项目落地指南（2026）"
    assert list(guide.steps.values_list("order", "title")) == [(1, "土地出让"), (2, "项目备案"), (3, "施工许可")]
    assert guide.total_days == 28
    # The change records show each number as it was and as it is, never the move out of the way.
    filing = guide.steps.get(title="项目备案")
    record = ChangeRecord.objects.filter(object_id=str(filing.pk), content_type__model="guidestep").latest("pk")
    assert record.before == {"order": 1} and record.after == {"order": 2}


def test_a_step_is_deleted_and_the_public_guide_follows(client_for, centre_officer, investor, guide):
    client = client_for(centre_officer)
    page = client.get(guide_url(guide))
    steps = existing_steps(guide)
    steps[1]["DELETE"] = "on"
    assert client.post(guide_url(guide), guide_post(page, steps)).status_code == 302
    assert list(guide.steps.values_list("title", flat=True)) == ["项目备案"]
    public = investor.get(guide.get_absolute_url()).content.decode()
    assert "项目备案" in public and "土地出让" not in public


def test_two_steps_with_one_number_are_refused_and_nothing_changes(client_for, centre_officer, guide):
    client = client_for(centre_officer)
    page = client.get(guide_url(guide))
    steps = existing_steps(guide)
    steps[1]["order"] = 1
    steps[0]["title"] = "项目备案（改）"
    response = client.post(guide_url(guide), guide_post(page, steps))
    assert response.status_code == 200
    assert response.context["formset"].forms[1].errors["order"] == [
        _("Step %(order)s appears twice: give each step its own number.") % {"order": 1}
    ]
    assert 'value="项目备案（改）"' in response.content.decode()  # what was typed stays on the page
    assert list(guide.steps.values_list("order", "title")) == [(1, "项目备案"), (2, "土地出让")]


def test_a_step_without_a_department_names_the_field(client_for, centre_officer, guide):
    client = client_for(centre_officer)
    page = client.get(guide_url(guide))
    steps = [*existing_steps(guide), {"order": 3, "title": "环评审批", "department": ""}]
    response = client.post(guide_url(guide), guide_post(page, steps))
    assert "department" in response.context["formset"].forms[2].errors
    assert guide.steps.count() == 2


def test_a_guide_edited_by_two_people_keeps_the_first_save(client_for, centre_officer, admin_user, guide):
    first, second = client_for(centre_officer), client_for(admin_user)
    page_1, page_2 = first.get(guide_url(guide)), second.get(guide_url(guide))
    steps_1, steps_2 = existing_steps(guide), existing_steps(guide)
    steps_1[0]["duration_days"] = 2
    steps_2[1]["duration_days"] = 30
    assert first.post(guide_url(guide), guide_post(page_1, steps_1)).status_code == 302
    response = second.post(guide_url(guide), guide_post(page_2, steps_2))
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [str(CONFLICT)]
    assert list(guide.steps.values_list("duration_days", flat=True)) == [2, 20]


def test_centre_adds_a_guide_for_a_project_type(client_for, centre_officer, investor, guide):
    client = client_for(centre_officer)
    page = client.get(GUIDE_ADD)
    steps = [{"order": 1, "title": "仓储用地选址", "department": "自然资源局", "duration_days": 10}]
    data = guide_post(page, steps, project_type="logistics", title="物流项目落地指南", title_en="Logistics projects")
    assert client.post(GUIDE_ADD, data).status_code == 302
    logistics = Guide.objects.get(project_type="logistics")
    assert list(logistics.steps.values_list("title", flat=True)) == ["仓储用地选址"]
    assert "仓储用地选址" in investor.get(logistics.get_absolute_url()).content.decode()
    # A second guide for the same project type is refused on its field.
    page = client.get(GUIDE_ADD)
    response = client.post(GUIDE_ADD, guide_post(page, steps, project_type="industrial", title="重复"))
    assert "project_type" in response.context["form"].errors
