"""Enterprise requests: submitting, signing for, answering, transferring, sending back, rating and redoing, with the
clocks of contact, plan and close.

Every step takes ``at=`` (the moment it happens; now by default), re-checks the user's right on the saved request
inside its transaction (``PermissionDenied``), refuses a step the request's state does not allow
(``ValidationError`` with a translated message) and records a ``RequestEvent``; the request's own save writes its
change record (core.audit).
"""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from zhaoshang.accounts.choices import WRITE_ROLES, Role, TeamKind
from zhaoshang.accounts.models import Membership, Team
from zhaoshang.core import clocks
from zhaoshang.core.choices import Action, ClockAlert
from zhaoshang.core.notifications import notify
from zhaoshang.core.permissions import user_scope

from ..choices import REQUEST_OPEN, Channel, Rating, RequestEventKind, RequestLevel, RequestState, SendBackDecision
from ..models.requests import EnterpriseAccount, EnterpriseRequest, RequestEvent, SendBack, ServicePolicy

MAX_CATEGORIES = 4
CONTACT, PLAN, CLOSE = "contact", "plan", "close"
PURPOSES = (CONTACT, PLAN, CLOSE)
PUBLIC_KINDS = frozenset(
    {
        RequestEventKind.SUBMITTED,
        RequestEventKind.SIGNED,
        RequestEventKind.CONTACTED,
        RequestEventKind.PLANNED,
        RequestEventKind.INTERIM,
        RequestEventKind.CLOSED,
        RequestEventKind.RATED,
        RequestEventKind.VISITED,
        RequestEventKind.REDO,
    }
)


# ---------------------------------------------------------------- who is who


def account_of(user) -> EnterpriseAccount | None:
    """The enterprise account of ``user`` (None for staff and the anonymous)."""
    if user is None or not user.is_authenticated:
        return None
    return EnterpriseAccount.objects.select_related("enterprise").filter(user=user).first()


def is_enterprise_user(user) -> bool:
    """A person of an enterprise: an account and no team."""
    return account_of(user) is not None and not user.memberships.exists()


def has_account(user) -> bool:
    return account_of(user) is not None


def is_staff_user(user) -> bool:
    if user is None or not user.is_authenticated:
        return False
    scope = user_scope(user)
    return scope.is_admin or scope.is_leader or bool(scope.teams(Action.VIEW))


def queue_of(user):
    """The open requests a member of staff works: those routed to their departments (the index on department and
    state serves it, not the whole table read through the access rule's OR), else all they may read (the centre,
    district bureaus, supervisors)."""
    readable = EnterpriseRequest.objects.restrict(user).filter(state__in=REQUEST_OPEN)
    scope = user_scope(user)
    if scope.in_centre(Action.VIEW) or scope.is_leader or scope.is_admin:
        return readable
    departments = sorted(
        Membership.objects.filter(
            user=user, team__kind=TeamKind.DEPARTMENT, team_id__in=sorted(scope.teams(Action.VIEW))
        ).values_list("team_id", flat=True)
    )
    return readable.filter(department__in=departments) if departments else readable


def in_centre(user, action: str = Action.CHANGE) -> bool:
    scope = user_scope(user)
    return scope.is_admin or scope.in_centre(action)


def serves(user, enterprise=None) -> bool:
    """Whether ``user`` is the service officer (业务专员) of ``enterprise`` (of any enterprise when None): named on
    one of its accounts or on its key-enterprise listing."""
    from ..models.key_firms import KeyEnterprise

    if user is None or not user.is_authenticated:
        return False
    accounts = EnterpriseAccount.objects.filter(officer=user)
    listings = KeyEnterprise.objects.filter(officer=user)
    if enterprise is not None:
        accounts, listings = accounts.filter(enterprise=enterprise), listings.filter(enterprise=enterprise)
    return accounts.exists() or listings.exists()


def may_open_accounts(user, enterprise=None) -> bool:
    """The centre's writers and administrators open enterprise accounts; a service officer for the firms served."""
    return in_centre(user, Action.ADD) or serves(user, enterprise)


def centre_team() -> Team | None:
    return Team.objects.filter(kind=TeamKind.CENTRE, active=True).order_by("pk").first()


