"""Projects in and out of Excel: the columns, the import form of one row and the importer (see core.excel).

The project reference (``code``) is the key: a known reference updates that project, a blank or new one
creates a project (a blank one is given the next reference of the year). The investor is named by its
credit code and name as on the project form: a known code gives that enterprise, an unknown one creates
it (``services.find_or_create_enterprise``'s rules, answered from preloaded records). Stages and their dates
go through ``services.plan_stages``, i.e. the rules of ``transition`` and ``correct_date``; a new project gets
one history row per stage reached, a changed date one correction row. A ledger's history: a date the row leaves
empty stays unknown (never today), as long as the dates given are in order; a project at signing or later needs
its signing date.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhaoshang.accounts.models import Membership, Team, User
from zhaoshang.core import excel
from zhaoshang.geo.choices import RegionLevel
from zhaoshang.geo.models import Park, Region
from zhaoshang.industry.choices import CodeLevel, ProjectType
from zhaoshang.industry.imports import TAGS_FIELD, InvestorTags, tags_column
from zhaoshang.industry.models import Chain, Enterprise, IndustryCode
from zhaoshang.industry.services import EnterpriseIndex, format_tags
from zhaoshang.industry.validators import clean_uscc, validate_uscc

from . import services
from .choices import STAGE_DATE_FIELDS, LeadSource, Stage
from .models import Project, StageTransition, next_codes


def _label(name):
    return Project._meta.get_field(name).verbose_name


def _name_of(attribute):
    def getter(project):
        related = getattr(project, attribute)
        return related.name if related is not None else None

    return getter


# Form fields of the columns that fill model fields a model form may not write (stages change through services).
STAGE_FIELD = "current_stage"
DATE_FIELDS = {name: f"{name}_date" for name in (*STAGE_DATE_FIELDS.values(), "paused_on", "dropped_on")}
REASON_FIELD = "drop_reason_text"
# plan_stages names the column of a refusal by the model field; the form by its own field.
PLAN_KEYS = {**DATE_FIELDS, "stage": STAGE_FIELD, "drop_reason": REASON_FIELD}


def _date_column(name, help_text):
    return excel.Column(name, _label(name), field=DATE_FIELDS[name], getter=lambda p: getattr(p, name), help=help_text)


PROJECT_COLUMNS = [
    excel.Column(
        "code",
        _label("code"),
        help=gettext_lazy(
            "The project reference (e.g. XM2026-000123): an existing reference updates that project; "
            "leave it empty to create a project with the next reference."
        ),
        width=16,
    ),
    excel.Column("name", _label("name"), required=True, help=gettext_lazy("The project's name."), width=28),
    excel.Column(
        "enterprise_name",
        gettext_lazy("Investor enterprise"),
        getter=lambda p: p.enterprise.name,
        help=gettext_lazy("The investor's registered name (needed for a new project)."),
        width=28,
    ),
    excel.Column(
        "enterprise_uscc",
        gettext_lazy("Investor's credit code"),
        getter=lambda p: p.enterprise.uscc,
        help=gettext_lazy(
            "The unified social credit code (18 characters). A code on record gives that enterprise; "
            "an unknown one creates the enterprise. Empty for a company registered abroad."
        ),
        width=22,
    ),
    tags_column(
        "investor_tags",
        gettext_lazy("Investor's tags"),
        gettext_lazy(
            "The investor's tags, separated by commas or 、 (Chinese or English names), e.g. 上市公司、高新技术企业: "
            "they replace the enterprise's tags; an empty cell keeps them."
        ),
        lambda p: format_tags(p.enterprise.tags.all()) or None,
    ),
    excel.Column(
        "project_type",
        _label("project_type"),
        choices=ProjectType.choices,
        help=gettext_lazy("Empty: industrial."),
    ),
    excel.Column(
        "industry_code",
        _label("industry_code"),
        getter=lambda p: p.industry_code.code if p.industry_code_id else None,
        help=gettext_lazy("A GB/T 4754-2017 industry division (two digits), e.g. 38."),
    ),
    excel.Column("chain", _label("chain"), getter=_name_of("chain"), help=gettext_lazy("The chain's name.")),
    excel.Column("planned_investment", _label("planned_investment"), help=gettext_lazy("A number, in 10,000 yuan.")),
    excel.Column(
        "foreign_investment",
        _label("foreign_investment"),
        help=gettext_lazy("A number, in 10,000 yuan, at most the planned investment."),
    ),
    excel.Column("land_need_mu", _label("land_need_mu"), help=gettext_lazy("A number, in mu.")),
    excel.Column(
        "district",
        _label("district"),
        getter=_name_of("district"),
        help=gettext_lazy("The district or county: its 6-digit administrative code or its name."),
    ),
    excel.Column("park", _label("park"), getter=_name_of("park"), help=gettext_lazy("The park's name."), width=20),
    excel.Column("source", _label("source"), choices=LeadSource.choices, help=gettext_lazy("Empty: other.")),
    excel.Column(
        "owner_team",
        _label("owner_team"),
        getter=_name_of("owner_team"),
        required=True,
        help=gettext_lazy("The name of the owning team: a team you work in."),
        width=20,
    ),
    excel.Column(
        "owner",
        _label("owner"),
        getter=lambda p: p.owner.username if p.owner_id else None,
        help=gettext_lazy("The officer's user name; a member of the owning team."),
    ),
    excel.Column(
        "confidential",
        _label("confidential"),
        format=excel.format_bool,
        parse=excel.parse_bool,
        help=gettext_lazy("Yes or no (empty: no)."),
    ),
    excel.Column(
        "stage",
        _label("stage"),
        field=STAGE_FIELD,
        getter=lambda p: p.stage,
        choices=Stage.choices,
        help=gettext_lazy(
            "The current stage; empty: the last stage dated. It must agree with the dates. A stage before signing "
            "may come without any date (the dates not given stay unknown); signing and every later stage need the "
            "signing date."
        ),
    ),
    _date_column(
        "lead_on",
        gettext_lazy("A date (YYYY-MM-DD). Empty: unknown (not today)."),
    ),
    *(
        _date_column(
            name,
            gettext_lazy(
                "A date (YYYY-MM-DD), not in the future and not before the dates of the earlier stages; empty: "
                "unknown. Land, construction and production need a signing date."
            ),
        )
        for name in list(STAGE_DATE_FIELDS.values())[1:]
    ),
    _date_column("paused_on", gettext_lazy("For a paused project: the date it was paused.")),
    _date_column("dropped_on", gettext_lazy("For a dropped project: the date it was dropped.")),
    excel.Column(
        "drop_reason",
        _label("drop_reason"),
        field=REASON_FIELD,
        getter=lambda p: p.drop_reason,
        help=gettext_lazy("For a dropped project: why."),
        width=30,
    ),
]

PROJECT_EXAMPLE = {
    "name": "示例新能源电池项目",
    "enterprise_name": "示例新能源科技有限公司",
    "enterprise_uscc": "91440703MA4UJ7KJ6Y",
    "investor_tags": "高新技术企业",
    "project_type": ProjectType.INDUSTRIAL.label,
    "industry_code": "38",
    "planned_investment": Decimal("50000"),
    "foreign_investment": Decimal("0"),
    "land_need_mu": Decimal("120"),
    "district": "440703",
    "source": LeadSource.CONFERENCE.label,
    "confidential": excel.format_bool(False),
    "stage": Stage.NEGOTIATION.label,
    "lead_on": date(2025, 3, 1),
    "negotiation_on": date(2025, 6, 1),
}


class ProjectImportForm(excel.ImportFormMixin, forms.ModelForm):
    """One row: the project's fields, its investor (found or created) and its stages (checked by the services)."""

    enterprise_name = forms.CharField(required=False, max_length=200)
    enterprise_uscc = forms.CharField(required=False, max_length=40)
    tag_names = forms.CharField(required=False)
    current_stage = forms.ChoiceField(required=False, choices=[("", "")] + list(Stage.choices))
    lead_on_date = forms.DateField(required=False)
    contact_on_date = forms.DateField(required=False)
    negotiation_on_date = forms.DateField(required=False)
    signed_on_date = forms.DateField(required=False)
    land_on_date = forms.DateField(required=False)
    construction_on_date = forms.DateField(required=False)
    production_on_date = forms.DateField(required=False)
    full_production_on_date = forms.DateField(required=False)
    paused_on_date = forms.DateField(required=False)
    dropped_on_date = forms.DateField(required=False)
    drop_reason_text = forms.CharField(required=False)

    class Meta:
        model = Project
        fields = ["code"]

    def clean_owner_team(self):
        team = self.cleaned_data.get("owner_team")
        if team is not None and team.pk != self.instance.owner_team_id:
            try:
                services.check_owner_team(self.importer.user, team)
            except ValidationError as exc:
                raise forms.ValidationError(exc.message_dict["owner_team"]) from None
        return team

    def clean(self):
        cleaned = super().clean()
        importer: ProjectImporter = self.importer
        project = self.instance
        project._memberships = importer.memberships
        self.transitions = []
        if self.errors:
            return cleaned
        team = cleaned.get("owner_team") if "owner_team" in self.fields else project.owner_team
        try:
            enterprise = importer.enterprise_for(self, team)
        except ValidationError as exc:
            self._update_errors(exc)
            return cleaned
        if enterprise is not None:
            project.enterprise = enterprise
        if TAGS_FIELD in self.fields and (enterprise is not None or project.enterprise_id is not None):
            self.give_tags(cleaned, project.enterprise)
        if any(name in self.fields for name in (STAGE_FIELD, REASON_FIELD, *DATE_FIELDS.values())):
            self.plan_stages(cleaned)
        return cleaned

    def give_tags(self, cleaned, enterprise):
        """The investor's tags of the row, checked (``InvestorTags``), saved with the projects."""
        tags = self.importer.tags
        try:
            error = tags.give(enterprise, tags.parse(cleaned.get(TAGS_FIELD)))
        except ValidationError as exc:
            error = exc.messages
        if error:
            self.add_error(TAGS_FIELD, error)

    def plan_stages(self, cleaned):
        project = self.instance

        def given(model_name):
            field_name = DATE_FIELDS[model_name]
            if field_name in self.fields:
                return cleaned.get(field_name)
            return getattr(project, model_name)  # a column left out keeps the project's date

        dates = {stage: given(column) for stage, column in STAGE_DATE_FIELDS.items()}
        reason = cleaned.get(REASON_FIELD, "") if REASON_FIELD in self.fields else project.drop_reason
        try:
            self.transitions = services.plan_stages(
                project,
                cleaned.get(STAGE_FIELD) or None,
                dates,
                reason=reason or "",
                paused_on=given("paused_on"),
                dropped_on=given("dropped_on"),
                user=self.importer.user,
            )
        except ValidationError as exc:
            self._update_errors(
                ValidationError({PLAN_KEYS.get(key, key): messages for key, messages in exc.message_dict.items()})
            )


