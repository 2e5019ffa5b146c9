"""Enterprises in and out of Excel: the register and a team's prospects (see core.excel).

A row is one enterprise, found on record by ``services.EnterpriseIndex`` (the one look-up every import naming
enterprises uses):

- a credit code on record gives that enterprise, whoever keeps it (a code is one legal person); a record kept by
  a team the user cannot see is refused, not shown;
- a new credit code gives the one enterprise of the same normalized name that has no code yet and that the user
  may change (it receives its code), else a new enterprise;
- a row without a code gives the one enterprise of the same normalized name the user may change, else a new one;
  several of them are an error (the code must choose);
- records whose loose name key matches (another code, another place or legal form) are shown as possible
  duplicates in the preview, which the user confirms before anything is saved.

Merging never erases: a blank cell leaves what is on record (tags included), so a team's short list adds to the
register without wiping what others filled in. Re-importing a file changes nothing. A record the user may not
change is refused only when the row would change it. Contacts are personal data: exports give them only for the
enterprises the user may change (see ``export_rows``).
"""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.db.models import Exists, OuterRef
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhaoshang.accounts.models import Team
from zhaoshang.core import audit, excel
from zhaoshang.core.choices import Action
from zhaoshang.core.permissions import user_scope
from zhaoshang.geo.models import Region

from .choices import CodeLevel, EnterpriseSize, RevenueBand
from .classify import classify_saved
from .models import Enterprise, IndustryCode
from .services import CHUNK, EnterpriseIndex, format_tags, parse_tags, save_tags, tag_lookup
from .validators import clean_uscc

TAGS_FIELD = "tag_names"


def _label(name):
    return Enterprise._meta.get_field(name).verbose_name


def _contact(attribute):
    """Contacts are exported only for enterprises the user may change (``may_change``, see ``export_rows``)."""

    def getter(enterprise):
        return getattr(enterprise, attribute) if getattr(enterprise, "may_change", False) else None

    return getter


def tags_column(key: str, header, help_text, getter) -> excel.Column:
    """A column of enterprise tags by name (Chinese or English), for every sheet that carries them."""
    return excel.Column(key, header, field=TAGS_FIELD, getter=getter, help=help_text, width=24)


TAG_HELP = gettext_lazy(
    "Tag names separated by commas or 、 (Chinese or English names), e.g. 上市公司、高新技术企业. "
    "The tags given replace the enterprise's; an empty cell keeps them."
)

ENTERPRISE_COLUMNS = [
    excel.Column("name", _label("name"), required=True, help=gettext_lazy("The registered name."), width=30),
    excel.Column(
        "uscc",
        _label("uscc"),
        help=gettext_lazy(
            "18 characters (GB 32100-2015): an enterprise on record with this code is updated. Empty for a "
            "company registered abroad: it is then found by its name."
        ),
        width=22,
    ),
    excel.Column("name_en", _label("name_en"), width=24),
    excel.Column(
        "district",
        gettext_lazy("Headquarters district"),
        field="hq_region",
        getter=lambda e: e.hq_region.name if e.hq_region_id else None,
        help=gettext_lazy("When the headquarters lies in one of the platform's regions: its code or name."),
    ),
    excel.Column("hq_city", _label("hq_city"), help=gettext_lazy("Otherwise the city, e.g. Shenzhen, London.")),
    excel.Column("hq_country", _label("hq_country"), help=gettext_lazy("Empty for a new record: China.")),
    excel.Column(
        "industry_code",
        _label("industry"),
        field="industry",
        getter=lambda e: e.industry.code if e.industry_id else None,
        help=gettext_lazy("A GB/T 4754-2017 industry division (two digits), e.g. 38."),
    ),
    tags_column("tags", _label("tags"), TAG_HELP, lambda e: format_tags(e.tags.all()) or None),
    excel.Column("size", _label("size"), choices=EnterpriseSize.choices),
    excel.Column(
        "revenue_band",
        _label("revenue_band"),
        choices=RevenueBand.choices,
        help=gettext_lazy("The band of last year's operating revenue, one of the listed values."),
        width=20,
    ),
    excel.Column("employees", _label("employees"), help=gettext_lazy("A whole number of people.")),
    excel.Column(
        "address",
        _label("address"),
        help=gettext_lazy("The registered or operating address."),
        width=30,
    ),
    excel.Column(
        "main_products",
        _label("main_products"),
        help=gettext_lazy(
            "What the company makes or does, words separated by commas (e.g. cathode materials, battery separators): "
            "chain nodes are found from them."
        ),
        width=30,
    ),
    excel.Column("registered_capital", _label("registered_capital"), help=gettext_lazy("A number, in 10,000 yuan.")),
    excel.Column(
        "contact_name",
        _label("contact_name"),
        getter=_contact("contact_name"),
        help=gettext_lazy("Exported only for the enterprises you may change."),
    ),
    excel.Column("contact_phone", _label("contact_phone"), getter=_contact("contact_phone")),
    excel.Column(
        "owner_team",
        _label("owner_team"),
        getter=lambda e: e.owner_team.name if e.owner_team_id else None,
        help=gettext_lazy(
            "The team whose prospect it is. Empty: a record on file keeps its team; a new one goes to your team, "
            "or, for the centre, to the shared register (if you work in several teams, name one)."
        ),
        width=20,
    ),
    excel.Column("website", _label("website"), width=24),
]