def department_choices():
    """The teams a request may be routed to: departments and the centre."""
    return Team.objects.filter(kind__in=[TeamKind.DEPARTMENT, TeamKind.CENTRE], active=True).order_by("kind", "name")


def can_add_requests(user) -> bool:
    """Officers who enter requests received by phone, visit or 12345: writers of a department, district or the
    centre, and administrators."""
    scope = user_scope(user)
    return scope.is_admin or bool(scope.teams(Action.ADD))


def can_change(user, request_obj) -> bool:
    return EnterpriseRequest.objects.restrict(user, Action.CHANGE).filter(pk=request_obj.pk).exists()


def writers(team, roles=WRITE_ROLES):
    """The active users with one of ``roles`` in ``team``."""
    if team is None:
        return []
    ids = Membership.objects.filter(team=team, role__in=list(roles)).values("user_id")
    return list(get_user_model().objects.filter(pk__in=ids, is_active=True))


def team_members(team_ids) -> dict[int, list[Membership]]:
    """The memberships of the teams ``team_ids`` with their users, read in one query for a whole batch (the clocks'
    reminders of requests and of plan items): {team id: [membership, …]} by username."""
    found: dict[int, list[Membership]] = {pk: [] for pk in team_ids if pk is not None}
    if found:
        rows = Membership.objects.filter(team_id__in=list(found)).select_related("user").order_by("user__username")
        for membership in rows:
            found[membership.team_id].append(membership)
    return found


def _notify_all(users, message, url) -> None:
    seen = set()
    for user in users:
        if user is not None and user.pk not in seen:
            seen.add(user.pk)
            notify(user, message, url)


# ---------------------------------------------------------------- time limits


def policy_for(category, channel: str) -> ServicePolicy:
    """The most specific policy: category and channel, category, channel, the default (an unsaved default if the
    city has none)."""
    found = list(
        ServicePolicy.objects.filter(
            Q(category=category) | Q(category__isnull=True), Q(channel=channel) | Q(channel="")
        )
    )
    found.sort(key=lambda p: (p.category_id is not None, p.channel != ""), reverse=True)
    return found[0] if found else ServicePolicy()


def request_clocks(request_obj) -> dict:
    """The request's clocks by purpose."""
    from django.contrib.contenttypes.models import ContentType

    from zhaoshang.core.models import Clock

    subject_type = ContentType.objects.get_for_model(EnterpriseRequest)
    return {c.purpose: c for c in Clock.objects.filter(subject_type=subject_type, subject_id=request_obj.pk)}


def clocks_of_page(requests) -> dict[int, dict]:
    """The clocks of a page of requests, in one query: {request id: {purpose: clock}}."""
    from django.contrib.contenttypes.models import ContentType

    from zhaoshang.core.models import Clock

    ids = [r.pk for r in requests]
    out = {pk: {} for pk in ids}
    if not ids:
        return out
    subject_type = ContentType.objects.get_for_model(EnterpriseRequest)
    for clock in Clock.objects.filter(subject_type=subject_type, subject_id__in=ids):
        out[int(clock.subject_id)][clock.purpose] = clock
    return out


def _stop(request_obj, purpose: str, at: datetime):
    clock = clocks.clock_of(request_obj, purpose)
    if clock is not None and clock.stopped_at is None:
        clocks.stop(clock, at=at)
    return clock


def _event(request_obj, kind, at, by=None, text="", from_team=None, to_team=None, public=None) -> RequestEvent:
    return RequestEvent.objects.create(
        request=request_obj,
        kind=kind,
        at=at,
        by=by,
        text=text,
        from_team=from_team,
        to_team=to_team,
        public=kind in PUBLIC_KINDS if public is None else public,
        created_by=by,
    )


# ---------------------------------------------------------------- submission


def route(category, enterprise) -> tuple[Team, object]:
    """The department (the main category's default department, else the centre) and the district (the
    enterprise's headquarters region)."""
    department = category.department if category.department_id and category.department.active else None
    department = department or centre_team()
    if department is None:
        raise ValidationError(_("No department or centre is set up to receive requests."))
    return department, enterprise.hq_region


