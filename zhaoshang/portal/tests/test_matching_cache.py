"""Rankings that share their hard constraints read the candidates' columns once, and never a stale copy.

A change to a site, a park, their industries or a chain — by a form, a save, an import or a code change —
is seen by the very next ranking; staff and the public never share what they read; kept arrays are read-only.
"""

import io
from datetime import timedelta

import numpy as np
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from zhaoshang.geo.choices import Availability
from zhaoshang.geo.tests.factories import CarrierFactory
from zhaoshang.portal.forms.listings import set_codes
from zhaoshang.portal.services.matching import COLUMN_CACHE, ColumnCache, Columns, Needs, rank


def references(matches):
    return [m.carrier.reference for m in matches]


@pytest.fixture
def sites(city):
    return [
        CarrierFactory(
            reference=f"S-{i}", power_kva=1000 * i, port_km=10, codes=["38"], last_verified=timezone.localdate()
        )
        for i in range(1, 4)
    ]


def reads_site_columns(queries) -> bool:
    """Whether a query read the sites' columns (the winners' records are read by id)."""
    return any(
        '"power_kva"' in q["sql"] and "geo_carrier" in q["sql"] and '"geo_carrier"."id" IN (' not in q["sql"]
        for q in queries
    )


def test_a_ranking_with_other_needs_reads_no_site_columns_again(sites):
    rank(Needs(power=3000))
    with CaptureQueriesContext(connection) as again:
        soft = rank(Needs(power=2500, port_km=50))  # other soft needs
        hard = rank(Needs(industry="38", power=3000))  # other hard constraints too
    assert references(soft)[0] == "S-3" and references(hard)[0] == "S-3"
    assert not reads_site_columns(again)


def test_a_change_of_a_site_is_read_again_by_the_next_ranking(sites):
    with CaptureQueriesContext(connection) as first:
        assert references(rank(Needs(power=3000)))[0] == "S-3"
    assert reads_site_columns(first)
    sites[0].power_kva = 9000
    sites[0].save()
    with CaptureQueriesContext(connection) as after:
        assert references(rank(Needs(power=3000, port_km=50)))[0] == "S-1"
    assert reads_site_columns(after)


def test_a_site_taken_after_a_ranking_is_gone_from_the_next(sites):
    assert references(rank(Needs(power=3000)))[0] == "S-3"
    sites[2].availability = Availability.TAKEN
    sites[2].save()
    assert "S-3" not in references(rank(Needs(power=3000)))


def test_a_site_added_after_a_ranking_is_in_the_next(sites):
    rank(Needs(power=9000))
    CarrierFactory(reference="S-9", power_kva=9000, last_verified=timezone.localdate())
    assert references(rank(Needs(power=9000)))[0] == "S-9"


def test_a_change_of_industry_codes_is_seen_by_the_next_ranking(sites):
    assert set(references(rank(Needs(industry="38")))) == {"S-1", "S-2", "S-3"}
    set_codes(sites[0], ["39"])
    assert set(references(rank(Needs(industry="38")))) == {"S-2", "S-3"}


def test_a_listing_going_stale_overnight_is_left_out(sites, monkeypatch):
    sites[1].last_verified = timezone.localdate() - timedelta(days=179)
    sites[1].save()
    assert "S-2" in references(rank(Needs(power=1000)))
    tomorrow = timezone.localdate() + timedelta(days=2)
    monkeypatch.setattr(timezone, "localdate", lambda *args: tomorrow)
    assert "S-2" not in references(rank(Needs(power=1000)))


def test_staff_and_the_public_never_share_what_was_read(city, officer_a):
    CarrierFactory(reference="HIDDEN", published=False, power_kva=5000, last_verified=timezone.localdate())
    CarrierFactory(reference="PUBLIC", power_kva=10, last_verified=timezone.localdate())
    assert "HIDDEN" in references(rank(Needs(power=5000), officer_a))
    assert references(rank(Needs(power=5000))) == ["PUBLIC"]


def test_kept_columns_are_read_only(sites):
    rank(Needs(power=1000))
    cols = next(iter(COLUMN_CACHE.entries.values()))
    with pytest.raises(ValueError):
        cols.power_kva[0] = 0