ENTERPRISE_EXAMPLE = {
    "name": "示例新能源科技有限公司",
    "uscc": "91440703MA4UJ7KJ6Y",
    "name_en": "Example New Energy Technology Co., Ltd.",
    "district": "440703",
    "hq_country": "中国",
    "industry_code": "38",
    "tags": "高新技术企业、专精特新",
    "size": EnterpriseSize.MEDIUM.label,
    "registered_capital": Decimal("5000"),
    "revenue_band": RevenueBand.TO_1B.label,
    "employees": 320,
    "address": "江门市蓬江区示例路1号",
    "main_products": "正极材料、锂电池隔膜",
    "contact_name": "张经理",
    "contact_phone": "0750-0000000",
}


def export_rows(queryset, user):
    """The enterprises of ``queryset`` ready for ``ENTERPRISE_COLUMNS``: related records read at once, and
    ``may_change`` telling the contact columns whether the user may see them."""
    writable = Enterprise.objects.restrict(user, Action.CHANGE).filter(pk=OuterRef("pk"))
    return (
        queryset.select_related("hq_region", "industry", "owner_team")
        .prefetch_related("tags")
        .defer("search_text", "hq_region__boundary")
        .annotate(may_change=Exists(writable))
    )


class EnterpriseImportForm(excel.ImportFormMixin, forms.ModelForm):
    """One row: the enterprise's fields, its tags by name and the team that keeps it."""

    uscc = forms.CharField(required=False, max_length=40)
    tag_names = forms.CharField(required=False)

    class Meta:
        model = Enterprise
        fields = ["name"]

    def clean_uscc(self):
        return clean_uscc(self.cleaned_data.get("uscc") or "") or None

    def clean_tag_names(self):
        value = self.cleaned_data.get(TAGS_FIELD)
        if value in (None, ""):
            return None  # keep the enterprise's tags
        return parse_tags(value, self.importer.tags)

    def clean(self):
        cleaned = super().clean()
        enterprise, user = self.instance, self.importer.user
        if "owner_team" in self.errors:
            return cleaned
        has_column = "owner_team" in self.fields
        team = cleaned.get("owner_team") if has_column else enterprise.owner_team
        if enterprise.pk is None and team is None:
            team = self.importer.default_team
        if enterprise.pk is None and "hq_country" in self.fields and not cleaned.get("hq_country"):
            cleaned["hq_country"] = Enterprise._meta.get_field("hq_country").default
        if has_column:
            cleaned["owner_team"] = team
        else:
            enterprise.owner_team = team
        error = enterprise.owner_team_error(user, team)
        if error:
            self.add_error("owner_team" if has_column else None, error)
        return cleaned


