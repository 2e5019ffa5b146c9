"""Generation numbers move when a change is made and once more when its transaction commits, once per name however
many records changed, and ``committed`` tells once per name after the commit."""

import pytest
from django.db import transaction

from zhaoshang.core import generations

NAME = "test:things"
OTHER = "test:others"


@pytest.fixture
def heard():
    names = []

    def listener(sender, name, **kwargs):
        if name in (NAME, OTHER):  # not the names other tests' uncommitted changes left to move
            names.append((name, generations.current(name)))

    generations.committed.connect(listener, dispatch_uid="test-generations")
    yield names
    generations.committed.disconnect(dispatch_uid="test-generations")


def test_many_changes_in_one_transaction_move_each_name_once_more_at_commit(
    db, heard, django_capture_on_commit_callbacks
):
    before = generations.current(NAME)
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(50):
            generations.bump(NAME)
        generations.bump(OTHER)
        inside = generations.current(NAME)
        assert inside == before + 50  # seen at once by the transaction that changed
        assert heard == []  # nothing is told before the commit
    assert generations.current(NAME) == inside + 1  # once more when committed, not 50 times
    assert heard == [(OTHER, generations.current(OTHER)), (NAME, inside + 1)]


def test_a_change_kept_after_a_rolled_back_savepoint_still_moves_at_commit(
    db, heard, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                generations.bump(NAME)
                raise RuntimeError("rolled back")
        except RuntimeError:
            pass
        generations.bump(NAME)
        inside = generations.current(NAME)
    assert generations.current(NAME) == inside + 1
    assert [name for name, _ in heard] == [NAME]


def test_a_change_outside_a_transaction_is_told_at_once(transactional_db, heard):
    before = generations.current(NAME)
    generations.bump(NAME)
    assert generations.current(NAME) == before + 2
    assert heard == [(NAME, before + 2)]


def test_kept_values_are_built_once_per_key_until_a_name_moves_on_and_never_kept_from_a_transaction(transactional_db):
    built = []

    def build(label):
        built.append(label)
        return f"{label}#{len(built)}"

    kept = generations.Kept(NAME, OTHER, size=2)
    assert kept.get(lambda: build("zh"), "zh") == "zh#1"
    assert kept.get(lambda: build("zh"), "zh") == "zh#1"  # kept
    assert kept.get(lambda: build("en"), "en") == "en#2"  # another key, built apart
    generations.bump(OTHER)
    assert kept.get(lambda: build("zh"), "zh") == "zh#3"  # a name moved on: built again
    assert kept.get(lambda: build("zh"), "zh") == "zh#3"
    kept.get(lambda: build("a"), "a")  # a third key: the oldest (en) goes
    assert kept.get(lambda: build("en"), "en") == "en#5"
    with transaction.atomic():
        generations.bump(NAME)
        assert kept.get(lambda: build("zh"), "zh") == "zh#6"
        assert kept.get(lambda: build("zh"), "zh") == "zh#7"  # what a transaction reads is not kept
    generations.forget_kept()
    assert kept.get(lambda: build("zh"), "zh") == "zh#8"


def test_bump_all_moves_every_watched_name(db):
    from zhaoshang.portal.services.listings import CONTENT_GENERATION, SITES_GENERATION

    before = generations.current_many([SITES_GENERATION, CONTENT_GENERATION])
    generations.bump_all()
    after = generations.current_many([SITES_GENERATION, CONTENT_GENERATION])
    assert all(after[name] > before[name] for name in before)
