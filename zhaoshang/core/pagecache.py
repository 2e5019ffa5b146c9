"""Whole public pages and answers kept between requests, found again only while what they were built from is unchanged.

A view decorated with ``cached_page(*generations)`` answers an anonymous GET or HEAD from the copy kept under

    the path, the query string (sorted), the active language, whether the client takes gzip, the htmx headers,
    the API format (Django REST framework), today's date, and the current number of every generation named

so a change to any record the page is built from (``core.generations``) or a new day (stale listings, policies
in force) makes a new key and the old copy is never found again; every copy also expires after
``PAGE_CACHE_TIMEOUT`` seconds, and a release that changes the code, templates or translations keys its copies
anew (``code_version``). Copies live in Django's cache "pages" (Redis in production, shared by the
workers; files otherwise), apart from the rate-limit counts, with a small per-process copy in front
(``PAGE_CACHE_LOCAL_BYTES``): the key names the generations, so a process never serves a copy older than the
numbers it has just read. The numbers are read once per request, in one round trip.

What stays per request: the CSRF token (the copy keeps a placeholder where the page's token was, replaced by the
visitor's own token, whose cookie the CSRF middleware then sets as usual), cookies (a response that sets one is not
kept), the middleware's headers (session's and locale's Vary, CSP, X-Frame-Options: the cache sits inside them)
and compression (GZipMiddleware compresses the copy on its way out; an answer the view compresses itself is kept
per encoding, hence the gzip part of the key).

Never kept nor served from the copy: a signed-in user's request (staff see extras), a method other than GET and
HEAD, an answer other than 200, a streaming answer, a request with a flash message waiting or whose view adds
one or writes the session. On an API view the decorator wraps the action, which Django REST framework calls after
authentication and throttling: a rate limit counts every request, kept copy or not.
"""

from __future__ import annotations

import functools
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.cache import caches
from django.http import HttpResponse
from django.middleware.csrf import _unmask_cipher_token, get_token
from django.utils import timezone
from django.utils.translation import get_language

from . import generations
from .lru import Budgeted

# Where the page's CSRF token was, in a kept copy; never a token (a masked token is 64 letters and digits).
CSRF_PLACEHOLDER = b"--page-cache-csrf-token--"
TOKEN = re.compile(rb"(?<![A-Za-z0-9])[A-Za-z0-9]{64}(?![A-Za-z0-9])")
SKIPPED_HEADERS = {"set-cookie", "content-length"}
CACHE = "pages"  # settings.CACHES: apart from the rate-limit counts and the generation numbers (default)


@dataclass(frozen=True)
class Entry:
    status: int
    body: bytes
    headers: tuple[tuple[str, str], ...]
    csrf: bool  # the body carries CSRF_PLACEHOLDER

    def response(self, request) -> HttpResponse:
        body = self.body
        if self.csrf:
            body = body.replace(CSRF_PLACEHOLDER, get_token(request).encode())
        response = HttpResponse(body, status=self.status)
        for name, value in self.headers:
            response[name] = value
        return response