class EnterpriseImporter(excel.ModelImporter):
    model = Enterprise
    columns = ENTERPRISE_COLUMNS
    key = "uscc"
    form_class = EnterpriseImportForm
    title = gettext_lazy("enterprises")

    def __init__(self, user):
        super().__init__(user)
        self.index = EnterpriseIndex(Enterprise.objects.restrict(user, Action.VIEW))
        self.visible: set[int] = set()
        self.tags = tag_lookup()
        self.tags_before: dict[int, list[int]] = {}

    @cached_property
    def default_team(self):
        """A new record's team when the row names none: the user's team if they write for exactly one, outside the
        centre; else the shared register."""
        scope = user_scope(self.user)
        teams = scope.teams(Action.CHANGE)
        if len(teams) == 1 and not scope.in_centre(Action.CHANGE):
            return Team.objects.get(pk=next(iter(teams)))
        return None

    # preloading --------------------------------------------------------------------------------------------

    def preload(self, datas, present):
        self.index.load(
            codes=[d.get("uscc") for d in datas if d.get("uscc")],
            names=[str(d.get("name") or "") for d in datas],
        )
        pks = sorted({e.pk for e in self.index.codes.values()} | {e.pk for es in self.index.keys.values() for e in es})
        for start in range(0, len(pks), CHUNK):
            chunk = pks[start : start + CHUNK]
            self.visible.update(
                Enterprise.objects.restrict(self.user, Action.VIEW).filter(pk__in=chunk).values_list("pk", flat=True)
            )
            self.writable.update(
                Enterprise.objects.restrict(self.user, Action.CHANGE).filter(pk__in=chunk).values_list("pk", flat=True)
            )
            if any(c.key == "tags" for c in present):
                for enterprise_id, tag_id in Enterprise.tags.through.objects.filter(
                    enterprise_id__in=chunk
                ).values_list("enterprise_id", "enterprisetag_id"):
                    self.tags_before.setdefault(enterprise_id, []).append(tag_id)

    def field_overrides(self, present):
        keys = {c.key for c in present}
        fields = {}
        if "district" in keys:
            fields["hq_region"] = excel.LookupField(
                excel.Lookup(Region.objects.defer("boundary"), "adcode", "name", "name_en"),
                required=False,
                unknown_message=_("“%(value)s” is not a region of the platform (give its code or name)."),
            )
        if "industry_code" in keys:
            fields["industry"] = excel.LookupField(
                excel.Lookup(IndustryCode.objects.exclude(level=CodeLevel.SECTION), "code"),
                required=False,
                unknown_message=_("“%(value)s” is not an industry code (GB/T 4754-2017)."),
            )
        if "owner_team" in keys:
            fields["owner_team"] = excel.LookupField(
                excel.Lookup(Team.objects.filter(active=True), "name", "name_en"),
                required=False,
                unknown_message=_("There is no team named “%(value)s”."),
            )
        return fields

    # matching ----------------------------------------------------------------------------------------------

    def match(self, code: str | None, name: str):
        """(the enterprise on record the row updates or None, how it was found, a problem of the row or None)."""
        if code:
            found = self.index.by_code(code)
            if found is not None and found.pk is not None:
                if found.pk not in self.visible:
                    return None, "", ("uscc", _("This credit code belongs to an enterprise kept by another team."))
                return found, _("credit code"), None
            if found is not None:
                return None, "", ("uscc", _("An earlier row has the same credit code."))
        candidates = [e for e in self.index.by_name(name) if e.pk is None or e.pk in self.writable]
        if code:  # a code the register lacks: the one record of that name still without a code receives it
            candidates = [e for e in candidates if not e.uscc]
        if any(e.pk is None for e in candidates):
            return None, "", ("name", _("An earlier row already has this enterprise; give each enterprise one row."))
        if len(candidates) == 1:
            return candidates[0], _("name"), None
        if len(candidates) > 1:
            names = "、".join(f"{e.name} ({e.uscc or '—'})" for e in candidates[:5])
            message = _("Several enterprises on file have this name: %(names)s. Give the credit code to choose one.")
            return None, "", ("name", message % {"names": names})
        return None, "", None

    def make_form(self, data: dict):
        code = clean_uscc(str(data.get("uscc") or "")) or None
        name = str(data.get("name") or "").strip()
        found, matched_by, problem = self.match(code, name)
        if found is not None:
            if found.pk not in self.states:
                self.states[found.pk] = excel.loaded_state(found)
            for field_name, value in data.items():  # a blank cell keeps what is on record
                if value == "" and field_name != TAGS_FIELD:
                    data[field_name] = getattr(found, field_name)
        form = self.form(data, instance=found if found is not None else Enterprise())
        form.importer = self
        form.matched_by = matched_by
        form.problem = problem
        return form

    def row_errors(self, form) -> dict:
        errors = {}
        if form.problem is not None:
            errors[form.problem[0]] = form.problem[1]
            return errors
        enterprise = form.instance
        if enterprise.pk is None:
            self.index.add(enterprise)
        elif enterprise.pk not in self.writable and self.changes(form):
            errors["name" if "name" in form.fields else None] = _(
                "You may not change the enterprise “%(name)s” (kept by %(keeper)s); leave its row as it is on file "
                "or remove it."
            ) % {
                "name": self.states[enterprise.pk]["before"]["name"],
                "keeper": enterprise.owner_team or _("shared register"),
            }
        return errors

    def tags_after(self, form) -> list[int] | None:
        """The tag ids the row gives its enterprise; None when it keeps its tags."""
        tags = form.cleaned_data.get(TAGS_FIELD) if TAGS_FIELD in form.fields else None
        return None if tags is None else sorted(tag.pk for tag in tags)

    def changes(self, form) -> list[str]:
        """Labels of the fields (and tags) the row changes on its record."""
        enterprise = form.instance
        before = self.states[enterprise.pk]["before"]
        labels = [
            str(Enterprise._meta.get_field(n).verbose_name) for n in audit.changes(before, audit.snapshot(enterprise))
        ]
        after = self.tags_after(form)
        if after is not None and after != sorted(self.tags_before.get(enterprise.pk, [])):
            labels.append(str(_label("tags")))
        return labels

    # the preview -------------------------------------------------------------------------------------------

    def plan(self, row, form) -> excel.PlannedRow:
        enterprise = form.instance
        similar = tuple(
            (f"{e.name} ({e.uscc})" if e.uscc else e.name, e.get_absolute_url())
            for e in self.index.similar(enterprise.name, besides=enterprise)
            if e.pk is not None and e.pk != enterprise.pk and e.pk in self.visible
        )
        if enterprise.pk is None:
            return excel.PlannedRow(row, "created", enterprise.name, similar=similar)
        changes = self.changes(form)
        return excel.PlannedRow(
            row,
            "updated" if changes else "unchanged",
            enterprise.name,
            record=self.states[enterprise.pk]["before"]["name"],
            record_url=enterprise.get_absolute_url(),
            matched_by=str(form.matched_by),
            changes=tuple(changes),
            similar=similar,
        )

    # saving ------------------------------------------------------------------------------------------------

    def prepare_bulk(self, obj) -> None:
        obj.derive()

    def after_bulk_save(self, items):
        changes = []
        for _row, form, _created in items:
            after = self.tags_after(form)
            if after is not None:
                changes.append((form.instance, self.tags_before.get(form.instance.pk, []), after))
        save_tags(changes)
        classify_saved([form.instance.pk for _row, form, _created in items])
        return {e.pk for e, before, after in changes if sorted(set(before)) != sorted(set(after))}

    def after_save(self, form, created) -> bool:
        classify_saved([form.instance.pk], self)
        after = self.tags_after(form)
        if after is None:
            return False
        before = self.tags_before.get(form.instance.pk, [])
        save_tags([(form.instance, before, after)])
        return sorted(set(before)) != after


