"""Personal data of inquiries: consent on the form and the API, retention and anonymisation (docs/privacy.md)."""

import json
from datetime import date, datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command
from django.core.serializers.json import DjangoJSONEncoder
from django.urls import reverse
from django.utils import translation
from rest_framework.test import APIClient

from zhaoshang.core.audit import snapshot as audit_snapshot
from zhaoshang.core.choices import ChangeKind
from zhaoshang.core.models import ChangeRecord
from zhaoshang.geo.tests.factories import CarrierFactory
from zhaoshang.portal.forms.inquiries import InquiryForm
from zhaoshang.portal.models import Inquiry
from zhaoshang.portal.services.inquiries import accept_inquiry, dismiss_inquiry, submit_inquiry
from zhaoshang.portal.services.privacy import MARKER, anonymise_expired, export_person
from zhaoshang.portal.tasks import ANONYMISE_INQUIRIES
from zhaoshang.portal.tests.factories import TYPED_INQUIRY
from zhaoshang.stats import services as stats
from zhaoshang.stats.metrics import METRICS
from zhaoshang.stats.periods import Period

SHANGHAI = ZoneInfo("Asia/Shanghai")
API = "/api/portal/inquiries/"
WITHOUT_CONSENT = {name: value for name, value in TYPED_INQUIRY.items() if name != "consent"}


@pytest.fixture
def site(city, outpost_a):
    return CarrierFactory(team=outpost_a)


# ---------------------------------------------------------------- consent


