"""Helpers shared by the tests of every app.

Forms sent back (``form_data``), calls at the same moment (``at_once``, ``file_database``), the fonts of a PDF
(``pdf_fonts``), and the generic helpers of the permission tests (in the spirit of NetBox's ViewTestCases), three
things used by the permission matrix test (tests/test_access_matrix.py) and open to any app's tests:

- the access policy: the table of ``docs/access.md`` read into ``{row: {role: letters}}`` (``policy_table``);
- the endpoints: every URL pattern of the site walked from ``get_resolver()`` and mapped to the model it serves
  and the kind of page it is (list, detail, edit, …), or exempted with a written reason (``endpoints``);
- the standard world: one user per role and one reference record per row of the table, owned by the owner's
  outpost, in 蓬江区 (440703), not confidential (``build_world``).

A new model with ``restrict()`` without a row in the table, or a new page or API endpoint that is neither mapped
nor exempt, makes the matrix test fail: the next app cannot forget to say who may see it.
"""

from __future__ import annotations

import re
from contextlib import contextmanager
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver


def form_data(response, **changes):
    """What the browser sends back from the form a page showed, with some fields changed."""
    data = {}
    for field in response.context["form"]:
        value = field.value()
        if value is None:
            continue
        data[field.name] = [str(v) for v in value] if isinstance(value, list | tuple) else value
    data.update(changes)
    return data


def at_once(*calls):
    """Run each call in its own thread, all released together by a barrier; their results, in order.

    Each thread has its own database connection (as each request of a real server has), closed when it ends. An
    exception a call raises is returned in its place, so that the caller asserts on every outcome.
    """
    import threading

    from django.db import connections

    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait()
            results[index] = call()
        except Exception as exc:  # handed back to the test, which asserts on it
            results[index] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(index, call)) for index, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


@contextmanager
def file_database(path):
    """The default database as a file, for tests whose threads must really write at the same moment.

    pytest-django keeps SQLite's test database in memory, where connections share one cache and lock whole
    tables, unlike a server's. Within the block the database is a copy of it in ``path`` (every thread's
    connection opens the file, as the server's would); the in-memory one is left as it was. PostgreSQL's test
    database is already a real one: nothing changes.
    """
    import sqlite3

    from django.db import connections

    memory = connections["default"]
    if memory.vendor != "sqlite" or not memory.is_in_memory_db():
        yield
        return
    memory.ensure_connection()
    copy = sqlite3.connect(path)
    memory.connection.backup(copy)
    copy.close()
    settings = connections.settings["default"]
    connections.settings["default"] = {**settings, "NAME": str(path)}
    on_file = connections.create_connection("default")
    connections["default"] = on_file
    try:
        yield
    finally:
        on_file.close()
        connections["default"] = memory
        connections.settings["default"] = settings


def pdf_image_widths(data: bytes) -> list[int]:
    """The pixel widths of the images a PDF's pages draw (photos, QR codes), page by page."""
    import io

    from pypdf import PdfReader

    return [
        xobject.get_object()["/Width"]
        for page in PdfReader(io.BytesIO(data)).pages
        for xobject in (page["/Resources"].get("/XObject") or {}).values()
        if xobject.get_object().get("/Subtype") == "/Image"
    ]


def listing_photo(listing, alt_text: str = "园区外景", alt_text_en: str = "The park from outside", cover: bool = True):
    """A photo of a park or site saved as an upload is (turned upright, thumbnail made), stored under the
    settings' ``PRIVATE_MEDIA_ROOT`` (point it at a temporary folder)."""
    from zhaoshang.geo.models import Carrier, ListingPhoto
    from zhaoshang.geo.services import prepare_photo, save_photo

    field = "carrier" if isinstance(listing, Carrier) else "park"
    photo = ListingPhoto(
        **{field: listing}, image=image_upload("photo.jpg"), alt_text=alt_text, alt_text_en=alt_text_en, cover=cover
    )
    prepare_photo(photo)
    save_photo(photo)
    return photo


def pdf_fonts(data: bytes) -> dict[str, bool]:
    """Every font the pages of a PDF use, by name, and whether the file carries its glyphs.

    A font is embedded when its descriptor holds a font program (FontFile, FontFile2 or FontFile3); a composite
    (Type0) font is judged by its descendant font. The base-14 fonts (Helvetica…) and CID fonts such as
    STSong-Light have no program in the file: a reader without them substitutes another font or shows boxes.
    Fonts of form XObjects are included.
    """
    import io

    from pypdf import PdfReader

    def embedded(font) -> bool:
        if font.get("/Subtype") == "/Type0":
            return all(embedded(descendant.get_object()) for descendant in font["/DescendantFonts"])
        if font.get("/Subtype") == "/Type3":
            return True  # glyphs drawn by the file's own content streams
        descriptor = font.get("/FontDescriptor")
        descriptor = descriptor.get_object() if descriptor is not None else {}
        return any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))

    fonts: dict[str, bool] = {}

    def visit(resources) -> None:
        resources = resources.get_object() if resources is not None else {}
        for font in (resources.get("/Font") or {}).values():
            font = font.get_object()
            fonts[str(font.get("/BaseFont"))] = embedded(font)
        for xobject in (resources.get("/XObject") or {}).values():
            xobject = xobject.get_object()
            if xobject.get("/Subtype") == "/Form":
                visit(xobject.get("/Resources"))

    for page in PdfReader(io.BytesIO(data)).pages:
        visit(page.get("/Resources"))
    return fonts


# ---------------------------------------------------------------- the policy table

POLICY_FILE = Path(settings.BASE_DIR) / "docs" / "access.md"

# The columns of the table, in order: the role keys the tests speak of.
ROLES = (
    "owner",
    "other",
    "district",
    "task_force",
    "partner",
    "department",
    "centre",
    "reviewer",
    "leader",
    "admin",
    "anonymous",
)
LETTERS = frozenset("krpce")
CONFIDENTIAL_ROW = "projects.Project (confidential)"
_ROW = re.compile(r"^\|\s*`([^`]+)`\s*\|(.*)\|\s*$")