def _next_number(year: int) -> str:
    prefix = f"SQ{year}-"
    last = (
        EnterpriseRequest.objects.filter(number__startswith=prefix).order_by("-number").values_list("number", flat=True)
    ).first()
    sequence = int(last.rsplit("-", 1)[1]) + 1 if last else 1
    return f"{prefix}{sequence:06d}"


def submit(
    enterprise,
    categories,
    title: str,
    description: str,
    contact_name: str,
    contact_phone: str,
    contact_email: str = "",
    *,
    channel: str = Channel.WEB,
    account=None,
    by=None,
    received_at: datetime | None = None,
    at: datetime | None = None,
) -> EnterpriseRequest:
    """Register a request: routed, numbered, its three clocks started at ``received_at``, the department told."""
    at = at or timezone.now()
    received_at = received_at or at
    categories = list(categories)
    if not categories:
        raise ValidationError({"categories": _("Choose at least one category.")})
    if len(categories) > MAX_CATEGORIES:
        raise ValidationError({"categories": _("Choose at most %(n)s categories.") % {"n": MAX_CATEGORIES}})
    if received_at > at:
        raise ValidationError({"received_at": _("The time received cannot be in the future.")})
    main = categories[0]
    department, district = route(main, enterprise)
    year = timezone.localtime(received_at).year
    for _attempt in range(5):
        try:
            with transaction.atomic():
                request_obj = EnterpriseRequest(
                    number=_next_number(year),
                    enterprise=enterprise,
                    account=account,
                    contact_name=contact_name,
                    contact_phone=contact_phone,
                    contact_email=contact_email or "",
                    channel=channel,
                    category=main,
                    title=title,
                    description=description,
                    district=district,
                    department=department,
                    received_at=received_at,
                    created_by=by,
                )
                request_obj.full_clean(exclude=["categories", "officer"])
                request_obj.save()
                break
        except IntegrityError:
            continue  # another request took the number: take the next one
    else:
        raise ValidationError(_("The request could not be numbered; please send it again."))
    with transaction.atomic():
        request_obj.categories.set(categories)
        policy = policy_for(main, channel)
        clocks.start(request_obj, CONTACT, policy.contact_limit, policy.contact_unit, at=received_at)
        clocks.start(request_obj, PLAN, policy.plan_limit, policy.plan_unit, at=received_at)
        clocks.start(request_obj, CLOSE, policy.close_limit, policy.close_unit, at=received_at)
        _event(request_obj, RequestEventKind.SUBMITTED, received_at, by=by, to_team=department)
    _notify_all(
        writers(department),
        _("New request %(number)s from %(enterprise)s: %(title)s")
        % {"number": request_obj.number, "enterprise": enterprise, "title": title},
        request_obj.get_absolute_url(),
    )
    return request_obj


# ---------------------------------------------------------------- the steps


def _locked(request_obj, user, action: str = Action.CHANGE) -> EnterpriseRequest:
    """The saved request, locked, if ``user`` may ``action`` it."""
    found = (
        EnterpriseRequest.objects.restrict(user, action)
        .select_for_update()
        .filter(pk=request_obj.pk)
        .select_related("department", "enterprise")
        .first()
    )
    if found is None:
        raise PermissionDenied
    return found


def _require_state(request_obj, states, message) -> None:
    if request_obj.state not in states:
        raise ValidationError(message)


def _required_text(text: str, field: str, message) -> str:
    text = (text or "").strip()
    if not text:
        raise ValidationError({field: message})
    return text


def sign(request_obj, user, *, at: datetime | None = None) -> EnterpriseRequest:
    """签收: the signer becomes the request's officer; it is in progress."""
    at = at or timezone.now()
    with transaction.atomic():
        req = _locked(request_obj, user)
        _require_state(req, (RequestState.SUBMITTED,), _("Only a request waiting to be signed for can be signed for."))
        req.state, req.officer, req.signed_at = RequestState.IN_PROGRESS, user, at
        req.save()
        _event(req, RequestEventKind.SIGNED, at, by=user, to_team=req.department)
    return req


def _working(req) -> None:
    _require_state(
        req, (RequestState.IN_PROGRESS, RequestState.INTERIM), _("Sign for the request first; it must be open.")
    )


