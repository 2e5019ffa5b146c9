"""Statistics sources: the kinds of record the figures count, registered by the apps that own the records.

An app lists its sources in ``AppConfig.stats_sources`` (dotted paths of ``Source`` objects), as it lists its
menu entries and panels; ``stats`` discovers them with ``registered_sources()``. So the portal offers its
inquiries to the statistics without ``stats`` importing the portal, and a later app (reviews, chain work) adds
its records without editing ``stats``:

```python
# portal/apps.py
class PortalConfig(AppConfig):
    stats_sources = ["zhaoshang.portal.stats_sources.INQUIRIES"]
```

A source says how a user's records are found (``for_user``; the whole city without a user), the date columns
a metric may count by, the groups a figure breaks down by, and the table of the records behind a figure.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from functools import cached_property

from django.apps import apps
from django.utils.module_loading import import_string


@dataclass(frozen=True)
class Group:
    """A way to break a figure down: the column grouped by and how its keys are named."""

    key: str
    label: object
    column: str
    labels: Callable[[list], dict]


def model_labels(model_path: str, defer: tuple[str, ...] = ()) -> Callable[[list], dict]:
    """Group keys named by the ``display_name`` of the records of ``model_path`` ("app_label.Model")."""

    def labels(keys: list) -> dict:
        model = apps.get_model(model_path)
        queryset = model._base_manager.filter(pk__in=[k for k in keys if k is not None])
        if defer:
            queryset = queryset.defer(*defer)
        return {obj.pk: obj.display_name for obj in queryset}

    return labels


def choice_labels(choices) -> Callable[[list], dict]:
    """Group keys named by the labels of a choices class."""

    def labels(keys: list) -> dict:
        names = dict(choices.choices)
        return {k: str(names.get(k, k)) for k in keys if k is not None}

    return labels


def all_records(model_path: str) -> Callable:
    """Every record of ``model_path``: a source's figures for the whole city."""

    def records():
        return apps.get_model(model_path)._base_manager.all()

    return records


@dataclass(frozen=True)
class Source:
    """A kind of record metrics count: how a user's records are found (``for_user``; the whole city without a
    user), the date columns a metric may count by, the groups, and the table (``core.tables.Table``, or its
    dotted path) listing the records behind a figure."""

    key: str
    label: object
    model_path: str
    for_user: Callable
    everything: Callable
    dates: dict[str, object]
    groups: dict[str, Group]
    table: object = None

    @cached_property
    def model(self):
        return apps.get_model(self.model_path)

    @cached_property
    def drill_table(self):
        return import_string(self.table) if isinstance(self.table, str) else self.table

    def records(self, user=None):
        """The records behind figures: ``user``'s, or the whole city for None."""
        return self.everything() if user is None else self.for_user(user)

    def date_label(self, date_field: str):
        return self.dates[date_field]


def registered_sources() -> dict[str, Source]:
    """The sources the installed apps register under ``AppConfig.stats_sources``, by key, in the order of
    INSTALLED_APPS. Two sources of one key are a mistake of configuration."""
    sources: dict[str, Source] = {}
    for config in apps.get_app_configs():
        for path in getattr(config, "stats_sources", ()):
            source = import_string(path)
            if source.key in sources:
                raise ValueError(f"Two statistics sources are registered as {source.key!r} ({path}).")
            sources[source.key] = source
    return sources


class RegisteredSources(Mapping):
    """``registered_sources()`` as a mapping, read at each use (after the apps are loaded)."""

    def __getitem__(self, key: str) -> Source:
        return registered_sources()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(registered_sources())

    def __len__(self) -> int:
        return len(registered_sources())
