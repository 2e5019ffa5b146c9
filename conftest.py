"""Named fixtures for the standard users every test speaks of.

Two outposts (Beijing, Shanghai) with one officer each, a district bureau of
蓬江区 (440703) with an officer, an industry-chain task force and a partner
agency with an officer each, the centre with an officer, a reviewer, a leader
and an administrator, and an anonymous investor (a client that is not logged
in). Regions of the city (440700) are loaded from the boundary data.
"""

import os

import pytest
from django.test import Client

from zhaoshang.accounts.choices import Role, TeamKind
from zhaoshang.accounts.tests.factories import TeamFactory, member


def pytest_configure(config):
    """Under pytest-xdist each worker has file caches of its own: every test empties the cache when it ends, and
    one worker's test must not empty what another's is counting (rate limits, generations). The test databases are
    per worker too (``django_db_modify_db_settings``)."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not worker:
        return
    from django.conf import settings

    for alias in settings.CACHES.values():
        if alias["BACKEND"].endswith(("FileBasedCache", "FileCache")):
            alias["LOCATION"] = f"{alias['LOCATION']}-{worker}"


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix):
    """No persistent connections in tests: the live server's threads would keep the test database open. Under
    pytest-xdist each worker's test database takes the worker's name (pytest-django's suffix, kept)."""
    from django.db import connections

    for alias in connections:
        connections[alias].settings_dict["CONN_MAX_AGE"] = 0


@pytest.fixture(autouse=True)
def default_language():
    """Each test starts in the default language: a test client's request leaves its language active."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True, scope="session")
def no_cache_of_an_earlier_run():
    """Without Redis the cache is files under var/, which outlive a run: what an interrupted run left is dropped."""
    from django.core.cache import caches

    caches["default"].clear()
    caches["pages"].clear()


@pytest.fixture(autouse=True, scope="session")
def no_page_cache():
    """Whole pages are kept between requests (core/pagecache.py) only in the tests that ask for it (``settings.
    PAGE_CACHE_ENABLED = True``, as zhaoshang/portal/tests/test_page_cache.py does): the others read each answer's
    template context, which a kept copy has not."""
    from django.test import override_settings

    with override_settings(PAGE_CACHE_ENABLED=False):
        yield


@pytest.fixture(autouse=True)
def empty_caches():
    """Each test starts with empty caches: records a test rolled back must not be found in them by the next."""
    yield
    from django.core.cache import cache, caches

    from zhaoshang.core import generations
    from zhaoshang.core.pagecache import LOCAL
    from zhaoshang.portal.services.matching import ANSWER_CACHE, COLUMN_CACHE, WINNERS

    cache.clear()
    caches["pages"].clear()
    COLUMN_CACHE.clear()
    ANSWER_CACHE.clear()
    WINNERS.clear()
    LOCAL.clear()
    generations.forget_kept()


@pytest.fixture(autouse=True)
def reference_data(request):
    """GB/T 4754 codes, enterprise tags, admission standards and per-mu methods, as the data migrations left them.

    A transactional test (live server, backup/restore) empties every table when it ends;
    the tests after it find the reference data again.
    """
    wants_db = {"db", "transactional_db"} & set(request.fixturenames) or request.node.get_closest_marker("django_db")
    if not wants_db:
        return
    request.getfixturevalue("transactional_db" if "transactional_db" in request.fixturenames else "db")
    from zhaoshang.industry.models import EnterpriseTag, IndustryCode
    from zhaoshang.industry.services import load_reference_data

    if not IndustryCode.objects.exists() or not EnterpriseTag.objects.exists():
        load_reference_data(IndustryCode, EnterpriseTag)
    from django.apps import apps

    from zhaoshang.review.models import EvaluationMethod, StandardSet

    if not StandardSet.objects.exists():  # the admission standards and the county's per-mu methods, seeded by data
        from zhaoshang.review.standards_seed import seed

        seed(apps)
    if not EvaluationMethod.objects.exists():
        from importlib import import_module

        import_module("zhaoshang.review.migrations.0005_permu_county_methods").seed(apps, None)


@pytest.fixture
def own_standards(db):
    """Admission standards of a test's own, in place of those the data migration seeds."""
    from zhaoshang.review.models import StandardSet

    StandardSet.objects.all().delete()


@pytest.fixture
def city(db):
    from zhaoshang.geo.models import Region
    from zhaoshang.geo.services import load_regions

    load_regions("440700")
    return Region.objects.get(adcode="440700")


@pytest.fixture
def centre(db):
    return TeamFactory(name="市投资促进中心", name_en="Investment Promotion Centre", kind=TeamKind.CENTRE)


@pytest.fixture
def outpost_a(db):
    return TeamFactory(name="驻北京招商联络处", kind=TeamKind.OUTPOST, stationed_city="北京")


@pytest.fixture
def outpost_b(db):
    return TeamFactory(name="驻上海招商联络处", kind=TeamKind.OUTPOST, stationed_city="上海")


@pytest.fixture
def district_bureau(db):
    return TeamFactory(name="蓬江区投资促进局", kind=TeamKind.DISTRICT, adcode="440703")


@pytest.fixture
def task_force(db):
    return TeamFactory(
        name="新能源电池产业链专班", name_en="New-energy battery chain task force", kind=TeamKind.TASK_FORCE
    )


@pytest.fixture
def partner(db):
    return TeamFactory(name="市商务局", name_en="Municipal Bureau of Commerce", kind=TeamKind.PARTNER)


@pytest.fixture
def officer_a(outpost_a):
    return member(outpost_a, Role.OFFICER, username="officer_a")


@pytest.fixture
def officer_b(outpost_b):
    return member(outpost_b, Role.OFFICER, username="officer_b")


@pytest.fixture
def district_officer(district_bureau):
    return member(district_bureau, Role.OFFICER, username="district_officer")


@pytest.fixture
def task_force_officer(task_force):
    return member(task_force, Role.OFFICER, username="task_force_officer")


@pytest.fixture
def partner_officer(partner):
    return member(partner, Role.OFFICER, username="partner_officer")


@pytest.fixture
def centre_officer(centre):
    return member(centre, Role.OFFICER, username="centre_officer")


@pytest.fixture
def reviewer(centre):
    return member(centre, Role.REVIEWER, username="reviewer")


@pytest.fixture
def leader(centre):
    return member(centre, Role.LEADER, username="leader")


@pytest.fixture
def admin_user(centre):
    return member(centre, Role.ADMIN, username="admin_user")


@pytest.fixture
def client_for(db):
    """A logged-in test client for a user: ``client_for(officer_a).get(url)``; ``language="en"`` asks for pages in
    that language, as a browser does."""

    def make(user, language=None):
        client = Client(**({"HTTP_ACCEPT_LANGUAGE": language} if language else {}))
        client.force_login(user)
        return client

    return make


@pytest.fixture
def investor(db):
    """An anonymous investor: a client that is not logged in."""
    return Client()


@pytest.fixture
def api_for(db):
    """A DRF API client authenticated as a user (token authentication, as the mini-program uses)."""
    from rest_framework.authtoken.models import Token
    from rest_framework.test import APIClient

    def make(user):
        client = APIClient()
        token, _created = Token.objects.get_or_create(user=user)
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        return client

    return make


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo city loaded once for a test module (every app's demo, as ``manage.py load_demo`` does), inside a
    transaction rolled back at the end; its photos are kept in a temporary folder, not under var/."""
    from django.db import transaction
    from django.test import override_settings

    from zhaoshang.core.demo import DEMO_CITY, load_demo

    fast_hasher = override_settings(
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        PRIVATE_MEDIA_ROOT=tmp_path_factory.mktemp("demo-private"),
    )
    with django_db_blocker.unblock(), fast_hasher:
        from zhaoshang.industry.models import EnterpriseTag, IndustryCode
        from zhaoshang.industry.services import load_reference_data

        if not IndustryCode.objects.exists() or not EnterpriseTag.objects.exists():
            load_reference_data(IndustryCode, EnterpriseTag)
        with transaction.atomic():
            yield load_demo(DEMO_CITY)
            transaction.set_rollback(True)


@pytest.fixture
def browser(live_server):
    """Debian's chromium driven by Playwright (tests marked ``browser``), beside the live server."""
    from tests.test_browser import CHROMIUM, CHROMIUM_ARGS

    if not os.path.exists(CHROMIUM):
        pytest.fail("Debian's chromium is missing: `make test` installs it (apt-get install chromium)")
    # Playwright's sync API runs an event loop in this thread; Django's ORM calls in the test are still synchronous.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


# -- the working-day calendar (issue 16)
@pytest.fixture(autouse=True)
def working_day_calendar(request):
    """The official working days as the data migration loads them (a transactional test empties every table, the
    tests after it find them again), and no calendar kept in memory from a test whose changes were rolled back."""
    from zhaoshang.core import workdays

    wants_db = {"db", "transactional_db"} & set(request.fixturenames) or request.node.get_closest_marker("django_db")
    if wants_db:
        request.getfixturevalue("transactional_db" if "transactional_db" in request.fixturenames else "db")
        from zhaoshang.core.calendar_load import official_days, package_source, published_years
        from zhaoshang.core.models import CalendarDay, CalendarYear

        if not CalendarYear.objects.exists():  # as migration core 0007 loads them: in bulk, no change records
            years = published_years()
            CalendarDay.objects.bulk_create([day for year in years for day in official_days(year)])
            CalendarYear.objects.bulk_create([CalendarYear(year=year, source=package_source()) for year in years])
    workdays.forget()
    yield
    workdays.forget()