def record_contact(request_obj, user, note: str = "", *, at: datetime | None = None) -> EnterpriseRequest:
    """The enterprise was contacted: the contact clock stops."""
    at = at or timezone.now()
    with transaction.atomic():
        req = _locked(request_obj, user)
        _working(req)
        if req.contacted_at is not None:
            raise ValidationError(_("The contact is recorded already."))
        req.contacted_at = at
        req.save()
        _stop(req, CONTACT, at)
        _event(req, RequestEventKind.CONTACTED, at, by=user, text=(note or "").strip(), public=False)
    return req


def give_plan(request_obj, user, plan: str, *, at: datetime | None = None) -> EnterpriseRequest:
    """A plan for the request, shown to the enterprise: the plan clock stops (and the contact clock, if running)."""
    at = at or timezone.now()
    plan = _required_text(plan, "text", _("Write the plan."))
    with transaction.atomic():
        req = _locked(request_obj, user)
        _working(req)
        if req.planned_at is not None:
            raise ValidationError(_("The plan is given already."))
        if req.contacted_at is None:
            req.contacted_at = at
            _stop(req, CONTACT, at)
        req.planned_at = at
        req.save()
        _stop(req, PLAN, at)
        _event(req, RequestEventKind.PLANNED, at, by=user, text=plan)
    return req


def interim_reply(request_obj, user, text: str, *, at: datetime | None = None) -> EnterpriseRequest:
    """阶段答复: a reply while the work goes on."""
    at = at or timezone.now()
    text = _required_text(text, "text", _("Write the interim reply."))
    with transaction.atomic():
        req = _locked(request_obj, user)
        _working(req)
        req.state = RequestState.INTERIM
        req.save()
        _event(req, RequestEventKind.INTERIM, at, by=user, text=text)
    return req


def _route_to(req, team, user, at, kind, text="") -> None:
    if team is None or team.kind not in (TeamKind.DEPARTMENT, TeamKind.CENTRE) or not team.active:
        raise ValidationError({"team": _("Choose a department.")})
    if team.pk == req.department_id:
        raise ValidationError({"team": _("The request is already with this department.")})
    from_team = req.department
    req.department, req.officer, req.state, req.signed_at = team, None, RequestState.SUBMITTED, None
    req.save()
    _event(req, kind, at, by=user, text=text, from_team=from_team, to_team=team, public=False)
    _notify_all(
        writers(team),
        _("Request %(number)s was routed to your department: %(title)s") % {"number": req.number, "title": req.title},
        req.get_absolute_url(),
    )


def transfer(request_obj, user, team, note: str = "", *, at: datetime | None = None) -> EnterpriseRequest:
    """Hand the open request to another department (it signs for it again); the clocks continue."""
    at = at or timezone.now()
    with transaction.atomic():
        req = _locked(request_obj, user)
        _require_state(req, REQUEST_OPEN, _("Only an open request can be transferred."))
        _route_to(req, team, user, at, RequestEventKind.TRANSFERRED, (note or "").strip())
    return req


def ask_send_back(request_obj, user, reason: str, suggested_team=None, *, at: datetime | None = None) -> SendBack:
    """退单: the department asks the centre to take the request back, with a reason. Until the centre accepts it the
    request stays with the department."""
    at = at or timezone.now()
    reason = _required_text(reason, "reason", _("Give the reason for sending the request back."))
    with transaction.atomic():
        req = _locked(request_obj, user)
        _require_state(req, REQUEST_OPEN, _("Only an open request can be sent back."))
        if req.send_backs.filter(decision=SendBackDecision.PENDING).exists():
            raise ValidationError(_("A send-back of this request is already waiting for the centre."))
        send_back = SendBack.objects.create(
            request=req,
            from_team=req.department,
            reason=reason,
            suggested_team=suggested_team,
            created_by=user,
        )
        _event(req, RequestEventKind.SENT_BACK, at, by=user, text=reason, from_team=req.department)
    centre = centre_team()
    _notify_all(
        writers(centre),
        _("Send-back of request %(number)s waits for your decision.") % {"number": req.number},
        req.get_absolute_url(),
    )
    return send_back


