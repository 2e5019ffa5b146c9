"""Staff forms for parks and sites (载体), and their Excel columns and importers.

The page forms and the import rows validate the same way: the model's fields and
``Carrier.clean`` (what each kind of site needs), industry codes checked against
GB/T 4754-2017, the responsible team limited to teams the user writes for. The
suitable industries are link rows, not a field of the record: a change of codes
writes one ChangeRecord on the park or site, as a many-to-many change would.
"""

from __future__ import annotations

import json
import re
from decimal import Decimal

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zhaoshang.accounts.models import Team
from zhaoshang.core import audit, excel, generations
from zhaoshang.core.choices import Action, ChangeKind
from zhaoshang.core.forms import BaseModelForm
from zhaoshang.core.models import ChangeRecord
from zhaoshang.core.permissions import user_scope
from zhaoshang.geo.choices import Availability, CarrierKind, LandUse, ParkLevel, RegionLevel
from zhaoshang.geo.models import CARRIER_FACTS, Carrier, CarrierIndustry, Park, ParkIndustry, Region
from zhaoshang.industry.choices import CodeLevel
from zhaoshang.industry.models import IndustryCode

CODES_FIELD = "industries"  # the name under which a change of codes is recorded on the park or site
FINER_CODE = re.compile(r"^\d{3,4}$")


# --- industry codes ---------------------------------------------------------------------------------------------


def division_codes() -> dict[str, str]:
    """GB/T 4754-2017 divisions: code → "code name" (in the page's language)."""
    return {c.code: str(c) for c in IndustryCode.objects.filter(level=CodeLevel.DIVISION).order_by("sort", "code")}


def code_error(code: str, divisions) -> str | None:
    """Why ``code`` is not a GB/T 4754-2017 division (or a finer code below a division); None when it is."""
    if code in divisions or (FINER_CODE.match(code) and code[:2] in divisions):
        return None
    return _("“%(code)s” is not an industry division of GB/T 4754-2017 (two digits, e.g. 38).") % {"code": code}


class IndustryCodesField(forms.MultipleChoiceField):
    """Several GB/T 4754-2017 divisions (finer codes below a division are kept as they are)."""

    def __init__(self, *, divisions=None, **kwargs):
        kwargs.setdefault("label", _("Industry codes"))
        kwargs.setdefault("required", False)
        kwargs.setdefault("help_text", _("The GB/T 4754-2017 divisions this listing suits; choose several."))
        super().__init__(**kwargs)
        self.divisions = divisions

    def valid_value(self, value):
        divisions = self.divisions if self.divisions is not None else dict(self.choices)
        return code_error(str(value), divisions) is None

    def validate(self, value):
        if self.required and not value:
            raise forms.ValidationError(self.error_messages["required"], code="required")
        divisions = self.divisions if self.divisions is not None else dict(self.choices)
        for code in value:
            error = code_error(str(code), divisions)
            if error:
                raise forms.ValidationError(error, code="invalid_choice")

    def clean(self, value):
        return sorted({str(code).strip().upper() for code in super().clean(value) or []})

    def __deepcopy__(self, memo):
        result = super().__deepcopy__(memo)
        result.divisions = self.divisions
        return result


def link_model_of(obj):
    """The industry link table of a site, a park or a policy, and the name of its owner field."""
    from ..models import Policy, PolicyIndustry

    links = {Carrier: (CarrierIndustry, "carrier"), Park: (ParkIndustry, "park"), Policy: (PolicyIndustry, "policy")}
    return links[type(obj)]


def saved_codes(obj) -> list[str]:
    link_model, owner = link_model_of(obj)
    return sorted(link_model.objects.filter(**{owner: obj}).values_list("code", flat=True))


def codes_change_record(obj, before: list[str], after: list[str]):
    return audit.change_record(obj, ChangeKind.UPDATE, {CODES_FIELD: before}, {CODES_FIELD: after}, [CODES_FIELD])


def set_codes(obj, codes) -> bool:
    """Make ``codes`` the industries of a park, site or policy; a change is audited on it. Returns whether changed."""
    link_model, owner = link_model_of(obj)
    before = saved_codes(obj)
    after = sorted(set(codes))
    if before == after:
        return False
    link_model.objects.filter(**{owner: obj, "code__in": sorted(set(before) - set(after))}).delete()
    link_model.objects.bulk_create([link_model(**{owner: obj, "code": c}) for c in sorted(set(after) - set(before))])
    generations.bulk_saved.send(sender=link_model, using=link_model.objects.db)
    codes_change_record(obj, before, after).save()
    return True