class InvestorTags:
    """Tags that the rows of another import give the enterprises they name (a project's investor): the enterprises'
    tags preloaded, each row checked without a query, all saved at once with their audit.

    A non-empty cell replaces the enterprise's tags (so that an exported sheet imports unchanged); an empty one
    keeps them. Changing them needs the right to change the enterprise (or an enterprise the import creates), and
    two rows naming one enterprise must agree.
    """

    def __init__(self, user):
        self.user = user
        self.lookup = tag_lookup()
        self.before: dict[int, list[int]] = {}
        self.writable: set[int] = set()
        self.given: dict[int, tuple] = {}  # id(enterprise) → (enterprise, tag ids)

    def preload(self, enterprises) -> None:
        pks = sorted({e.pk for e in enterprises if e.pk is not None})
        for start in range(0, len(pks), CHUNK):
            chunk = pks[start : start + CHUNK]
            rows = Enterprise.tags.through.objects.filter(enterprise_id__in=chunk)
            for enterprise_id, tag_id in rows.values_list("enterprise_id", "enterprisetag_id"):
                self.before.setdefault(enterprise_id, []).append(tag_id)
            writable = Enterprise.objects.restrict(self.user, Action.CHANGE).filter(pk__in=chunk)
            self.writable.update(writable.values_list("pk", flat=True))

    def parse(self, value):
        """The tags of a cell; None for an empty one (keep the enterprise's)."""
        return None if value in (None, "") else parse_tags(value, self.lookup)

    def give(self, enterprise, tags) -> str | None:
        """Plan ``tags`` (or None: keep) for ``enterprise``; why not, if it may not be done."""
        if tags is None:
            return None
        after = sorted(tag.pk for tag in tags)
        earlier = self.given.get(id(enterprise))
        if earlier is not None and earlier[1] != after:
            return _("An earlier row gives this investor other tags; give the same tags or leave the cell empty.")
        if enterprise.pk is not None and after != sorted(self.before.get(enterprise.pk, [])):
            if enterprise.pk not in self.writable:
                return _("You may not change the tags of “%(name)s”; leave the cell empty.") % {"name": enterprise}
        self.given[id(enterprise)] = (enterprise, after)
        return None

    def changed(self, enterprise) -> bool:
        given = self.given.get(id(enterprise))
        return given is not None and given[1] != sorted(self.before.get(enterprise.pk, []))

    def save(self, enterprises=None) -> None:
        """Save the planned tags (of ``enterprises``, default all; the enterprises are saved by now)."""
        chosen = None if enterprises is None else {id(e) for e in enterprises}
        changes = [
            (e, self.before.get(e.pk, []), after)
            for key, (e, after) in self.given.items()
            if (chosen is None or key in chosen) and self.changed(e)
        ]
        save_tags(changes)
        for enterprise, _before, after in changes:
            self.before[enterprise.pk] = after
