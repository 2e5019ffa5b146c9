"""The demo's admission-review standards: the seeded standards (review.standards_seed), with the demo city's
districts, loaded by the geo demo before this one, put into their zones. The national high-tech zone's park is made
by the portal demo, after this one: ``manage.py load_standards`` run after the demo puts it into its zone."""

from __future__ import annotations


def load(ctx) -> None:
    from django.apps import apps

    from .standards_seed import seed

    ctx.data["review_standards"] = seed(apps)
