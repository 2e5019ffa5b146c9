"""Zhaoshang (招商): an open investment-promotion platform for city governments."""

from .celery import app as celery_app

__all__ = ["celery_app"]