class ProjectImporter(excel.ModelImporter):
    model = Project
    columns = PROJECT_COLUMNS
    key = "code"
    form_class = ProjectImportForm
    title = gettext_lazy("projects")

    def __init__(self, user):
        super().__init__(user)
        # The enterprise import's look-up (same code, else same normalized name) and its tags of an investor.
        self.index = EnterpriseIndex()
        self.new_enterprises: list[Enterprise] = []
        self.tags = InvestorTags(user)
        self.memberships: set[tuple[int, int]] = set()

    def queryset(self):
        return self.model._base_manager.select_related("enterprise").defer("search_text", "enterprise__search_text")

    # preloading --------------------------------------------------------------------------------------------

    def preload(self, datas, present):
        super().preload(datas, present)
        codes, names = set(), set()
        for data in datas:
            code = clean_uscc(str(data.get("enterprise_uscc") or ""))
            if code:
                codes.add(code)
            else:  # only a row without a credit code finds its investor by name
                names.add(str(data.get("enterprise_name") or "").strip())
        self.index.load(codes, names)
        for project in self.existing.values():
            if project.enterprise.uscc and self.index.by_code(project.enterprise.uscc) is None:
                self.index.add(project.enterprise, names=False)
        if any(c.key == "investor_tags" for c in present):
            known = [*self.index.codes.values(), *(e for es in self.index.names.values() for e in es)]
            self.tags.preload([*known, *(project.enterprise for project in self.existing.values())])
        self.memberships = set(Membership.objects.values_list("user_id", "team_id"))

    def field_overrides(self, present):
        keys = {c.key for c in present}
        fields = {}

        def lookup(key, records, *attributes, message):
            if key in keys:
                fields[key] = excel.LookupField(
                    excel.Lookup(records, *attributes), required=False, unknown_message=message
                )

        lookup(
            "district",
            Region.objects.filter(level=RegionLevel.DISTRICT).defer("boundary"),
            "adcode",
            "name",
            "name_en",
            message=_("“%(value)s” is not a district of this city (give its code or name)."),
        )
        lookup(
            "park",
            Park.objects.defer("boundary", "search_text"),
            "name",
            "name_en",
            message=_("There is no park named “%(value)s”."),
        )
        lookup("chain", Chain.objects.all(), "name", "name_en", message=_("There is no chain named “%(value)s”."))
        lookup(
            "industry_code",
            IndustryCode.objects.exclude(level=CodeLevel.SECTION),
            "code",
            message=_("“%(value)s” is not an industry code (GB/T 4754-2017)."),
        )
        lookup(
            "owner_team",
            Team.objects.filter(active=True),
            "name",
            "name_en",
            message=_("There is no team named “%(value)s”."),
        )
        lookup(
            "owner",
            User.objects.filter(is_active=True).only("pk", "username"),
            "username",
            message=_("There is no user “%(value)s”."),
        )
        if "owner_team" in fields:
            fields["owner_team"].required = True
        return fields

    def refusal(self, obj) -> str | None:
        """Why the user may not change this project, naming it by its reference and its name on record."""
        if obj.pk in self.writable:
            return None
        stored = self.states.get(obj.pk, {}).get("before", {}).get("name", obj.name)
        return _("You may not change the project %(code)s “%(name)s”.") % {"code": obj.code, "name": stored}

    # the investor ------------------------------------------------------------------------------------------

    def enterprise_for(self, form, team) -> Enterprise | None:
        """The row's investor: on record (by credit code, else by normalized name: the earliest recorded when several
        share it), or new (kept by ``team``).

        None when the row does not name one and the project has one already. ValidationError keyed by the column.
        """
        data = form.cleaned_data
        typed_code = data.get("enterprise_uscc") or "" if "enterprise_uscc" in form.fields else ""
        name = (data.get("enterprise_name") or "").strip() if "enterprise_name" in form.fields else ""
        code = clean_uscc(typed_code) or None
        current = form.instance.enterprise if form.instance.enterprise_id else None
        if code:
            try:
                validate_uscc(code)
            except ValidationError as exc:
                raise ValidationError({"enterprise_uscc": exc.messages}) from None
            found = self.index.by_code(code)
            if found is not None:
                return found
        elif current is not None and (not name or name == current.name):
            return None  # the project keeps its investor
        if not name:
            raise ValidationError({"enterprise_name": _("Give the name of the investor enterprise.")})
        if code is None:
            found = self.index.by_name(name)  # the earliest recorded of the same normalized name
            if found:
                return found[0]
        enterprise = Enterprise(name=name, uscc=code, owner_team=team)
        error = enterprise.owner_team_error(self.user, team)
        if error:
            raise ValidationError({"owner_team": error})
        try:
            enterprise.full_clean(validate_unique=False, validate_constraints=False)
        except ValidationError as exc:
            raise ValidationError({"enterprise_name": exc.messages}) from None
        self.new_enterprises.append(enterprise)
        self.index.add(enterprise)
        return enterprise

    # saving ------------------------------------------------------------------------------------------------

    def prepare_bulk(self, obj) -> None:
        """Project.save gives a reference; ``save_rows`` gives all new ones at once."""

    def save_rows(self, valid):
        self._save_new_enterprises(valid)
        missing = [form.instance for _row, form in valid if not form.instance.code]
        if missing:
            given = {form.instance.code for _row, form in valid}
            free = [code for code in next_codes(len(missing) + len(given)) if code not in given]
            for project, code in zip(missing, free, strict=False):
                project.code = code
        return super().save_rows(valid)

    def _save_new_enterprises(self, valid) -> None:
        new = [e for e in self.new_enterprises if e.pk is None]
        for enterprise in new:
            enterprise.derive()
        rows = {id(form.instance.enterprise): row for row, form in valid if form.instance.enterprise_id is None}
        excel.bulk_save(Enterprise, [excel.Pending(rows.get(id(e), 0), e) for e in new])
        for _row, form in valid:
            project = form.instance
            if project.enterprise_id is None:
                project.enterprise = project.enterprise  # takes the id the enterprise now has

    def after_bulk_save(self, items):
        pending = []
        moved = set()
        for row, form, _created in items:
            for transition in form.transitions:
                transition.project = form.instance
                pending.append(excel.Pending(row, transition))
            if form.transitions:
                moved.add(form.instance.pk)
        excel.bulk_save(StageTransition, pending)
        moved.update(form.instance.pk for _row, form, _created in items if self.tags.changed(form.instance.enterprise))
        self.tags.save()
        return moved

    def save_row(self, form) -> str:
        enterprise = form.instance.enterprise if form.instance.enterprise_id is None else None
        if enterprise is not None and enterprise.pk is None:
            enterprise.save()
        if enterprise is not None:
            form.instance.enterprise = enterprise
        return super().save_row(form)

    def after_save(self, form, created) -> bool:
        for transition in form.transitions:
            transition.project = form.instance
            transition.save()
        tagged = self.tags.changed(form.instance.enterprise)
        self.tags.save([form.instance.enterprise])
        return bool(form.transitions) or tagged
