"""GB/T 4754-2017 sections and divisions, and the enterprise tags statistics count by."""

from django.db import migrations

TAGS = [
    ("fortune-global-500", "世界500强", "Fortune Global 500"),
    ("china-500", "中国500强", "China Top 500"),
    ("china-manufacturing-500", "中国制造业500强", "China Manufacturing Top 500"),
    ("listed", "上市公司", "Listed company"),
    ("industry-leader", "行业龙头", "Industry leader"),
    ("high-tech", "高新技术企业", "High-tech enterprise"),
    ("specialized-innovative", "专精特新", "Specialized and innovative SME"),
    ("foreign", "外资", "Foreign-invested"),
]


def load(apps, schema_editor):
    from zhaoshang.industry.services import load_industry_codes

    load_industry_codes(apps.get_model("industry", "IndustryCode"))
    EnterpriseTag = apps.get_model("industry", "EnterpriseTag")
    for order, (slug, name, name_en) in enumerate(TAGS):
        EnterpriseTag.objects.update_or_create(slug=slug, defaults={"name": name, "name_en": name_en, "sort": order})


class Migration(migrations.Migration):
    dependencies = [("industry", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
