"""The demo city: each app adds its part in a module ``<app>/demo.py`` with ``load(ctx)``.

Apps run in INSTALLED_APPS order, so an app finds what the apps below it made
in ``ctx``. Everything is deterministic (one seeded random generator).
"""

from __future__ import annotations

import importlib
import random
from dataclasses import dataclass, field

from django.apps import apps
from django.db import transaction

from .context import acting_as

DEMO_PASSWORD = "zhaoshang-demo-2026"
DEMO_CITY = "440700"  # the demo is Jiangmen; the platform itself takes its city from data


@dataclass
class DemoContext:
    city_adcode: str
    seed: int = 20261126
    rng: random.Random = field(init=False)
    data: dict = field(default_factory=dict)
    log: list[str] = field(default_factory=list)

    def __post_init__(self):
        self.rng = random.Random(self.seed)


def demo_modules():
    for config in apps.get_app_configs():
        if not config.name.startswith("zhaoshang."):
            continue
        try:
            module = importlib.import_module(f"{config.name}.demo")
        except ModuleNotFoundError as exc:
            if exc.name == f"{config.name}.demo":
                continue
            raise
        if hasattr(module, "load"):
            yield config.label, module


def demo_logins() -> list[tuple[str, str, str]]:
    """(user name, password, who) of every demo login, from the apps' ``logins()``."""
    out = []
    for _label, module in demo_modules():
        if hasattr(module, "logins"):
            out.extend(module.logins())
    return out


def load_demo(city_adcode: str) -> DemoContext:
    ctx = DemoContext(city_adcode=city_adcode)
    with transaction.atomic(), acting_as(None, request_id="load_demo"):
        for label, module in demo_modules():
            module.load(ctx)
            ctx.log.append(label)
    return ctx
