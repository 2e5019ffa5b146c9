"""The demo's actual FDI: the figures of DOMAIN.md (January–October 30.54亿元, +41.4%; the province +3.25%).

The demo is loaded once for the module (every app's demo, as ``manage.py load_demo`` does) inside a transaction
that is rolled back at the end.
"""

from decimal import Decimal

from django.utils import timezone

from zhaoshang.stats import services
from zhaoshang.stats.demo import CURRENT_JAN_OCT_WAN, PREVIOUS_JAN_OCT_WAN
from zhaoshang.stats.models import FDIRecord
from zhaoshang.stats.periods import Period


def test_the_demo_pays_in_foreign_capital_of_foreign_enterprises_up_to_the_last_complete_month(demo, db):
    today = timezone.localdate()
    records = FDIRecord.objects.all()
    assert records.count() > 20
    assert not records.filter(month__gte=today.replace(day=1)).exists()
    assert not records.exclude(enterprise__tags__slug="foreign").exists()
    assert records.filter(project__isnull=False).exists()


def test_the_demo_fdi_figures_are_those_of_domain_md(demo, db):
    today = timezone.localdate()
    previous = services.figure("fdi_actual", Period.cumulative(today.year - 1, 10))
    assert previous.value == PREVIOUS_JAN_OCT_WAN
    current = services.figure("fdi_actual", Period.cumulative(today.year, 10))
    assert [(c.name, c.value) for c in current.comparisons] == [("全省实际利用外资平均增速", Decimal("3.25"))]
    if today.month > 10:  # January–October of this year is complete
        assert current.value == CURRENT_JAN_OCT_WAN and services.yi(current.value) == Decimal("30.5")
        assert current.yoy == Decimal("41.4")


def test_the_demo_months_report_comes_out_of_the_demo_records(demo, db):
    from django.utils import translation

    from zhaoshang.stats.reports import last_complete_month, monthly_report

    year, month = last_complete_month(timezone.localdate())
    with translation.override("zh-hans"):
        document = monthly_report(year, month)
    period = Period.cumulative(year, month)
    signed = services.figure("large_signed", period)
    assert signed.value > 50  # hundreds of demo projects, a good part of them ≥1亿
    assert document.lead[0] == services.headline(period)["zh"]
    districts = document.tables()[0]
    assert districts.total[1] == signed.value == sum(row[1] for row in districts.rows)
    assert "实际利用外资" in document.lead[1]