def arbitrate(send_back, user, accept: bool, team=None, note: str = "", *, at: datetime | None = None) -> SendBack:
    """The centre decides a send-back: accepted, the request goes to ``team`` (the suggested department by
    default); refused, it stays with the department."""
    at = at or timezone.now()
    if not in_centre(user):
        raise PermissionDenied
    with transaction.atomic():
        send_back = SendBack.objects.select_for_update().get(pk=send_back.pk)
        if send_back.decision != SendBackDecision.PENDING:
            raise ValidationError(_("This send-back is decided already."))
        req = _locked(send_back.request, user)
        send_back.decision = SendBackDecision.ACCEPTED if accept else SendBackDecision.REFUSED
        send_back.decided_by, send_back.decided_at, send_back.decision_note = user, at, (note or "").strip()
        if accept:
            _route_to(req, team or send_back.suggested_team, user, at, RequestEventKind.ARBITRATED, note)
        else:
            _event(req, RequestEventKind.ARBITRATED, at, by=user, text=note, to_team=req.department, public=False)
            _notify_all(
                writers(req.department),
                _("The send-back of request %(number)s was refused: it stays with your department.")
                % {"number": req.number},
                req.get_absolute_url(),
            )
        send_back.save()
    return send_back


def close(request_obj, user, answer: str, *, at: datetime | None = None) -> EnterpriseRequest:
    """办结: the answer is given; the close clock stops and tells whether it was on time."""
    at = at or timezone.now()
    answer = _required_text(answer, "answer", _("Write the answer."))
    with transaction.atomic():
        req = _locked(request_obj, user)
        _working(req)
        for purpose in (CONTACT, PLAN):
            _stop(req, purpose, at)
        clock = _stop(req, CLOSE, at)
        req.contacted_at = req.contacted_at or at
        req.planned_at = req.planned_at or at
        req.state, req.closed_at, req.answer = RequestState.CLOSED, at, answer
        req.closed_on_time = clock is None or clock.due_at is None or clock.stopped_at <= clock.due_at
        req.save()  # an earlier rating stays until the enterprise rates the new answer
        _event(req, RequestEventKind.CLOSED, at, by=user, text=answer)
    if req.account_id:
        notify(
            req.account.user,
            _("Your request %(number)s has been answered; please rate it.") % {"number": req.number},
            req.get_absolute_url(),
        )
    return req


def _record_rating(req, user, rating: str, comment: str, at, kind) -> None:
    if rating not in Rating.values:
        raise ValidationError({"rating": _("Choose satisfied or unsatisfied.")})
    comment = (comment or "").strip()
    if rating == Rating.UNSATISFIED and not comment:
        raise ValidationError({"comment": _("Say what was not satisfactory.")})
    _require_state(req, (RequestState.CLOSED,), _("Only a closed request can be rated."))
    req.rating, req.rating_comment, req.rated_at = rating, comment, at
    if rating == Rating.SATISFIED:
        req.state = RequestState.VISITED
        req.save()
        _event(req, kind, at, by=user, text=comment)
        return
    # 不满意 → 重办: raised a level, a new close clock under the same policy
    req.level = min(req.level + 1, RequestLevel.CITY)
    req.redo_count += 1
    req.state = RequestState.IN_PROGRESS
    req.closed_at = req.closed_on_time = None
    req.save()
    _event(req, kind, at, by=user, text=comment)
    _event(req, RequestEventKind.REDO, at, by=user, text=req.get_level_display())
    policy = policy_for(req.category, req.channel)
    clocks.start(req, CLOSE, policy.close_limit, policy.close_unit, at=at)
    message = _("Request %(number)s was rated unsatisfied and reopened at level: %(level)s.") % {
        "number": req.number,
        "level": req.get_level_display(),
    }
    _notify_all([req.supervisor, req.officer, *writers(req.department)], message, req.get_absolute_url())


def rate(request_obj, user, rating: str, comment: str = "", *, at: datetime | None = None) -> EnterpriseRequest:
    """The enterprise rates its closed request: satisfied closes the loop (回访), unsatisfied reopens it a level up."""
    at = at or timezone.now()
    account = account_of(user)
    with transaction.atomic():
        req = EnterpriseRequest.objects.select_for_update().filter(pk=request_obj.pk).first()
        if req is None or account is None or account.enterprise_id != req.enterprise_id:
            raise PermissionDenied
        _record_rating(req, user, rating, comment, at, RequestEventKind.RATED)
    return req