def policy_table(path: Path = POLICY_FILE) -> dict[str, dict[str, frozenset[str]]]:
    """The table of the access policy: ``{"projects.Project": {"owner": {"r", "p", "c", "e"}, …}, …}``.

    A row is a table line whose first cell is a model label in backquotes; each of the next cells holds
    letters (``k`` look up, ``r`` read, ``p`` personal data, ``c`` change, ``e`` export) or ``-``.
    """
    table: dict[str, dict[str, frozenset[str]]] = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        match = _ROW.match(line.strip())
        if not match:
            continue
        row, rest = match.groups()
        cells = [cell.strip() for cell in rest.split("|")]
        if len(cells) != len(ROLES):
            raise ValueError(f"{path.name}:{number}: {row} has {len(cells)} cells, not {len(ROLES)}")
        if row in table:
            raise ValueError(f"{path.name}:{number}: {row} is in the table twice")
        letters = {}
        for role, cell in zip(ROLES, cells, strict=True):
            found = frozenset() if cell == "-" else frozenset(cell)
            if not found <= LETTERS or (cell != "-" and not cell):
                raise ValueError(f"{path.name}:{number}: {row}/{role}: {cell!r} is not made of k r p c e or -")
            letters[role] = found
        table[row] = letters
    return table


def model_of_row(row: str):
    return apps.get_model(row.split(" ", 1)[0])


def restricted_models() -> list:
    """Every installed model whose default manager has ``restrict()``."""
    return [model for model in apps.get_models() if hasattr(model._default_manager, "restrict")]


# ---------------------------------------------------------------- the endpoints

# The kinds of endpoints. A record-less kind (list, export, lookup, create) is asked without the record's key.
LIST, SUMMARY, DETAIL, CREATE, EDIT, DELETE, EXPORT, HISTORY, LOOKUP, IMPORT, ACTION, DOWNLOAD, PUBLIC = (
    "list",
    "summary",  # a page of some of the records (the user's own work, duplicates, speed): never one not readable
    "detail",
    "create",
    "edit",
    "delete",
    "export",
    "history",
    "lookup",
    "import",
    "action",
    "download",
    "public",
)
RECORDLESS = frozenset({LIST, CREATE, EXPORT, LOOKUP, IMPORT})


@dataclass(frozen=True)
class Endpoint:
    """One URL pattern: its name (``namespace:name``), route, the model it serves and the kind of page."""

    name: str
    route: str
    model: str  # "app_label.Model"
    kind: str
    api: bool
    methods: tuple[str, ...] = ()  # for DRF viewsets: the HTTP methods this route answers
    parent: str = ""  # the URL's key names a record of this model (a project's contacts: projects.Project)

    @property
    def key_model(self) -> str:
        return self.parent or self.model

    def __str__(self):
        return f"{self.name} ({self.model}, {self.kind})"