# --- the responsible team ---------------------------------------------------------------------------------------


def teams_for(user, current_team_id=None):
    """Teams a listing may be given to by ``user``: any for administrators and the centre, else their own."""
    scope = user_scope(user)
    if scope.is_admin or scope.in_centre(Action.CHANGE):
        return Team.objects.filter(active=True)
    allowed = set(scope.teams(Action.CHANGE))
    if current_team_id:
        allowed.add(current_team_id)  # whoever may edit the record may leave it where it is
    return Team.objects.filter(pk__in=allowed)


def team_error(user, team, current_team_id=None) -> str | None:
    scope = user_scope(user)
    if team is None or scope.is_admin or scope.in_centre(Action.CHANGE) or team.pk == current_team_id:
        return None
    if team.pk not in scope.teams(Action.CHANGE):
        return _("You can only give a listing to a team you work in.")
    return None


# --- boundaries -------------------------------------------------------------------------------------------------


class GeoJSONField(forms.CharField):
    """A polygon as GeoJSON (WGS84 longitude/latitude); a Feature or a bare geometry."""

    widget = forms.Textarea(attrs={"rows": 3, "class": "font-monospace"})

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", _("Boundary (GeoJSON)"))
        kwargs.setdefault("help_text", _("Optional: a Polygon or MultiPolygon in WGS84 longitude/latitude."))
        super().__init__(strip=True, **kwargs)

    def prepare_value(self, value):
        if isinstance(value, dict):
            return json.dumps(value, ensure_ascii=False)
        return value

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return None
        if isinstance(value, dict):
            return value
        from shapely.geometry import shape

        try:
            data = json.loads(value)
        except ValueError:
            raise forms.ValidationError(_("The boundary is not valid JSON.")) from None
        if isinstance(data, dict) and data.get("type") == "FeatureCollection" and len(data.get("features") or []) == 1:
            data = data["features"][0]
        if isinstance(data, dict) and data.get("type") == "Feature":
            data = data.get("geometry")
        if not isinstance(data, dict) or data.get("type") not in ("Polygon", "MultiPolygon"):
            raise forms.ValidationError(_("The boundary must be a GeoJSON Polygon or MultiPolygon."))
        try:
            geom = shape(data)
        except Exception:
            raise forms.ValidationError(_("The boundary's coordinates cannot be read as a polygon.")) from None
        if geom.is_empty or not geom.is_valid:
            raise forms.ValidationError(_("The boundary is not a valid polygon (it is empty or crosses itself)."))
        west, south, east, north = geom.bounds
        if not (-180 <= west <= east <= 180 and -90 <= south <= north <= 90):
            raise forms.ValidationError(_("The boundary's coordinates must be longitude and latitude in degrees."))
        return data


# --- page forms -------------------------------------------------------------------------------------------------


class ListingForm(BaseModelForm):
    """What parks and sites share: codes, boundary, team, dates."""

    industry_codes = IndustryCodesField()
    boundary_geojson = GeoJSONField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        divisions = division_codes()
        current = saved_codes(self.instance) if self.instance.pk else []
        choices = dict(divisions)
        choices.update({code: code for code in current if code not in choices})
        codes = self.fields["industry_codes"]
        codes.choices = list(choices.items())
        codes.divisions = divisions
        codes.widget.attrs.update({"size": 10, "class": "form-select"})
        if self.instance.pk and not self.is_bound:
            self.initial["industry_codes"] = current
            self.initial["boundary_geojson"] = self.instance.boundary
        self.fields["region"].queryset = Region.objects.filter(
            level__in=[RegionLevel.DISTRICT, RegionLevel.CITY]
        ).defer("boundary")
        self.fields["team"].queryset = teams_for(self.user, self.instance.team_id)
        scope = user_scope(self.user)
        if self.instance.pk is None and not self.is_bound:
            writes = scope.teams(Action.CHANGE)
            if len(writes) == 1:
                self.initial["team"] = next(iter(writes))
            if not self.initial.get("last_verified"):
                self.initial["last_verified"] = timezone.localdate()

    def clean_team(self):
        team = self.cleaned_data.get("team")
        error = team_error(self.user, team, self.instance.team_id)
        if error:
            raise forms.ValidationError(error)
        return team

    def _post_clean(self):
        super()._post_clean()
        if "boundary_geojson" in self.cleaned_data and "boundary_geojson" not in self.errors:
            geometry = self.cleaned_data["boundary_geojson"]
            if geometry != self.instance.boundary:
                self.instance.set_boundary(geometry)

    def _save_m2m(self):
        super()._save_m2m()
        set_codes(self.instance, self.cleaned_data.get("industry_codes") or [])


DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TEXT_WIDGET = forms.Textarea(attrs={"rows": 3})


class CarrierForm(ListingForm):
    field_order = [
        "kind",
        "reference",
        "name",
        "name_en",
        "region",
        "park",
        "address",
        "address_en",
        "team",
        "lon",
        "lat",
    ]

    class Meta:
        model = Carrier
        fields = [
            "kind",
            "reference",
            "name",
            "name_en",
            "region",
            "park",
            "address",
            "address_en",
            "team",
            "lon",
            "lat",
            "availability",
            "available_from",
            *CARRIER_FACTS,
            "published",
            "last_verified",
            "contact_name",
            "contact_name_en",
            "contact_phone",
            "contact_email",
            "description",
            "description_en",
        ]
        widgets = {
            "available_from": DATE_WIDGET,
            "last_verified": DATE_WIDGET,
            "description": TEXT_WIDGET,
            "description_en": TEXT_WIDGET,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["park"].queryset = Park.objects.defer("boundary", "search_text")
        for name in ("lon", "lat"):
            self.fields[name].required = False
            self.fields[name].help_text = _("Leave empty to use the centre of the boundary.")

    def clean(self):
        data = super().clean()
        geometry = data.get("boundary_geojson")
        if data.get("lon") is None or data.get("lat") is None:
            if geometry:
                from shapely.geometry import shape

                point = shape(geometry).representative_point()
                data["lon"], data["lat"] = round(point.x, 6), round(point.y, 6)
            else:
                for name in ("lon", "lat"):
                    if data.get(name) is None and name not in self.errors:
                        self.add_error(name, _("Give the site's position or draw its boundary."))
        return data


class ParkForm(ListingForm):
    class Meta:
        model = Park
        fields = [
            "name",
            "name_en",
            "region",
            "address",
            "address_en",
            "level",
            "team",
            "area_mu",
            "website",
            "published",
            "last_verified",
            "contact_name",
            "contact_name_en",
            "contact_phone",
            "contact_email",
            "description",
            "description_en",
        ]
        widgets = {"last_verified": DATE_WIDGET, "description": TEXT_WIDGET, "description_en": TEXT_WIDGET}


# --- Excel columns ----------------------------------------------------------------------------------------------


def _label(model, name):
    return model._meta.get_field(name).verbose_name


def _decimal(model, name, help_text=""):
    return excel.Column(name, _label(model, name), help=help_text or _("A number."))


def _codes(obj):
    return obj.industry_codes


def listing_columns(model) -> list[excel.Column]:
    """Columns parks and sites share (after their own)."""
    return [
        excel.Column(
            "industry_codes",
            _("Industry codes"),
            getter=_codes,
            parse=excel.parse_list,
            help=_("GB/T 4754-2017 divisions (two digits), separated by spaces or commas, e.g. 38 39."),
            width=16,
        ),
        excel.Column(
            "team",
            _label(model, "team"),
            getter=lambda o: o.team.name,
            required=True,
            help=_("The name of the team that keeps this listing current; a team you work in."),
            width=22,
        ),
        excel.Column(
            "published",
            _label(model, "published"),
            format=excel.format_bool,
            parse=excel.parse_bool,
            help=_("Yes to show it on the public map."),
            choices=None,
        ),
        excel.Column(
            "last_verified",
            _label(model, "last_verified"),
            required=True,
            help=_("The date the team last confirmed these facts (YYYY-MM-DD)."),
        ),
        excel.Column("address", _label(model, "address"), help=_("The street address in Chinese."), width=30),
        excel.Column("address_en", _label(model, "address_en"), help=_("The address in English."), width=30),
        excel.Column("contact_name", _label(model, "contact_name"), help=_("Text.")),
        excel.Column("contact_name_en", _label(model, "contact_name_en"), help=_("Text in English.")),
        excel.Column("contact_phone", _label(model, "contact_phone"), help=_("Text.")),
        excel.Column("contact_email", _label(model, "contact_email"), help=_("An e-mail address."), width=22),
        excel.Column("description", _label(model, "description"), help=_("Text in Chinese."), width=40),
        excel.Column("description_en", _label(model, "description_en"), help=_("Text in English."), width=40),
    ]


def _district_column(model):
    return excel.Column(
        "district",
        _("District"),
        field="region",
        getter=lambda o: o.region.name,
        required=True,
        help=_(
            "The district or county: its 6-digit administrative code or its name, e.g. 440703 or Pengjiang District."
        ),
    )


CARRIER_COLUMNS = [
    excel.Column(
        "reference",
        _label(Carrier, "reference"),
        required=True,
        help=_("The listing number: an existing number updates that site, a new one creates a site."),
    ),
    excel.Column(
        "kind",
        _label(Carrier, "kind"),
        required=True,
        choices=CarrierKind.choices,
        help=_("Land parcel, standard factory or office space."),
    ),
    excel.Column("name", _label(Carrier, "name"), required=True, help=_("The name in Chinese."), width=24),
    excel.Column("name_en", _label(Carrier, "name_en"), help=_("The name in English."), width=24),
    _district_column(Carrier),
    excel.Column(
        "park",
        _label(Carrier, "park"),
        getter=lambda o: o.park.name if o.park_id else None,
        help=_("The name of the park the site lies in, if any."),
        width=20,
    ),
    excel.Column("lon", _label(Carrier, "lon"), required=True, help=_("WGS84 degrees, e.g. 113.08.")),
    excel.Column("lat", _label(Carrier, "lat"), required=True, help=_("WGS84 degrees, e.g. 22.58.")),
    _decimal(Carrier, "area_mu", _("Land parcels: the land area in mu (1 mu = 666.67 m²).")),
    excel.Column("land_use", _label(Carrier, "land_use"), choices=LandUse.choices, help=_("Land parcels.")),
    _decimal(Carrier, "plot_ratio_min", _("Land parcels: the smallest plot ratio allowed.")),
    _decimal(Carrier, "plot_ratio_max", _("Land parcels: the largest plot ratio allowed.")),
    _decimal(Carrier, "land_price", _("Land parcels: 10,000 yuan per mu.")),
    _decimal(Carrier, "floor_area_m2", _("Factories and offices: the floor area in m².")),
    excel.Column("floors", _label(Carrier, "floors"), help=_("A whole number.")),
    _decimal(Carrier, "floor_load_kn"),
    _decimal(Carrier, "clear_height_m"),
    _decimal(Carrier, "rent"),
    _decimal(Carrier, "sale_price"),
    excel.Column("power_kva", _label(Carrier, "power_kva"), help=_("A whole number.")),
    _decimal(Carrier, "water_t_day"),
    excel.Column(
        "gas",
        _label(Carrier, "gas"),
        format=excel.format_bool,
        parse=excel.parse_bool,
        help=_("Yes or no."),
    ),
    _decimal(Carrier, "wastewater_t_day"),
    _decimal(Carrier, "port_km"),
    _decimal(Carrier, "rail_km"),
    _decimal(Carrier, "highway_km"),
    _decimal(Carrier, "airport_km"),
    excel.Column(
        "availability",
        _label(Carrier, "availability"),
        choices=Availability.choices,
        help=_("Available, reserved or taken (empty: available)."),
    ),
    excel.Column(
        "available_from", _label(Carrier, "available_from"), help=_("A date (YYYY-MM-DD), when not available now.")
    ),
    *listing_columns(Carrier),
]

PARK_COLUMNS = [
    excel.Column(
        "name",
        _label(Park, "name"),
        required=True,
        help=_("The name in Chinese: an existing name updates that park, a new one creates a park."),
        width=24,
    ),
    excel.Column("name_en", _label(Park, "name_en"), help=_("The name in English."), width=24),
    _district_column(Park),
    excel.Column("level", _label(Park, "level"), choices=ParkLevel.choices, help=_("Empty: municipal.")),
    _decimal(Park, "area_mu", _("The park's area in mu.")),
    excel.Column("website", _label(Park, "website"), help=_("An address starting with http:// or https://.")),
    *listing_columns(Park),
]

CARRIER_EXAMPLE = {
    "reference": "JM-PJ-0001",
    "kind": CarrierKind.PARCEL.label,
    "name": "蓬江区示例地块",
    "name_en": "Example parcel, Pengjiang",
    "district": "440703",
    "lon": 113.08,
    "lat": 22.6,
    "area_mu": Decimal("50"),
    "land_use": LandUse.M1.label,
    "land_price": Decimal("60"),
    "power_kva": 5000,
    "gas": excel.format_bool(True),
    "industry_codes": "38 39",
    "published": excel.format_bool(True),
}


# --- import forms and importers ---------------------------------------------------------------------------------


class ListingImportForm(excel.ImportFormMixin, forms.ModelForm):
    def clean_team(self):
        team = self.cleaned_data.get("team")
        error = team_error(self.importer.user, team, self.instance.team_id)
        if error:
            raise forms.ValidationError(error)
        return team


class CarrierImportForm(ListingImportForm):
    class Meta:
        model = Carrier
        fields = ["reference"]

    def clean_constraints(self):
        low, high = self.instance.plot_ratio_min, self.instance.plot_ratio_max
        if low is not None and high is not None and low > high:
            raise forms.ValidationError(
                {"plot_ratio_max": _("The plot ratio range runs from the smaller to the larger value.")}
            )


class ParkImportForm(ListingImportForm):
    class Meta:
        model = Park
        fields = ["name"]


class ListingImporter(excel.ModelImporter):
    form_class = ListingImportForm

    def __init__(self, user):
        super().__init__(user)
        self.codes_before: dict[int, dict[str, int]] = {}

    def queryset(self):
        return (
            self.model._base_manager.select_related("region", "team")
            .defer("boundary", "search_text", "region__boundary")
            .prefetch_related("industries")
        )

    def preload(self, datas, present):
        super().preload(datas, present)
        for obj in self.existing.values():
            self.codes_before[obj.pk] = {link.code: link.pk for link in obj.industries.all()}

    def field_overrides(self, present):
        keys = {c.key for c in present}
        fields = {}
        if "district" in keys:
            regions = Region.objects.filter(level__in=[RegionLevel.DISTRICT, RegionLevel.CITY]).defer("boundary")
            fields["region"] = excel.LookupField(
                excel.Lookup(regions, "adcode", "name", "name_en"),
                label=_("District"),
                unknown_message=_("“%(value)s” is not a district of this city (give its code or name)."),
            )
        if "team" in keys:
            fields["team"] = excel.LookupField(
                excel.Lookup(Team.objects.filter(active=True), "name", "name_en"),
                label=_("Team"),
                unknown_message=_("There is no team named “%(value)s”."),
            )
        if "industry_codes" in keys:
            fields["industry_codes"] = IndustryCodesField(divisions=division_codes())
        return fields

    def codes_of(self, form):
        if "industry_codes" not in form.fields:
            return None
        return sorted(set(form.cleaned_data.get("industry_codes") or []))

    def after_save(self, form, created):
        codes = self.codes_of(form)
        return codes is not None and set_codes(form.instance, codes)

    def after_bulk_save(self, items):
        link_model, owner = link_model_of(self.model())
        add, remove, records, changed = [], [], [], set()
        for _row, form, created in items:
            codes = self.codes_of(form)
            if codes is None:
                continue
            obj = form.instance
            before = {} if created else self.codes_before.get(obj.pk, {})
            if sorted(before) == codes:
                continue
            remove.extend(pk for code, pk in before.items() if code not in codes)
            add.extend(link_model(**{f"{owner}_id": obj.pk, "code": code}) for code in codes if code not in before)
            records.append(codes_change_record(obj, sorted(before), codes))
            changed.add(obj.pk)
        for start in range(0, len(remove), 900):
            link_model.objects.filter(pk__in=remove[start : start + 900]).delete()
        link_model.objects.bulk_create(add, batch_size=excel.SAVE_BATCH)
        ChangeRecord.objects.bulk_create(records, batch_size=excel.SAVE_BATCH)
        if add:
            generations.bulk_saved.send(sender=link_model, using=link_model.objects.db)
        return changed


class CarrierImporter(ListingImporter):
    model = Carrier
    columns = CARRIER_COLUMNS
    key = "reference"
    form_class = CarrierImportForm
    title = _("sites")

    def queryset(self):
        return super().queryset().select_related("park").defer("park__boundary", "park__search_text")

    def field_overrides(self, present):
        fields = super().field_overrides(present)
        if any(c.key == "park" for c in present):
            fields["park"] = excel.LookupField(
                excel.Lookup(Park.objects.defer("boundary", "search_text"), "name", "name_en"),
                label=_("Park"),
                required=False,
                unknown_message=_("There is no park named “%(value)s”."),
            )
        return fields


class ParkImporter(ListingImporter):
    model = Park
    columns = PARK_COLUMNS
    key = "name"
    form_class = ParkImportForm
    title = _("parks")


def stale_q(model) -> Q:
    return Q(last_verified__lt=model.stale_before())
