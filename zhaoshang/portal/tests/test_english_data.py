"""Data with an English form (a policy's issuer, a listing's contact person) reads in English on English pages,
and in Chinese when no English form was entered."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from zhaoshang.geo.tests.factories import ParkFactory
from zhaoshang.portal import demo
from zhaoshang.portal.forms.content import PolicyForm
from zhaoshang.portal.forms.listings import CarrierForm, ParkForm, listing_columns
from zhaoshang.portal.models import Policy


def in_force(**fields):
    return Policy.objects.create(summary="…", effective_from=timezone.localdate() - timedelta(days=30), **fields)


def test_a_policy_names_its_issuer_in_english_on_english_pages(city, investor):
    policy = in_force(
        title="政策", title_en="Policy", issuer="江门市人民政府", issuer_en="Jiangmen Municipal Government"
    )
    for url in (policy.get_absolute_url(), reverse("portal:policy-list")):
        english = investor.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
        assert "Jiangmen Municipal Government" in english
        assert "江门市人民政府" not in english
        chinese = investor.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
        assert "江门市人民政府" in chinese


def test_a_policy_without_an_english_issuer_shows_the_chinese_one(city, investor):
    policy = in_force(title="政策", issuer="开平市人民政府")
    english = investor.get(policy.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "开平市人民政府" in english


def test_a_park_names_its_contact_person_in_english_on_english_pages(city, investor):
    park = ParkFactory(contact_name="陈先生", contact_name_en="Mr Chen")
    english = investor.get(park.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Mr Chen" in english and "陈先生" not in english
    chinese = investor.get(park.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "陈先生" in chinese and "Mr Chen" not in chinese


def test_the_english_forms_can_be_edited_and_imported():
    assert "issuer_en" in PolicyForm.base_fields
    assert "contact_name_en" in ParkForm.base_fields and "contact_name_en" in CarrierForm.base_fields
    assert "contact_name_en" in [column.key for column in listing_columns(ParkForm._meta.model)]


def test_every_demo_policy_issuer_and_contact_has_an_english_form():
    issuers = {spec[4] for spec in demo.POLICIES if spec[4]}
    assert issuers <= set(demo.ISSUERS_EN)
    import random

    rng = random.Random(7)
    for _ in range(50):
        name, name_en, _phone = demo.contact(rng)
        assert name and name_en.isascii() and name_en.split()[0] in {"Mr", "Ms", "Engineer"}