# Function views and views whose model cannot be read from the view: URL name → (model, kind[, parent model]).
EXPLICIT = {
    "industry:enterprise-export": ("industry.Enterprise", EXPORT),
    "industry:enterprise-template": ("industry.Enterprise", IMPORT),
    "industry:enterprise-import": ("industry.Enterprise", IMPORT),
    "industry:chain-export": ("industry.Chain", EXPORT),
    "industry:chain-template": ("industry.Chain", IMPORT),
    "industry:chain-import": ("industry.Chain", IMPORT),
    "industry:segment-add": ("industry.ChainSegment", CREATE, "industry.Chain"),
    "industry:node-add": ("industry.ChainNode", CREATE, "industry.Chain"),
    "industry:enterprise-node-correct": ("industry.NodeClassification", ACTION, "industry.Enterprise"),
    "industry:classification-undo": ("industry.NodeClassification", ACTION),
    "industry:enterprise-duplicates": ("industry.Enterprise", SUMMARY),
    "industry:enterprise-merge": ("industry.Enterprise", EDIT),
    "projects:project-export": ("projects.Project", EXPORT),
    "projects:project-template": ("projects.Project", IMPORT),
    "projects:project-import": ("projects.Project", IMPORT),
    "projects:duplicates": ("projects.Project", SUMMARY),
    "projects:lookup": ("projects.Project", LOOKUP),
    "projects:board": ("projects.Project", LIST),
    "projects:speed": ("projects.Project", SUMMARY),
    "projects:board-move": ("projects.Project", ACTION),
    "projects:project-detail": ("projects.Project", DETAIL),
    "projects:project-transition": ("projects.Project", ACTION),
    "projects:project-correct-date": ("projects.Project", ACTION),
    "projects:document-download": ("projects.Document", DOWNLOAD),
    "projects:activity-add": ("projects.Activity", CREATE, "projects.Project"),
    "projects:milestone-add": ("projects.Milestone", CREATE, "projects.Project"),
    "projects:contact-add": ("projects.Contact", CREATE, "projects.Project"),
    "projects:document-add": ("projects.Document", CREATE, "projects.Project"),
    "my-work": ("projects.Project", SUMMARY),
    "stats:records": ("projects.Project", SUMMARY),
    "stats:report-published": ("stats.Report", DETAIL),
    "stats:report-published-download": ("stats.Report", DOWNLOAD),
    "stats:fdi-template": ("stats.FDIRecord", IMPORT),
    "review:permu-method-list": ("review.EvaluationMethod", LIST),
    "review:permu-method-detail": ("review.EvaluationMethod", DETAIL),
    "review:permu-method-copy": ("review.EvaluationMethod", ACTION),
    "review:permu-data-list": ("review.EnterpriseYear", LIST),
    "review:permu-data-template": ("review.EnterpriseYear", IMPORT),
    "review:permu-data-import": ("review.EnterpriseYear", IMPORT),
    "review:permu-run-list": ("review.EvaluationRun", LIST),
    "review:permu-run-start": ("review.EvaluationRun", ACTION),
    "review:permu-run-detail": ("review.EvaluationRun", DETAIL),
    "review:permu-result-list": ("review.EvaluationResult", LIST),
    "review:permu-result-detail": ("review.EvaluationResult", DETAIL),
    "review:permu-result-export": ("review.EvaluationResult", EXPORT),
    "stats:fdi-import": ("stats.FDIRecord", IMPORT),
    "stats:event-add": ("stats.Event", CREATE),
    "stats:event-detail": ("stats.Event", DETAIL),
    "stats:event-edit": ("stats.Event", EDIT),
    "stats:event-add-project": ("stats.EventProject", CREATE, "stats.Event"),
    "stats:event-remove-project": ("stats.EventProject", ACTION, "stats.Event"),
    "stats:event-record-stages": ("stats.Event", ACTION),
    "stats:event-print": ("stats.Event", DOWNLOAD),
    "stats:event-export": ("stats.Event", DOWNLOAD),
    "review:allocation-save": ("review.SavedAllocation", CREATE),
    "review:allocation-record": ("review.SavedAllocation", DETAIL),
    "core:object-history": ("*", HISTORY),
    "core:import-jobs": ("core.ImportJob", LIST),
    "core:import-job": ("core.ImportJob", DETAIL),
    "core:import-job-errors": ("core.ImportJob", DOWNLOAD),
    "portal:park-detail": ("geo.Park", PUBLIC),
    "portal:park-qr": ("geo.Park", PUBLIC),
    "portal:carrier-detail": ("geo.Carrier", PUBLIC),
    "portal:carrier-qr": ("geo.Carrier", PUBLIC),
    "portal:guide-list": ("portal.Guide", PUBLIC),
    "portal:guide-detail": ("portal.Guide", PUBLIC),
    "portal:policy-list": ("portal.Policy", PUBLIC),
    "portal:policy-detail": ("portal.Policy", PUBLIC),
    "portal:proposal-save": ("portal.Proposal", PUBLIC),
    "portal:proposal-detail": ("portal.Proposal", PUBLIC),
    "portal:proposal-qr": ("portal.Proposal", PUBLIC),
    "portal:proposal-pdf": ("portal.Proposal", PUBLIC),
    "portal:compare": ("geo.Carrier", PUBLIC),
    "portal:compare-pdf": ("geo.Carrier", PUBLIC),
    "portal:compare-save": ("portal.Proposal", PUBLIC),
    "portal:inquire": ("portal.Inquiry", PUBLIC),
    "portal:inquiry-inbox": ("portal.Inquiry", LIST),
    "portal:inquiry-detail": ("portal.Inquiry", DETAIL),
    "portal:inquiry-accept": ("portal.Inquiry", ACTION),
    "portal:inquiry-dismiss": ("portal.Inquiry", ACTION),
    "portal:staff-carrier-list": ("geo.Carrier", LIST),
    "portal:staff-carrier-add": ("geo.Carrier", CREATE),
    "portal:staff-carrier-export": ("geo.Carrier", EXPORT),
    "portal:staff-carrier-template": ("geo.Carrier", IMPORT),
    "portal:staff-carrier-import": ("geo.Carrier", IMPORT),
    "portal:staff-carrier-detail": ("geo.Carrier", DETAIL),
    "portal:staff-carrier-edit": ("geo.Carrier", EDIT),
    "portal:staff-carrier-delete": ("geo.Carrier", DELETE),
    "portal:staff-carrier-verify": ("geo.Carrier", ACTION),
    "portal:staff-park-list": ("geo.Park", LIST),
    "portal:staff-park-add": ("geo.Park", CREATE),
    "portal:staff-park-export": ("geo.Park", EXPORT),
    "portal:staff-park-template": ("geo.Park", IMPORT),
    "portal:staff-park-import": ("geo.Park", IMPORT),
    "portal:staff-park-detail": ("geo.Park", DETAIL),
    "portal:staff-park-edit": ("geo.Park", EDIT),
    "portal:staff-park-delete": ("geo.Park", DELETE),
    "portal:staff-park-verify": ("geo.Park", ACTION),
    "portal:photo": ("geo.ListingPhoto", PUBLIC),
    "portal:photo-thumbnail": ("geo.ListingPhoto", PUBLIC),
    "portal:listing-document": ("geo.ListingDocument", PUBLIC),
    "portal:staff-carrier-photo-add": ("geo.Carrier", ACTION),
    "portal:staff-park-photo-add": ("geo.Park", ACTION),
    "portal:staff-carrier-document-add": ("geo.Carrier", ACTION),
    "portal:staff-park-document-add": ("geo.Park", ACTION),
    "portal:staff-photo-delete": ("geo.ListingPhoto", DELETE),
    "portal:staff-listing-document-delete": ("geo.ListingDocument", DELETE),
    "portal:staff-policy-list": ("portal.Policy", LIST),
    "portal:staff-policy-add": ("portal.Policy", CREATE),
    "portal:staff-policy-edit": ("portal.Policy", EDIT),
    "portal:staff-policy-delete": ("portal.Policy", DELETE),
    "portal:staff-guide-list": ("portal.Guide", LIST),
    "portal:staff-guide-add": ("portal.Guide", CREATE),
    "portal:staff-guide-edit": ("portal.Guide", EDIT),
    "api:project-duplicates": ("projects.Project", SUMMARY),
    "api:project-lookup": ("projects.Project", LOOKUP),
    "api:project-speed": ("projects.Project", SUMMARY),
    "api:project-correct-date": ("projects.Project", ACTION),
    "api:project-transition": ("projects.Project", ACTION),
    "api:region-geojson": ("geo.Region", LIST),
    "api:portal-park-geojson": ("geo.Park", PUBLIC),
    "api:portal-site-geojson": ("geo.Carrier", PUBLIC),
    "api:portal-park-list": ("geo.Park", PUBLIC),
    "api:portal-park-detail": ("geo.Park", PUBLIC),
    "api:portal-site-list": ("geo.Carrier", PUBLIC),
    "api:portal-site-detail": ("geo.Carrier", PUBLIC),
    "api:portal-guide-list": ("portal.Guide", PUBLIC),
    "api:portal-guide-detail": ("portal.Guide", PUBLIC),
    "api:portal-policy-list": ("portal.Policy", PUBLIC),
    "api:portal-policy-detail": ("portal.Policy", PUBLIC),
    "api:portal-match": ("portal.Proposal", PUBLIC),
    "api:portal-proposals": ("portal.Proposal", PUBLIC),
    "api:portal-proposal-detail": ("portal.Proposal", PUBLIC),
    "api:event-projects": ("stats.EventProject", LIST, "stats.Event"),
    "review:standard-list": ("review.StandardSet", LIST),
    "review:standard-detail": ("review.StandardSet", DETAIL),
    "review:standard-new-version": ("review.StandardSet", ACTION),
    "review:threshold-add": ("review.StandardSet", ACTION),
    "review:criterion-add": ("review.StandardSet", ACTION),
    "review:rejection-add": ("review.StandardSet", ACTION),
    "review:source-list": ("review.SourceDocument", LIST),
    "review:source-detail": ("review.SourceDocument", DETAIL),
    "review:zone-list": ("review.Zone", LIST),
    "review:mapping-list": ("review.CodeMapping", LIST),
    "review:review-figures": ("review.Review", EDIT),
    "review:review-figures-template": ("review.Review", DOWNLOAD),
    "review:review-figures-import": ("review.Review", ACTION),
    "review:review-add": ("review.Review", CREATE),
    "review:review-detail": ("review.Review", DETAIL),
    "review:review-submit": ("review.Review", ACTION),
    "review:review-return": ("review.Review", ACTION),
    "review:review-assign": ("review.Review", ACTION),
    "review:review-decide": ("review.Review", ACTION),
    "review:review-commit": ("review.Review", ACTION),
    "review:review-result": ("review.Review", ACTION),
    "review:assignment-score": ("review.Assignment", ACTION),
    "review:assignment-conflict": ("review.Assignment", ACTION),
    # the breaches and overdue dates of the yearly results the user reads (page and its workbook)
    "review:supervision": ("review.YearResult", SUMMARY),
    "review:supervision-export": ("review.YearResult", SUMMARY),
    # a node's page: its local enterprises, and the ranking and targets for those who work its chain
    "chains:node-detail": ("industry.ChainNode", DETAIL),
    # a chain's work: progress, targets acted on and the shared record, as the user reads them
    "chains:chain-work": ("chains.ChainActivity", SUMMARY, "industry.Chain"),
    "chains:activity-add": ("chains.ChainActivity", ACTION),
    "chains:target-take": ("chains.Target", ACTION),
    "chains:target-dismiss": ("chains.Target", ACTION),
    # the chains at a glance (every member of staff reads chains; the figures count what the user reads) and a map
    "chains:overview": ("industry.Chain", SUMMARY),
    "chains:chain-map": ("industry.Chain", DETAIL),
    "chains:value-added-list": ("chains.ChainValueAdded", LIST),
    "chains:value-added-template": ("chains.ChainValueAdded", IMPORT),
    "chains:value-added-import": ("chains.ChainValueAdded", IMPORT),
    # notifications: the e-mails and webhook messages on their way, administrators only
    "core:delivery-list": ("core.Delivery", LIST),
    "core:delivery-retry": ("core.Delivery", ACTION),
    # ---- enterprise requests (诉求): the queue of open requests, the list and its export, a request's page (the
    # enterprise's own view of it for its accounts) and its steps, the figures counted from the readable requests
    "services:request-queue": ("services.EnterpriseRequest", LIST),
    "services:request-list": ("services.EnterpriseRequest", LIST),
    "services:request-export": ("services.EnterpriseRequest", EXPORT),
    "services:request-figures": ("services.EnterpriseRequest", SUMMARY),
    "services:request-submit": ("services.EnterpriseRequest", CREATE),
    "services:request-add": ("services.EnterpriseRequest", CREATE),
    "services:my-requests": ("services.EnterpriseRequest", SUMMARY),
    "services:request-detail": ("services.EnterpriseRequest", DETAIL),
    "services:request-sign": ("services.EnterpriseRequest", ACTION),
    "services:request-contact": ("services.EnterpriseRequest", ACTION),
    "services:request-plan": ("services.EnterpriseRequest", ACTION),
    "services:request-interim": ("services.EnterpriseRequest", ACTION),
    "services:request-transfer": ("services.EnterpriseRequest", ACTION),
    "services:request-send-back": ("services.EnterpriseRequest", ACTION),
    "services:request-close": ("services.EnterpriseRequest", ACTION),
    "services:request-rate": ("services.EnterpriseRequest", ACTION),
    "services:request-visit": ("services.EnterpriseRequest", ACTION),
    "services:request-supervisor": ("services.EnterpriseRequest", ACTION),
    "services:request-note": ("services.EnterpriseRequest", ACTION),
    "services:sendback-arbitrate": ("services.SendBack", ACTION),
    "services:account-add": ("services.EnterpriseAccount", CREATE),
}