def return_visit(
    request_obj, user, rating: str, note: str, comment: str = "", *, at: datetime | None = None
) -> EnterpriseRequest:
    """回访: the officer asks the enterprise (phone requests and the like) and records its rating on its behalf."""
    at = at or timezone.now()
    note = _required_text(note, "note", _("Note how the return visit was made."))
    with transaction.atomic():
        req = _locked(request_obj, user)
        text = f"{note}\n{comment}".strip() if comment else note
        _record_rating(req, user, rating, comment or note, at, RequestEventKind.VISITED)
        req.events.filter(kind=RequestEventKind.VISITED, at=at).update(text=text)
    return req


def set_supervisor(request_obj, user, supervisor, *, at: datetime | None = None) -> EnterpriseRequest:
    """The centre names the supervisor (督办员) who follows the request."""
    at = at or timezone.now()
    if not in_centre(user):
        raise PermissionDenied
    with transaction.atomic():
        req = _locked(request_obj, user)
        req.supervisor = supervisor
        req.save()
        _event(req, RequestEventKind.SUPERVISED, at, by=user, text=_("Supervisor: %(name)s") % {"name": supervisor})
    notify(supervisor, _("You supervise request %(number)s.") % {"number": req.number}, req.get_absolute_url())
    return req


def supervisor_note(request_obj, user, text: str, *, at: datetime | None = None) -> RequestEvent:
    """A note of the supervisor (or the centre), for the department; never shown to the enterprise."""
    at = at or timezone.now()
    text = _required_text(text, "text", _("Write the note."))
    with transaction.atomic():
        req = EnterpriseRequest.objects.select_for_update().filter(pk=request_obj.pk).first()
        if req is None or not (req.supervisor_id == user.pk or in_centre(user)):
            raise PermissionDenied
        event = _event(req, RequestEventKind.SUPERVISED, at, by=user, text=text, public=False)
    _notify_all(
        [req.officer] if req.officer_id else writers(req.department),
        _("The supervisor wrote on request %(number)s.") % {"number": req.number},
        req.get_absolute_url(),
    )
    return event


# ---------------------------------------------------------------- reminders and escalations


def _clock_label(purpose: str) -> str:
    return {
        CONTACT: pgettext("request clock", "contact"),
        PLAN: pgettext("request clock", "plan"),
        CLOSE: pgettext("request clock", "close"),
    }.get(purpose, purpose)


def clock_alerts(alerts):
    """Tell the officer (or the department's members while unsigned) of reminders; the supervisor and the
    department's team leads of escalations."""
    ids = {int(alert.clock.subject_id) for alert in alerts}
    requests = {
        r.pk: r
        for r in EnterpriseRequest.objects.filter(pk__in=ids).select_related("department", "officer", "supervisor")
    }
    teams = team_members({r.department_id for r in requests.values()})

    def members(team, roles=WRITE_ROLES):
        """``writers(team, roles)`` from the batch's memberships: the active users with one of ``roles``, each once,
        by username."""
        users: dict = {}
        for membership in teams.get(team.pk, []) if team is not None else []:
            if membership.role in roles and membership.user.is_active:
                users.setdefault(membership.user_id, membership.user)
        return list(users.values())

    with translation.override(settings.LANGUAGE_CODE):
        for alert in alerts:
            req = requests.get(int(alert.clock.subject_id))
            if req is None or req.state not in REQUEST_OPEN:
                continue
            values = {"number": req.number, "clock": _clock_label(alert.clock.purpose), "share": alert.share}
            if alert.kind == ClockAlert.ESCALATION:
                message = _("Request %(number)s is overdue (%(clock)s).") % values
                _notify_all(
                    [req.supervisor, *members(req.department, (Role.TEAM_LEAD,))], message, req.get_absolute_url()
                )
            else:
                message = _("Request %(number)s: %(share)s%% of the time to %(clock)s is used.") % values
                _notify_all(
                    [req.officer] if req.officer_id else members(req.department), message, req.get_absolute_url()
                )
