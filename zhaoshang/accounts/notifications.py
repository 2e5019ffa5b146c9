"""Notifying a team: each active member in the app (and by e-mail), and the team's group robot when it has one."""

from __future__ import annotations

from dataclasses import dataclass, field

from zhaoshang.core.models import Delivery, Notification
from zhaoshang.core.notifications import notify, notify_webhook

from .models import Team, User


@dataclass
class TeamNotice:
    notifications: list[Notification] = field(default_factory=list)
    webhook: Delivery | None = None


def notify_team(team: Team, message: str, url: str = "") -> TeamNotice:
    """Tell every active member of ``team`` (once each, whatever their roles) and post to its webhook if it has one;
    an inactive team is told nothing."""
    notice = TeamNotice()
    if team is None or not team.active:
        return notice
    members = User.objects.filter(memberships__team=team, is_active=True).distinct().order_by("pk")
    for user in members:
        notification = notify(user, message, url)
        if notification is not None:
            notice.notifications.append(notification)
    if team.webhook_url:
        notice.webhook = notify_webhook(team.webhook_url, message, url)
    return notice