# Pages and endpoints that serve no restricted record, each with the reason.
EXEMPT = {
    # ---- enterprise requests (诉求)
    "services:account-set-password": "an enterprise account's person sets a password from the signed one-time link "
    "(Django's password-reset token); it shows no record",
    "health": "the health check answers the load balancer; it shows no record",
    "favicon": "the site's icon (a redirect to the static file); it shows no record",
    "set_language": "switches the language of the pages",
    "javascript-catalog": "the translations of the scripts",
    "accounts:login": "signing in",
    "accounts:logout": "signing out",
    "accounts:profile": "the user's own profile: their own memberships only",
    "api:me": "the caller's own account",
    "api:api-root": "the list of the API's addresses",
    "api:schema": "the API's description, no record",
    "api:docs": "the API's documentation page",
    "core:home": "the start page: panels each app fills from restricted querysets it tests itself",
    "core:notifications": "the user's own notifications",
    "core:audit-log": "the change records of every model: administrators only (tested in core's tests)",
    "portal:map": "the public map page; its data come from the public API mapped here",
    "portal:home": "the city's page: its profile (public), chains, published parks and figures counted from public "
    "records (tested in portal's tests: each figure equals its list)",
    "portal:search": "the public search: published parks and sites, policies in force only, whoever asks "
    "(tested in portal's tests)",
    "api:portal-suggest": "suggestions of the public search: published parks and sites, policies in force only "
    "(tested in portal's tests)",
    "portal:portal-qr": "the QR code of the portal's address",
    "portal:match": "the public matching page: it ranks published sites (the public API mapped here)",
    "portal:inquiry-thanks": "the page after an inquiry is sent",
    "portal:personal-data": "the data protection page (privacy officer's requests), tested in portal's tests",
    "stats:figures": "aggregate figures of the statistics, no record (stats' own tests hold their scope)",
    "stats:checks": "data-quality checks of the statistics: counts, tested in stats' tests",
    "stats:dashboard": "aggregate figures of the leaders' dashboard",
    "stats:report": "the monthly report being prepared: aggregate figures",
    "stats:report-publish": "publishing the monthly report (stats.Report's add; tested in stats' tests)",
    "stats:report-download": "the monthly report being prepared, as a document: aggregate figures",
    "api:stats-figures": "aggregate figures",
    "api:stats-headline": "aggregate headline figures",
    "None": "uploaded files in development (DEBUG only)",
    "review:allocation": "a land allocation proposal computed from restricted querysets, no record of its own; the "
    "centre and administrators only, others 403 (review's test_allocation)",
    # -- the working-day calendar (issue 16): core.CalendarDay/CalendarYear are plain models, not restrict()
    "core:calendar": "the working-day calendar (public holidays, no business record): all staff read it, anonymous "
    "callers are sent to log in (core's test_calendar_pages)",
    "core:calendar-year": "one year of the working-day calendar: all staff read it (core's test_calendar_pages)",
    "core:calendar-load": "loading a year of the calendar from the package: administrators only, others 403 "
    "(core's test_calendar_pages)",
    "core:calendar-day-add": "adding a day to the calendar: administrators only, others 403 (core's "
    "test_calendar_pages)",
    "core:calendar-day-edit": "changing a day of the calendar: administrators only, others 403 (core's "
    "test_calendar_pages)",
    "core:calendar-day-delete": "removing a day of the calendar: administrators only, others 403 (core's "
    "test_calendar_pages)",
    "core:calendar-year-complete": "marking a year of the calendar complete: administrators only, others 403 "
    "(core's test_calendar_pages)",
}

