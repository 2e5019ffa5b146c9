"""Personal data of inquiries: consent on the form and the API, retention and anonymisation (docs/privacy.md)."""

import json
from datetime import date, datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.core.serializers.json import DjangoJSONEncoder
from django.urls import reverse
from django.utils import translation
from rest_framework.test import APIClient

from zhaoshang.core.models import ChangeRecord
from zhaoshang.geo.tests.factories import CarrierFactory
from zhaoshang.portal.forms.inquiries import InquiryForm
from zhaoshang.portal.models import Inquiry
from zhaoshang.portal.services.inquiries import accept_inquiry, dismiss_inquiry, submit_inquiry
from zhaoshang.portal.services.privacy import MARKER, anonymise_expired
from zhaoshang.portal.tasks import ANONYMISE_INQUIRIES
from zhaoshang.portal.tests.factories import TYPED_INQUIRY
from zhaoshang.stats import services as stats
from zhaoshang.stats.metrics import METRICS
from zhaoshang.stats.periods import Period

SHANGHAI = ZoneInfo("Asia/Shanghai")
API = "/api/portal/inquiries/"
WITHOUT_CONSENT = {name: value for name, value in TYPED_INQUIRY.items() if name != "consent"}


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


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
        response = investor.post(reverse("portal:inquire"), {**WITHOUT_CONSENT, "carrier": site.pk})

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