def test_the_form_states_the_purpose_and_the_retention_period_and_asks_for_consent(investor, site, settings):
    settings.ZHAOSHANG_INQUIRY_RETENTION_DAYS = 365

    html = investor.get(reverse("portal:inquire"), {"carrier": site.pk}, HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "to answer your inquiry and to follow up the investment" in html
    assert "kept for 365 days and then anonymised" in html
    assert 'name="consent" class="form-check-input" required id="inquiry_consent"' in html


def test_the_form_without_consent_is_refused_naming_the_box_and_saves_nothing(investor, site):
    with translation.override("en"):
        response = investor.post(
            reverse("portal:inquire"), {**WITHOUT_CONSENT, "carrier": site.pk}, HTTP_ACCEPT_LANGUAGE="en"
        )

    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-field="consent"' in html and "Tick the consent box" in html
    assert not Inquiry.objects.exists()


@pytest.mark.parametrize("consent", [None, False])
def test_the_api_without_consent_is_refused_naming_the_field_and_saves_nothing(investor, site, consent):
    body = {**WITHOUT_CONSENT, "carrier": site.pk}
    if consent is not None:
        body["consent"] = consent

    response = APIClient().post(API, body, format="json", HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 400
    assert "consent" in response.json()
    assert not Inquiry.objects.exists()


def test_an_inquiry_records_when_consent_was_given(site):
    received = datetime(2026, 3, 6, 10, 0, tzinfo=SHANGHAI)
    form = InquiryForm(data=TYPED_INQUIRY)
    assert form.is_valid(), form.errors

    inquiry = submit_inquiry(form.cleaned_data, carrier=site, language="zh-hans", received=received)

    assert Inquiry.objects.get(pk=inquiry.pk).consent_at == received


def test_the_api_with_consent_true_saves_the_inquiry_with_its_consent_time(site):
    response = APIClient().post(API, {**TYPED_INQUIRY, "consent": True, "carrier": site.pk}, format="json")

    assert response.status_code == 201
    assert Inquiry.objects.get().consent_at is not None


def test_the_api_schema_documents_consent_as_required(staff_client_for_schema):
    schema = staff_client_for_schema.get("/api/schema/", {"format": "json"}).json()
    submit = next(body for name, body in schema["components"]["schemas"].items() if name.startswith("InquirySubmit"))

    assert "consent" in submit["required"]
    assert submit["properties"]["consent"]["type"] == "boolean"


@pytest.fixture
def staff_client_for_schema(client_for, officer_a):
    return client_for(officer_a)


# ---------------------------------------------------------------- retention

RECEIVED = datetime(2025, 11, 3, 10, 0, tzinfo=SHANGHAI)
TODAY = date(2028, 3, 10)  # with 730 days kept, inquiries decided before 11 March 2026 are past retention


def inquiry_from(company, phone, email, name, site):
    form = InquiryForm(data={**TYPED_INQUIRY, "company": company, "phone": phone, "email": email, "contact_name": name})
    assert form.is_valid(), form.errors
    inquiry = submit_inquiry(form.cleaned_data, carrier=site, language="zh-hans", received=RECEIVED)
    Inquiry.objects.filter(pk=inquiry.pk).update(created=RECEIVED)
    inquiry.refresh_from_db()
    return inquiry


@pytest.fixture
def inquiries(site, officer_a, settings):
    settings.ZHAOSHANG_INQUIRY_RETENTION_DAYS = 730
    accepted_long_ago = inquiry_from("远洋储能有限公司", "13800000001", "li@yuanyang.example.cn", "李先生", site)
    accept_inquiry(accepted_long_ago, officer_a, now=datetime(2026, 3, 10, 23, 30, tzinfo=SHANGHAI))
    dismissed_long_ago = inquiry_from("推销广告公司", "13800000002", "ad@spam.example.cn", "赵推销", site)
    dismiss_inquiry(dismissed_long_ago, officer_a, "spam", "Advertising", now=datetime(2026, 1, 5, tzinfo=SHANGHAI))
    kept_last_day = inquiry_from("近海电池有限公司", "13800000003", "zhou@jinhai.example.cn", "周女士", site)
    accept_inquiry(kept_last_day, officer_a, now=datetime(2026, 3, 11, 0, 30, tzinfo=SHANGHAI))
    undecided = inquiry_from("内陆材料有限公司", "13800000004", "wu@neilu.example.cn", "吴先生", site)
    return {
        "accepted_long_ago": accepted_long_ago,
        "dismissed_long_ago": dismissed_long_ago,
        "kept_last_day": kept_last_day,
        "undecided": undecided,
    }


def inquiry_figures():
    period = Period.quarter(2025, 4)
    figures = stats.compute(["inquiries"], period, group="team")["inquiries"]
    drilled = sorted(r.pk for r in stats.drill_records(METRICS["inquiries"], period))
    return figures.value, [(g.key, g.value) for g in figures.groups], drilled


def history_text(inquiry) -> str:
    content_type = ContentType.objects.get_for_model(Inquiry)
    records = ChangeRecord.objects.filter(content_type=content_type, object_id=str(inquiry.pk))
    assert records.exists()
    return json.dumps([[r.object_repr, r.before, r.after] for r in records], ensure_ascii=False, cls=DjangoJSONEncoder)


def test_exactly_the_closed_inquiries_past_retention_are_anonymised_and_the_figures_stay(inquiries):
    before = {key: Inquiry.objects.get(pk=i.pk) for key, i in inquiries.items()}
    figures_before = inquiry_figures()

    assert anonymise_expired(TODAY) == 2

    after = {key: Inquiry.objects.get(pk=i.pk) for key, i in inquiries.items()}
    for key in ("accepted_long_ago", "dismissed_long_ago"):
        inquiry = after[key]
        assert inquiry.anonymised_at is not None
        assert (inquiry.contact_name, inquiry.phone, inquiry.email, inquiry.message) == (MARKER, "", "", MARKER)
        kept = ("company", "team_id", "status", "created", "region_id", "carrier_id", "lead_id", "investment_wan")
        assert [getattr(inquiry, n) for n in kept] == [getattr(before[key], n) for n in kept]
    for key in ("kept_last_day", "undecided"):
        assert after[key].anonymised_at is None
        assert (after[key].contact_name, after[key].phone) == (before[key].contact_name, before[key].phone)
    assert inquiry_figures() == figures_before


def test_anonymising_scrubs_the_inquirys_change_records(inquiries):
    inquiry = inquiries["accepted_long_ago"]
    assert "13800000001" in history_text(inquiry)

    anonymise_expired(TODAY)

    text = history_text(inquiry)
    for value in ("13800000001", "li@yuanyang.example.cn", "李先生", TYPED_INQUIRY["message"]):
        assert value not in text
    assert "周女士" in history_text(inquiries["kept_last_day"])  # others' history untouched


def test_anonymising_twice_changes_nothing_more(inquiries):
    anonymise_expired(TODAY)
    versions = list(Inquiry.objects.order_by("pk").values_list("version", flat=True))

    assert anonymise_expired(TODAY) == 0
    assert list(Inquiry.objects.order_by("pk").values_list("version", flat=True)) == versions


def test_the_command_anonymises_as_on_the_date_given(inquiries):
    out = StringIO()
    call_command("anonymise_inquiries", date="2028-03-10", stdout=out)

    assert out.getvalue().strip() == "2 anonymised"
    assert Inquiry.objects.filter(anonymised_at__isnull=False).count() == 2
    with pytest.raises(CommandError):
        call_command("anonymise_inquiries", date="10/03/2028")


def test_the_periodic_task_is_scheduled(settings):
    assert ANONYMISE_INQUIRIES in {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}


# ---------------------------------------------------------------- one person's request

PERSON = {"phone": "+86 139-2222-3333", "email": "Chen.Jie@haiyun.example.cn", "contact_name": "陈杰"}


@pytest.fixture
def person(site, officer_a):
    """陈杰's two inquiries (one accepted: he is now its lead's contact) beside another investor's."""
    accepted = inquiry_from("海运装备有限公司", PERSON["phone"], PERSON["email"], PERSON["contact_name"], site)
    lead = accept_inquiry(accepted, officer_a, now=datetime(2025, 11, 4, tzinfo=SHANGHAI))
    later = inquiry_from("海运装备有限公司", "13922223333", "", "陈先生", site)
    other = inquiry_from("近海电池有限公司", "13800000003", "zhou@jinhai.example.cn", "周女士", site)
    return {"inquiries": [accepted, later], "contact": lead.contacts.get(), "other": other}


def personal_records_text(objects) -> str:
    """The rows and change records of ``objects``, as text."""
    parts = []
    for obj in objects:
        obj.refresh_from_db()
        parts.append(json.dumps(audit_snapshot(obj), ensure_ascii=False, cls=DjangoJSONEncoder))
        content_type = ContentType.objects.get_for_model(type(obj))
        for record in ChangeRecord.objects.filter(content_type=content_type, object_id=str(obj.pk)):
            parts.append(json.dumps([record.object_repr, record.before, record.after], cls=DjangoJSONEncoder))
    return "\n".join(parts)


def requests_audited():
    return ChangeRecord.objects.filter(action=ChangeKind.PERSONAL_DATA)


def test_a_person_who_is_not_an_administrator_can_neither_see_nor_use_the_request_page(client_for, officer_a, person):
    client = client_for(officer_a)

    assert client.get(reverse("portal:personal-data")).status_code == 403
    response = client.post(reverse("portal:personal-data"), {"phone": PERSON["phone"], "action": "erase"})
    assert response.status_code == 403
    with pytest.raises(PermissionDenied):
        export_person(officer_a, phone=PERSON["phone"])
    assert Inquiry.objects.filter(anonymised_at__isnull=False).count() == 0
    assert not requests_audited().exists()


def test_the_export_lists_exactly_that_persons_records_and_is_audited_without_the_data(admin_user, person):
    data = export_person(admin_user, phone="13922223333")

    assert [row["id"] for row in data["inquiries"]] == [i.pk for i in person["inquiries"]]
    assert [row["id"] for row in data["contacts"]] == [person["contact"].pk]
    assert data["inquiries"][0]["email"] == PERSON["email"] and data["contacts"][0]["name"] == PERSON["contact_name"]
    record = requests_audited().get()
    assert record.user == admin_user
    assert record.after["inquiries"] == [i.pk for i in person["inquiries"]] and record.after["criteria"] == ["phone"]
    assert "2222" not in json.dumps(record.after) and "2222" not in record.object_repr


def test_the_export_by_email_ignores_letter_case(admin_user, person):
    data = export_person(admin_user, email="chen.jie@HAIYUN.example.cn")

    assert [row["id"] for row in data["inquiries"]] == [person["inquiries"][0].pk]


def test_erasing_leaves_no_trace_of_the_phone_or_email_in_the_records_or_their_history(client_for, admin_user, person):
    mine = [*person["inquiries"], person["contact"]]
    assert "2222" in personal_records_text(mine)

    response = client_for(admin_user).post(
        reverse("portal:personal-data"),
        {"phone": PERSON["phone"], "email": PERSON["email"], "action": "erase", "confirm_erase": "on"},
    )

    assert response.status_code == 200
    text = personal_records_text(mine)
    for value in ("2222", "3333", "chen.jie", "Chen.Jie", PERSON["contact_name"]):
        assert value not in text
    assert all(i.anonymised_at is not None for i in person["inquiries"])
    assert "周女士" in personal_records_text([person["other"]])  # another investor is untouched
    record = requests_audited().get()
    assert record.user == admin_user and record.after["request"] == "erase"
    assert record.after["contacts"] == [person["contact"].pk]
    assert "2222" not in json.dumps(record.after)


def test_erasing_from_the_page_needs_the_confirmation(client_for, admin_user, person):
    response = client_for(admin_user).post(
        reverse("portal:personal-data"), {"phone": PERSON["phone"], "action": "erase"}
    )

    assert response.status_code == 400 and 'data-field="confirm_erase"' in response.content.decode()
    assert Inquiry.objects.filter(anonymised_at__isnull=False).count() == 0


def test_the_page_downloads_the_export_as_json(client_for, admin_user, person):
    response = client_for(admin_user).post(
        reverse("portal:personal-data"), {"email": PERSON["email"], "action": "export"}
    )

    assert response.status_code == 200 and response["Content-Type"].startswith("application/json")
    assert [row["id"] for row in json.loads(response.content)["contacts"]] == [person["contact"].pk]


def test_the_command_exports_and_erases_as_the_administrator_named(admin_user, officer_a, person):
    out = StringIO()
    call_command("personal_data", user=admin_user.username, phone=PERSON["phone"], stdout=out)
    assert [row["id"] for row in json.loads(out.getvalue())["inquiries"]] == [i.pk for i in person["inquiries"]]

    call_command("personal_data", user=admin_user.username, phone=PERSON["phone"], erase=True, stdout=StringIO())
    assert "2222" not in personal_records_text([*person["inquiries"], person["contact"]])
    assert requests_audited().count() == 2
    with pytest.raises(CommandError):
        call_command("personal_data", user=officer_a.username, phone=PERSON["phone"])


def test_an_enterprises_contact_person_is_found_exported_and_erased_with_its_history(admin_user, person):
    from zhaoshang.industry.models import Enterprise
    from zhaoshang.portal.services.privacy import erase_person

    firm = Enterprise.objects.create(name="海运装备有限公司", contact_name="陈杰", contact_phone="139 2222 3333")
    other = Enterprise.objects.create(name="近海电池有限公司", contact_name="周女士", contact_phone="13800000003")

    exported = export_person(admin_user, phone=PERSON["phone"])

    assert [(row["id"], row["contact_name"]) for row in exported["enterprise_contacts"]] == [(firm.pk, "陈杰")]

    erase_person(admin_user, phone=PERSON["phone"])

    text = personal_records_text([firm])
    assert "2222" not in text and "陈杰" not in text
    firm.refresh_from_db()
    assert (firm.name, firm.contact_name, firm.contact_phone) == ("海运装备有限公司", MARKER, "")
    assert "周女士" in personal_records_text([other])
    assert requests_audited().last().after["enterprises"] == [firm.pk]
