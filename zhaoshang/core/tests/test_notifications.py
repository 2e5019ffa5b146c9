"""In-app notifications: any app leaves a message for a user, who reads it in the app."""

from zhaoshang.core.models import Notification
from zhaoshang.core.notifications import mark_read, notify, unread, unread_count


def test_a_notification_reaches_only_its_recipient(officer_a, officer_b):
    notify(officer_a, "项目停滞", "/work/")

    assert unread_count(officer_a) == 1
    assert unread_count(officer_b) == 0
    [note] = unread(officer_a)
    assert (note.message, note.url, note.is_read) == ("项目停滞", "/work/", False)


def test_reading_notifications_clears_the_unread_count(officer_a):
    first = notify(officer_a, "one")
    notify(officer_a, "two")

    assert mark_read(officer_a, [first.pk]) == 1
    assert [n.message for n in unread(officer_a)] == ["two"]
    assert mark_read(officer_a) == 1
    assert unread_count(officer_a) == 0


def test_nobody_is_notified_when_there_is_no_active_recipient(officer_a):
    officer_a.is_active = False
    officer_a.save()

    assert notify(officer_a, "hello") is None
    assert notify(None, "hello") is None
    assert not Notification.objects.exists()


def test_the_navbar_counts_unread_notifications_and_the_page_lists_them(officer_a, client_for):
    from django.urls import reverse

    notify(officer_a, "项目甲停滞", "/work/projects/")
    client = client_for(officer_a)

    home = client.get(reverse("core:home")).content.decode()
    assert 'data-testid="unread-count">1<' in home
    listing = client.get(reverse("core:notifications")).content.decode()
    assert "项目甲停滞" in listing

    client.post(reverse("core:notifications"))
    assert unread_count(officer_a) == 0
    assert 'data-testid="unread-count"' not in client.get(reverse("core:home")).content.decode()