# Roots of the site left out of the walk: Django's admin has its own permissions (staff users only).
SKIPPED_PREFIXES = ("admin/",)


def _view_model(callback):
    view = getattr(callback, "view_class", None) or getattr(callback, "cls", None)
    if view is None:
        return None
    model = getattr(view, "model", None)
    if model is None:
        queryset = getattr(view, "queryset", None)
        model = getattr(queryset, "model", None)
    return model


_KIND_BY_ACTION = {
    "list": LIST,
    "create": CREATE,
    "retrieve": DETAIL,
    "update": EDIT,
    "partial_update": EDIT,
    "destroy": DELETE,
}
_KIND_BY_SUFFIX = (
    ("-list", LIST),
    ("-detail", DETAIL),
    ("-add", CREATE),
    ("-edit", EDIT),
    ("-delete", DELETE),
    ("-export", EXPORT),
)


@dataclass
class Walk:
    endpoints: list[Endpoint] = dataclass_field(default_factory=list)
    unmapped: list[str] = dataclass_field(default_factory=list)
    exempt: dict[str, str] = dataclass_field(default_factory=dict)


def walk_urls() -> Walk:
    """Every URL pattern of the site, mapped to (model, kind) or exempt (with its reason) or unmapped."""
    found = Walk()
    seen: set[tuple[str, str]] = set()

    def visit(resolver, prefix: str, namespace: str):
        for pattern in resolver.url_patterns:
            route = prefix + str(pattern.pattern)
            if route.startswith(SKIPPED_PREFIXES):
                continue
            if isinstance(pattern, URLResolver):
                inner = namespace + (f"{pattern.namespace}:" if pattern.namespace else "")
                visit(pattern, route, inner)
                continue
            assert isinstance(pattern, URLPattern)
            name = f"{namespace}{pattern.name}" if pattern.name else "None"
            if "(?P<format>" in route or route.endswith("<drf_format_suffix:format>"):
                continue  # DRF's format suffixes: the same view as the route without them
            if (name, route) in seen:
                continue
            seen.add((name, route))
            if name in EXEMPT:
                found.exempt[name] = EXEMPT[name]
                continue
            actions = getattr(pattern.callback, "actions", None) or {}
            allowed = getattr(getattr(pattern.callback, "cls", None), "http_method_names", None)
            if allowed is not None:  # the router lists every action; the viewset may answer fewer methods
                actions = {method: action for method, action in actions.items() if method in allowed}
            api = name.startswith("api:")
            if name in EXPLICIT:
                model, kind, *parent = EXPLICIT[name]
                found.endpoints.append(
                    Endpoint(name, route, model, kind, api, tuple(actions), parent[0] if parent else "")
                )
                continue
            model = _view_model(pattern.callback)
            kind = None
            if actions:
                kinds = {_KIND_BY_ACTION.get(action) for action in actions.values()}
                kind = DETAIL if DETAIL in kinds else LIST if LIST in kinds else None
            else:
                kind = next((kind for suffix, kind in _KIND_BY_SUFFIX if name.endswith(suffix)), None)
            if model is None or kind is None:
                found.unmapped.append(f"{name} {route}")
                continue
            found.endpoints.append(Endpoint(name, route, model._meta.label, kind, api, tuple(actions)))

    visit(get_resolver(), "", "")
    return found


# ---------------------------------------------------------------- the standard world

MARK = "矩阵"  # in the name of every reference record: found again in pages, API answers and exports


@dataclass
class World:
    users: dict  # role → User (anonymous → None)
    teams: dict  # "outpost_a", "outpost_b", "district", "task_force", "partner", "department", "centre" → Team
    records: dict = dataclass_field(default_factory=dict)  # row of the table → the reference record

    def user(self, role: str):
        return self.users[role]


