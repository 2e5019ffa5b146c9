"""Parts of the monthly report that other apps write: sentences of its lead and tables of its chains' section.

An app lists them in its ``AppConfig`` as it lists its statistics sources (``core.stats_sources``), so that the
report (``stats.reports``) carries them without importing the app:

```python
# chains/apps.py
class ChainsConfig(AppConfig):
    report_sentences = ["zhaoshang.chains.services.statistics.report_sentence"]
    report_tables = ["zhaoshang.chains.services.statistics.report_table"]
```

A sentence is ``callable(period, user) -> str`` ("" when it has nothing to say); a table is
``callable(period, user) -> core.documents.Table | None``. Both are written in the active language.
"""

from __future__ import annotations

from django.apps import apps
from django.utils.module_loading import import_string


def registered(attribute: str) -> list:
    """The callables the installed apps list under ``attribute``, in the order of INSTALLED_APPS."""
    found = []
    for config in apps.get_app_configs():
        for path in getattr(config, attribute, ()):
            found.append(import_string(path))
    return found


def report_sentences(period, user=None) -> list[str]:
    """The sentences the apps add to the report's lead, those with something to say."""
    return [text for text in (write(period, user) for write in registered("report_sentences")) if text]


def report_tables(period, user=None) -> list:
    """The tables the apps add to the report's section on the industry chains."""
    return [table for table in (write(period, user) for write in registered("report_tables")) if table is not None]