def test_the_cache_keeps_the_most_recently_used_within_its_budget():
    cache = ColumnCache(budget=12)
    small = {f"k{i}": Columns.from_rows(("pk", "power_kva"), [(i, 1.0), (i + 10, 2.0)]) for i in range(4)}
    for key, cols in small.items():  # 4 numbers each: three fit
        cache.put(key, cols)
        if key == "k1":
            assert cache.get("k0") is small["k0"]  # k0 used again: k1 goes first
    assert cache.get("k1") is None and cache.get("k0") is small["k0"] and cache.get("k3") is small["k3"]
    assert cache.size <= 12
    big = Columns.from_rows(("pk", "power_kva"), [(i, 1.0) for i in range(7)])
    cache.put("big", big)  # 14 numbers: more than the whole budget, not kept
    assert cache.get("big") is None
    assert np.array_equal(cache.get("k3").pk, [3, 13])


def test_an_import_that_changes_a_site_is_seen_by_the_next_ranking(sites, centre_officer, client_for):
    from zhaoshang.portal.tests.test_listing_import import EXPORT_URL, header, post_import

    client = client_for(centre_officer)
    assert references(rank(Needs(power=3000)))[0] == "S-3"
    wb = load_workbook(io.BytesIO(client.get(EXPORT_URL).content))
    sheet = wb.worksheets[0]
    headers = [cell.value for cell in sheet[1]]
    power, reference = headers.index(header("power_kva")) + 1, headers.index(header("reference")) + 1
    for row in range(2, sheet.max_row + 1):
        if sheet.cell(row, reference).value == "S-1":
            sheet.cell(row, power).value = 8000
    out = io.BytesIO()
    wb.save(out)
    result = post_import(client, SimpleUploadedFile("sites.xlsx", out.getvalue())).context["result"]
    assert result.ok and result.updated == 1, result.errors
    assert references(rank(Needs(power=8000)))[0] == "S-1"


# ---------------------------------------------------------------- the columns kept for every process of the machine


@pytest.fixture
def store(tmp_path, settings):
    from zhaoshang.portal.services.matching import COLUMN_STORE

    settings.VAR_DIR = tmp_path
    yield COLUMN_STORE


def test_a_committed_change_keeps_the_columns_ready_for_a_new_process(transactional_db, city, store):
    """The change reads the public columns again once committed: a process that has kept nothing finds them in
    the machine's store, reads no site column, and ranks the changed site where the change puts it."""
    sites = [
        CarrierFactory(reference=f"S-{i}", power_kva=1000 * i, port_km=10, last_verified=timezone.localdate())
        for i in range(1, 4)
    ]
    sites[0].power_kva = 9000
    sites[0].save()  # autocommit: committed at once, the columns read again there
    assert list(store.folder.glob("*.npz"))
    COLUMN_CACHE.clear()  # a process that starts now
    with CaptureQueriesContext(connection) as queries:
        assert references(rank(Needs(power=3000, port_km=50)))[0] == "S-1"
    assert not reads_site_columns(queries)


def test_what_a_transaction_reads_is_never_kept_for_other_processes(sites, store):
    """Inside a transaction (every test of the ``db`` fixture runs in one) a ranking may read changes that are
    not committed, and may never be: they are kept in the process, never in the machine's store."""
    assert references(rank(Needs(power=3000)))[0] == "S-3"
    assert not list(store.folder.glob("*.npz"))


def test_a_damaged_stored_file_is_read_again_from_the_database(transactional_db, city, store):
    CarrierFactory(reference="S-1", power_kva=5000, last_verified=timezone.localdate())
    files = list(store.folder.glob("*.npz"))
    assert files
    for path in files:
        path.write_bytes(b"not an archive")
    COLUMN_CACHE.clear()
    with CaptureQueriesContext(connection) as queries:
        assert references(rank(Needs(power=3000))) == ["S-1"]
    assert reads_site_columns(queries)


def test_the_publics_winning_sites_are_read_once_until_a_site_changes(transactional_db, city, store):
    """A ranking of the public reads only the winners it has not kept; a change of a site is seen at once."""
    from zhaoshang.portal.services.matching import ANSWER_CACHE, _rank

    sites = [
        CarrierFactory(reference=f"S-{i}", power_kva=1000 * i, last_verified=timezone.localdate()) for i in range(1, 4)
    ]
    needs = Needs(power=3000)
    first = _rank(needs, None, 20)
    with CaptureQueriesContext(connection) as queries:
        again = _rank(needs, None, 20)
    assert [m.carrier.pk for m in again] == [m.carrier.pk for m in first]
    assert not [q for q in queries.captured_queries if '"geo_carrier"."name"' in q["sql"]]  # no record read again
    sites[2].name = "改名的地块"
    sites[2].save()
    ANSWER_CACHE.clear()
    assert [m.carrier.name for m in _rank(needs, None, 20) if m.carrier.pk == sites[2].pk] == ["改名的地块"]