def build_world() -> World:
    """One user per role and one reference record per row of the policy table (see the module's docstring)."""
    from django.contrib.contenttypes.models import ContentType  # noqa: F401 (content types exist for history)
    from django.core.files.base import ContentFile
    from django.utils import timezone

    from zhaoshang.accounts.choices import Role, TeamKind
    from zhaoshang.accounts.models import Membership
    from zhaoshang.accounts.tests.factories import TeamFactory, member
    from zhaoshang.core.models import ImportJob
    from zhaoshang.geo.choices import FactKind
    from zhaoshang.geo.models import ListingDocument, ListingPhoto, LocationFact, Region
    from zhaoshang.geo.services import load_regions, prepare_photo, save_photo
    from zhaoshang.geo.tests.factories import CarrierFactory, ParkFactory
    from zhaoshang.industry.models import EnterpriseTag, IndustryCode
    from zhaoshang.industry.tests.factories import ChainFactory, EnterpriseFactory
    from zhaoshang.portal.models import CityProfile, Guide, GuideStep, Inquiry, Policy
    from zhaoshang.portal.services.matching import Needs, save_proposal
    from zhaoshang.projects.choices import StallRule
    from zhaoshang.projects.models import Document, StallFlag
    from zhaoshang.projects.tests.factories import (
        ActivityFactory,
        ContactFactory,
        MilestoneFactory,
        ProjectFactory,
    )
    from zhaoshang.review.choices import ReviewEventKind, ReviewKind, ReviewState
    from zhaoshang.review.models import (
        Assignment,
        Commitment,
        Criterion,
        Review,
        ReviewEvent,
        SavedAllocation,
        Score,
        StandardSet,
        YearResult,
    )
    from zhaoshang.stats.event_choices import EventKind, EventRole
    from zhaoshang.stats.models import ComparisonFigure, Event, EventProject, EventVenue, FDIRecord
    from zhaoshang.stats.reports import last_complete_month, publish

    if not Region.objects.filter(adcode="440703").exists():
        load_regions("440700")
    pengjiang = Region.objects.get(adcode="440703")
    teams = {
        "centre": TeamFactory(name="矩阵市投资促进中心", kind=TeamKind.CENTRE),
        "outpost_a": TeamFactory(name="矩阵驻北京招商联络处", kind=TeamKind.OUTPOST, stationed_city="北京"),
        "outpost_b": TeamFactory(name="矩阵驻上海招商联络处", kind=TeamKind.OUTPOST, stationed_city="上海"),
        "district": TeamFactory(name="矩阵蓬江区投资促进局", kind=TeamKind.DISTRICT, adcode="440703"),
        "task_force": TeamFactory(name="矩阵新能源产业链专班", kind=TeamKind.TASK_FORCE),
        "partner": TeamFactory(name="矩阵市商务局", kind=TeamKind.PARTNER),
        "department": TeamFactory(name="矩阵市自然资源局", kind=TeamKind.DEPARTMENT),
    }
    users = {
        "owner": member(teams["outpost_a"], Role.OFFICER, username="m_owner"),
        "other": member(teams["outpost_b"], Role.OFFICER, username="m_other"),
        "district": member(teams["district"], Role.OFFICER, username="m_district"),
        "task_force": member(teams["task_force"], Role.OFFICER, username="m_task_force"),
        "partner": member(teams["partner"], Role.OFFICER, username="m_partner"),
        "department": member(teams["department"], Role.OFFICER, username="m_department"),
        "centre": member(teams["centre"], Role.OFFICER, username="m_centre"),
        "reviewer": member(teams["centre"], Role.REVIEWER, username="m_reviewer"),
        "leader": member(teams["centre"], Role.LEADER, username="m_leader"),
        "admin": member(teams["centre"], Role.ADMIN, username="m_admin"),
        "anonymous": None,
    }
    owner, team = users["owner"], teams["outpost_a"]
    today = timezone.localdate()
    chain = ChainFactory(name="矩阵新能源电池", task_force=teams["task_force"])
    enterprise = EnterpriseFactory(name="矩阵电池科技有限公司", owner_team=team, hq_region=pengjiang)
    project = ProjectFactory(
        name="矩阵电池项目",
        enterprise=enterprise,
        owner_team=team,
        owner=owner,
        district=pengjiang,
        chain=chain,
        planned_investment=Decimal("87654.32"),
        description="矩阵谈判要点",
    )
    secret = ProjectFactory(  # on an enterprise of its own: a look-up by the enterprise finds it alone
        name="矩阵保密项目",
        enterprise=EnterpriseFactory(name="矩阵保密储能有限公司", owner_team=team, hq_region=pengjiang),
        owner_team=team,
        district=pengjiang,
        confidential=True,
    )
    park = ParkFactory(name="矩阵产业园", team=team, region=pengjiang)
    carrier = CarrierFactory(name="矩阵地块", team=team, region=pengjiang, park=park)
    photo = ListingPhoto(
        carrier=carrier, image=image_upload("matrix.jpg"), alt_text="矩阵厂房", alt_text_en="Matrix hall"
    )
    prepare_photo(photo)
    save_photo(photo)
    event = Event.objects.create(name="矩阵签约仪式", kind=EventKind.SIGNING, start_on=today, organiser_team=team)
    venue = EventVenue.objects.create(event=event, name="矩阵主会场", city="江门", held_on=today)
    guide = Guide.objects.create(project_type="industrial", title="矩阵工业项目落地指南")
    records = {
        "accounts.Team": team,
        "accounts.Membership": Membership.objects.get(user=owner, team=team),
        "geo.Region": pengjiang,
        "geo.Park": park,
        "geo.Carrier": carrier,
        "geo.ListingPhoto": photo,
        "geo.ListingDocument": ListingDocument.objects.create(
            park=park,
            title="矩阵园区手册",
            title_en="Matrix park brochure",
            file=ContentFile(b"%PDF-1.4 matrix brochure", name="brochure.pdf"),
        ),
        "geo.LocationFact": LocationFact.objects.create(
            park=park, kind=FactKind.SUPPLIERS, value=Decimal("42"), text="矩阵配套企业", source="矩阵统计", as_of=today
        ),
        "industry.IndustryCode": IndustryCode.objects.get(code="38"),
        "industry.Chain": chain,
        "industry.EnterpriseTag": EnterpriseTag.objects.order_by("pk").first(),
        "industry.Enterprise": enterprise,
        "projects.Project": project,
        CONFIDENTIAL_ROW: secret,
        "projects.StageTransition": project.transitions.get(),
        "projects.Milestone": MilestoneFactory(project=project, name="矩阵土地挂牌"),
        "projects.Activity": ActivityFactory(project=project, summary="矩阵拜访总部"),
        "projects.Document": Document.objects.create(
            project=project, title="矩阵投资协议", file=ContentFile(b"%PDF-1.4 matrix", name="matrix.pdf")
        ),
        "projects.Contact": ContactFactory(
            project=project, name="矩阵经理", phone="13812345678", email="matrix@example.cn"
        ),
        "projects.StallFlag": StallFlag.objects.create(
            project=project, rule=StallRule.IDLE_BEFORE_SIGNING, since=today, flagged_on=today
        ),
        "portal.Guide": guide,
        "portal.GuideStep": GuideStep.objects.create(guide=guide, order=1, title="矩阵立项备案", department="发改局"),
        "portal.Policy": Policy.objects.create(
            title="矩阵蓬江政策", summary="…", region=pengjiang, effective_from=today - timedelta(days=30)
        ),
        "portal.CityProfile": CityProfile.objects.create(slogan="矩阵城市口号", intro="矩阵城市简介"),
        "portal.Proposal": save_proposal(Needs(industry="38"), language="zh-hans", title="矩阵选址方案"),
        "portal.Inquiry": Inquiry.objects.create(
            company="矩阵投资有限公司",
            contact_name="矩阵先生",
            phone="13987654321",
            email="inquirer@example.cn",
            message="矩阵咨询",
            team=team,
            region=pengjiang,
            due=timezone.now() + timedelta(days=3),
        ),
        "stats.Event": event,
        "stats.EventVenue": venue,
        "stats.EventProject": EventProject.objects.create(
            event=event, venue=venue, project=project, role=EventRole.SIGNED
        ),
        "stats.FDIRecord": FDIRecord.objects.create(  # recorded by a district bureau: outposts keep no FDI
            team=teams["district"],
            month=date(today.year, 1, 1),
            amount_usd=Decimal("100"),
            exchange_rate=Decimal("7.0"),
            enterprise=enterprise,
            project=project,
            district=pengjiang,
        ),
        "stats.ComparisonFigure": ComparisonFigure.objects.create(
            name="矩阵全省平均增速", period=str(today.year), value=Decimal("3.5")
        ),
        "stats.Report": publish(*last_complete_month(today), users["centre"], today),
        "review.SavedAllocation": SavedAllocation.objects.create(
            title="矩阵供地建议",
            tolerance=Decimal("0.2"),
            objective=Decimal("900"),
            baseline_objective=Decimal("800"),
            upper_bound=Decimal("900"),
            created_by=users["centre"],
        ),
        **permu_records(enterprise),
        "core.ImportJob": ImportJob.objects.create(
            user=owner,
            importer="zhaoshang.projects.importers.ProjectImporter",
            title="矩阵导入",
            file_name="matrix.xlsx",
            language="zh-hans",
            error_count=1,
            errors=[[2, "A", "矩阵错误"]],
        ),
    }
    records.update(_review_standards_records())
    # the reference review: the reference project in scoring, the matrix's reviewer assigned and scoring
    review_set = StandardSet.objects.create(name="矩阵准入标准", effective_from=date(2001, 1, 1))
    criterion = Criterion.objects.create(standard_set=review_set, name="矩阵产业契合度", max_points=Decimal("20"))
    review = Review.objects.create(
        project=project,
        kind=ReviewKind.INDUSTRIAL,
        state=ReviewState.SCORING,
        standard_set=review_set,
        submitted_on=today,
        checked_on=today,
        site_area_mu=Decimal("100"),
    )
    assignment = Assignment.objects.create(review=review, reviewer=users["reviewer"])
    commitment = Commitment.objects.create(review=review, investment_intensity=Decimal("300"))
    records.update(
        {
            "review.Review": review,
            "review.Assignment": assignment,
            "review.Score": Score.objects.create(assignment=assignment, criterion=criterion, points=Decimal("15")),
            "review.Commitment": commitment,
            "review.YearResult": YearResult.objects.create(
                commitment=commitment, year=today.year - 1, land_mu=Decimal("100"), investment=Decimal("20000")
            ),
            "review.ReviewEvent": ReviewEvent.objects.create(review=review, kind=ReviewEventKind.ASSIGNED),
        }
    )
    records.update(_chain_records(chain, enterprise, teams, users, today))
    # notifications: an e-mail given up after its attempts (administrators only)
    from zhaoshang.core.choices import DeliveryChannel, DeliveryStatus
    from zhaoshang.core.models import Delivery

    records["core.Delivery"] = Delivery.objects.create(
        channel=DeliveryChannel.EMAIL,
        address="matrix@example.cn",
        subject="矩阵通知",
        body="矩阵通知",
        status=DeliveryStatus.FAILED,
        attempts=6,
    )
    records.update(_request_records(enterprise, teams))  # enterprise requests (诉求)
    return World(users=users, teams=teams, records=records)