# The process's most recently used copies, within a budget of bytes; a copy larger than an eighth of it is not kept.
LOCAL_BYTES = getattr(settings, "PAGE_CACHE_LOCAL_BYTES", 32 * 1024 * 1024)
LOCAL = Budgeted(LOCAL_BYTES, weigh=lambda entry: len(entry.body), largest=LOCAL_BYTES // 8)


def request_generations(request, names) -> tuple[int, ...]:
    """The numbers of ``names``, each read once per request (the first asking reads all it lacks in one trip)."""
    known = getattr(request, "_generations", None)
    if known is None:
        known = {}
        try:
            request._generations = known
        except AttributeError:  # pragma: no cover - a request object that takes no attribute
            pass
    missing = [name for name in names if name not in known]
    if missing:
        known.update(generations.current_many(missing))
    return tuple(known[name] for name in names)


def _messages_waiting(request) -> bool:
    storage = getattr(request, "_messages", None)
    return storage is not None and len(storage) > 0  # loaded (cookie or session) plus added, without consuming them


def _anonymous(request) -> bool:
    user = getattr(request, "user", None)
    return user is not None and not user.is_authenticated


def may_use(request) -> bool:
    """Whether this request may be answered from a kept copy (and its answer kept)."""
    return request.method in ("GET", "HEAD") and _anonymous(request) and not _messages_waiting(request)


@functools.cache
def code_version() -> str:
    """A digest of the files the pages are drawn by (the package's code, templates and compiled translations: their
    names, sizes and modification times), read once per process: a release that changes any of them finds none of
    the copies the previous release kept."""
    package = Path(__file__).resolve().parent.parent
    digest = hashlib.sha256(str(getattr(settings, "PAGE_CACHE_VERSION", "")).encode())
    for path in sorted(package.rglob("*")):
        if path.suffix in (".py", ".html", ".txt", ".mo", ".json") and "tests" not in path.parts:
            stat = path.stat()
            digest.update(f"{path.relative_to(package)}:{stat.st_size}:{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()[:16]


def page_key(request, names) -> str:
    renderer = getattr(request, "accepted_renderer", None)
    parts = (
        request.path,
        sorted(request.GET.lists()),
        get_language(),
        "gzip" in request.META.get("HTTP_ACCEPT_ENCODING", ""),
        request.headers.get("HX-Request", ""),
        request.headers.get("HX-Boosted", ""),
        getattr(renderer, "format", ""),
        timezone.localdate().isoformat(),
        code_version(),
        list(zip(names, request_generations(request, names), strict=True)),
    )
    return "page:" + hashlib.sha256(repr(parts).encode()).hexdigest()


def lookup(key: str) -> Entry | None:
    entry = LOCAL.get(key)
    if entry is None:
        entry = caches[CACHE].get(key)
        if entry is not None:
            LOCAL.put(key, entry)
    return entry


def _with_placeholder(request, body: bytes) -> tuple[bytes, bool] | None:
    """The body with the request's CSRF tokens replaced by the placeholder; None if a used token is not found."""
    if not request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
        return body, False
    secret = request.META.get("CSRF_COOKIE")
    found = False

    def swap(match):
        nonlocal found
        token = match.group(0)
        if _unmask_cipher_token(token.decode()) == secret:
            found = True
            return CSRF_PLACEHOLDER
        return token

    body = TOKEN.sub(swap, body)
    return (body, True) if found else None


def entry_for(request, response) -> Entry | None:
    """What to keep of ``response`` (already rendered), or None when it must not be kept."""
    if response.status_code != 200 or response.streaming or response.cookies:
        return None
    if _messages_waiting(request):  # the view added a message
        return None
    session = getattr(request, "session", None)
    if session is not None and session.modified:
        return None
    kept = _with_placeholder(request, response.content)
    if kept is None:
        return None
    body, csrf = kept
    headers = tuple((name, value) for name, value in response.items() if name.lower() not in SKIPPED_HEADERS)
    return Entry(response.status_code, body, headers, csrf)


def _render(view_self, request, response):
    """A response ready to keep: an unrendered template or API answer is rendered here, as Django would later."""
    try:
        from rest_framework.response import Response
    except ImportError:  # pragma: no cover
        Response = ()
    if isinstance(response, Response) and not getattr(response, "accepted_renderer", None) and view_self is not None:
        response = view_self.finalize_response(request, response)
    if hasattr(response, "render") and not getattr(response, "is_rendered", True):
        response.render()
    return response


def cached_page(*names: str, timeout: int | None = None):
    """Keep the view's anonymous answers under the generations ``names`` (see the module's text).

    Works on a function view ``view(request, ...)`` and on a method ``action(self, request, ...)``.
    """

    def decorate(view):
        @functools.wraps(view)
        def wrapper(*args, **kwargs):
            if hasattr(args[0], "method"):
                view_self, request = None, args[0]
            else:
                view_self, request = args[0], args[1]
            if not getattr(settings, "PAGE_CACHE_ENABLED", True) or not may_use(request):
                return view(*args, **kwargs)
            key = page_key(request, names)
            entry = lookup(key)
            if entry is not None:
                return entry.response(request)
            response = _render(view_self, request, view(*args, **kwargs))
            entry = entry_for(request, response)
            if entry is not None:
                caches[CACHE].set(key, entry, timeout if timeout is not None else settings.PAGE_CACHE_TIMEOUT)
                LOCAL.put(key, entry)
            return response

        wrapper.page_generations = names
        return wrapper

    return decorate
