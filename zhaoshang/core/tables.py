"""Declarative list-page tables: which columns, how they sort, which one links to the record."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.utils.html import format_html

from . import formatting


@dataclass(frozen=True)
class Column:
    name: str
    label: Any
    accessor: Callable[[Any], Any] | None = None
    order_by: tuple[str, ...] = ()
    link: bool = False
    # A column of short labels, codes, dates or amounts ("线索", "新会区", "2026-03-01"): kept on one line, so a
    # narrow table does not wrap it one character per line.
    nowrap: bool = False

    def value(self, obj):
        if self.accessor is not None:
            return self.accessor(obj)
        value = getattr(obj, self.name)
        display = getattr(obj, f"get_{self.name}_display", None)
        return display() if callable(display) else value


@dataclass(frozen=True)
class Table:
    columns: tuple[Column, ...]
    default_sort: str
    select_related: tuple[str, ...] = ()
    prefetch_related: tuple[str, ...] = ()
    extra: dict = field(default_factory=dict)

    def sort_key(self, requested: str | None) -> str:
        sortable = {c.name for c in self.columns if c.order_by}
        if requested and requested.lstrip("-") in sortable:
            return requested
        return self.default_sort

    def prepare(self, queryset, sort: str):
        column = next(c for c in self.columns if c.name == sort.lstrip("-"))
        prefix = "-" if sort.startswith("-") else ""
        ordering = [f"{prefix}{key}" for key in column.order_by] + ["pk"]
        if self.select_related:
            queryset = queryset.select_related(*self.select_related)
        if self.prefetch_related:
            queryset = queryset.prefetch_related(*self.prefetch_related)
        return queryset.order_by(*ordering)

    def headers(self, sort: str, query):
        out = []
        for column in self.columns:
            entry = {"label": column.label, "url": None, "direction": None, "nowrap": column.nowrap}
            if column.order_by:
                q = query.copy()
                descending = sort == column.name
                q["sort"] = f"-{column.name}" if descending else column.name
                entry["url"] = "?" + q.urlencode()
                if sort.lstrip("-") == column.name:
                    entry["direction"] = "desc" if sort.startswith("-") else "asc"
            out.append(entry)
        return out

    def rows(self, objects):
        rows = []
        for obj in objects:
            cells = []
            for column in self.columns:
                value = column.value(obj)
                if value is None or value == "":
                    value = "—"
                elif isinstance(value, Decimal | float):
                    value = formatting.number(value)
                elif isinstance(value, date):
                    value = formatting.day(value)
                if column.link:
                    value = format_html('<a href="{}">{}</a>', obj.get_absolute_url(), value)
                if column.nowrap:
                    value = format_html('<span class="text-nowrap">{}</span>', value)
                cells.append(value)
            rows.append(cells)
        return rows