def _chain_records(chain, enterprise, teams, users, today) -> dict:
    """The reference chain's segment and node, the reference enterprise's place at the node (kept by an outpost: the
    task force does not read it), a target given to that outpost, the task force's activity and a monthly figure."""
    from zhaoshang.chains.choices import ChainActivityKind, TargetState
    from zhaoshang.chains.models import ChainActivity, ChainValueAdded, Target
    from zhaoshang.industry.choices import SegmentPosition
    from zhaoshang.industry.models import ChainNode, ChainSegment, NodeClassification

    segment = ChainSegment.objects.create(chain=chain, position=SegmentPosition.UPSTREAM, name="矩阵材料")
    node = ChainNode.objects.create(chain=chain, segment=segment, name="矩阵正极材料", keywords="矩阵正极")
    target = Target.objects.create(
        node=node,
        chain=chain,
        enterprise=enterprise,
        state=TargetState.DISMISSED,
        team=teams["outpost_a"],
        acted_by=users["task_force"],
        acted_on=today,
        note="矩阵已在本地",
    )
    return {
        "industry.ChainSegment": segment,
        "industry.ChainNode": node,
        "industry.NodeClassification": NodeClassification.objects.create(
            enterprise=enterprise, node=node, chain=chain, reason={"rule": "words", "words": ["矩阵正极"]}, local=True
        ),
        "chains.Target": target,
        "chains.ChainActivity": ChainActivity.objects.create(
            chain=chain,
            team=teams["task_force"],
            author=users["task_force"],
            happened_on=today,
            kind=ChainActivityKind.RESEARCH,
            summary="矩阵产业链调研",
        ),
        "chains.ChainValueAdded": ChainValueAdded.objects.create(
            chain=chain, year=today.year, month=1, value_added=Decimal("12345.67"), growth=Decimal("3.5")
        ),
    }


def _review_standards_records() -> dict:
    """Reference records of the admission-review standards (an unused set, so that it may still be changed)."""
    from zhaoshang.review.choices import Comparison, Indicator, RejectionList
    from zhaoshang.review.models import (
        CodeMapping,
        Criterion,
        RejectionEntry,
        SourceDocument,
        StandardSet,
        Threshold,
        Zone,
    )

    source = SourceDocument.objects.create(title="矩阵准入标准文件", title_en="Matrix standards document")
    standard_set = StandardSet.objects.create(
        name="矩阵准入标准", name_en="Matrix standards", effective_from=date(1999, 1, 1)
    )
    return {
        "review.SourceDocument": source,
        "review.StandardSet": standard_set,
        "review.Zone": Zone.objects.create(code="matrix", name="矩阵区域", name_en="Matrix zone"),
        "review.Threshold": Threshold.objects.create(
            standard_set=standard_set,
            indicator=Indicator.TAX_PER_MU,
            comparison=Comparison.AT_LEAST,
            value=Decimal("12.34"),
            source=source,
        ),
        "review.Criterion": Criterion.objects.create(
            standard_set=standard_set, name="矩阵评分项", name_en="Matrix criterion", max_points=Decimal("10")
        ),
        "review.RejectionEntry": RejectionEntry.objects.create(
            standard_set=standard_set,
            list_kind=RejectionList.ELIMINATED,
            title="矩阵淘汰产品",
            keywords="矩阵淘汰产品",
            source=source,
        ),
        "review.CodeMapping": CodeMapping.objects.create(
            code_2017="0199", division_2002="13", name_2002="矩阵大类", source=source
        ),
    }


def permu_records(enterprise) -> dict:
    """The per-mu evaluation's reference records: the enterprise's figures of a year, scored by a run of the
    county's methods (seeded for that year by the review app's data migration)."""
    from zhaoshang.review.models import EnterpriseYear, EvaluationMethod, EvaluationResult
    from zhaoshang.review.services.permu import run_evaluation

    method = EvaluationMethod.objects.order_by("-year", "size_class").first()
    figures = EnterpriseYear.objects.create(
        enterprise=enterprise,
        year=method.year,
        size_class=method.size_class,
        land_mu=Decimal("50"),
        tax=Decimal("1500"),
        value_added=Decimal("8000"),
        revenue=Decimal("20000"),
        energy_tce=Decimal("2500"),
        power_10k_kwh=Decimal("1800"),
        employees=Decimal("400"),
    )
    run = run_evaluation(method.year)
    return {
        "review.EnterpriseYear": figures,
        "review.EvaluationMethod": method,
        "review.MethodIndicator": method.indicators.first(),
        "review.EvaluationRun": run,
        "review.EvaluationResult": EvaluationResult.objects.get(run=run, enterprise_year=figures),
    }


# ---------------------------------------------------------------- images


def image_bytes(width: int = 1200, height: int = 800, kind: str = "JPEG", orientation: int | None = None) -> bytes:
    """A real image made by Pillow (a gradient with a mark in its top-left corner), optionally with an EXIF
    orientation tag and a camera's metadata, as a phone sends it."""
    import io

    from PIL import Image, ImageDraw

    image = Image.new("RGB", (width, height), (40, 120, 200))
    draw = ImageDraw.Draw(image)
    for x in range(0, width, 40):
        draw.line((x, 0, x, height), fill=(40 + x * 200 // max(width, 1), 120, 200), width=40)
    draw.rectangle((0, 0, width // 8, height // 8), fill=(255, 0, 0))
    options = {}
    if kind == "JPEG":
        exif = Image.Exif()
        exif[0x010F] = "MatrixCam"  # Make
        if orientation:
            exif[0x0112] = orientation
        options["exif"] = exif.tobytes()
    out = io.BytesIO()
    image.save(out, kind, **options)
    return out.getvalue()


def image_upload(name: str = "photo.jpg", **options):
    """An uploaded image file (``image_bytes``), as a browser sends it."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    kind = {"png": "PNG", "webp": "WEBP"}.get(name.rsplit(".", 1)[-1].lower(), "JPEG")
    return SimpleUploadedFile(name, image_bytes(kind=kind, **options), f"image/{kind.lower()}")


# ---------------------------------------------------------------- workbooks


def xlsx_upload(rows, name: str = "data.xlsx"):
    """An uploaded .xlsx whose first sheet holds ``rows`` (the first one being the headers), as a browser sends it."""
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from openpyxl import Workbook

    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return SimpleUploadedFile(name, out.getvalue())


def sheet_rows(content: bytes) -> list[list]:
    """The rows of a workbook's first sheet, read again with openpyxl."""
    import io

    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(content))
    return [list(row) for row in workbook.worksheets[0].iter_rows(values_only=True)]


def _request_records(enterprise, teams) -> dict:
    """Enterprise requests (诉求): a category and policy of the matrix, an account of the reference enterprise (a
    person of no team), its request routed to the department (in the enterprise's district), a step of it and a
    send-back the department asked for."""
    from django.utils import timezone

    from zhaoshang.accounts.tests.factories import UserFactory
    from zhaoshang.services.choices import Channel, RequestEventKind
    from zhaoshang.services.models.requests import (
        EnterpriseAccount,
        EnterpriseRequest,
        RequestCategory,
        RequestEvent,
        SendBack,
        ServicePolicy,
    )

    category = RequestCategory.objects.create(
        code="matrix", name="矩阵类别", name_en="Matrix category", department=teams["department"], order=99
    )
    account = EnterpriseAccount.objects.create(user=UserFactory(username="m_enterprise"), enterprise=enterprise)
    request = EnterpriseRequest.objects.create(
        number="SQ2001-000001",
        enterprise=enterprise,
        account=account,
        contact_name="矩阵联系人",
        contact_phone="13912345678",
        category=category,
        title="矩阵诉求",
        description="矩阵用电报装",
        district=enterprise.hq_region,
        department=teams["department"],
        received_at=timezone.now(),
    )
    request.categories.set([category])
    return {
        "services.RequestCategory": category,
        "services.ServicePolicy": ServicePolicy.objects.create(category=category, channel=Channel.PHONE),
        "services.EnterpriseAccount": account,
        "services.EnterpriseRequest": request,
        "services.RequestEvent": RequestEvent.objects.create(
            request=request, kind=RequestEventKind.SUBMITTED, at=request.received_at, public=True
        ),
        "services.SendBack": SendBack.objects.create(
            request=request, from_team=teams["department"], reason="矩阵不属本部门"
        ),
    }
