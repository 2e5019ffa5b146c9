"""Industry reference data and enterprise matching."""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path

from zhaoshang.core.search import normalize

from .choices import CodeLevel

GBT4754_FILE = Path(__file__).parent / "data" / "gbt4754_2017.json"

# Company-form words removed to compare names ("some tech" in all its legal forms).
COMPANY_SUFFIXES = [
    "集团股份有限公司",
    "集团有限责任公司",
    "集团有限公司",
    "股份有限公司",
    "有限责任公司",
    "有限公司",
    "股份公司",
    "集团公司",
    "总公司",
    "集团",
    "公司",
    "co.,ltd.",
    "co.,ltd",
    "co.ltd",
    "company limited",
    "corporation",
    "limited",
    "company",
    "group",
    "corp.",
    "corp",
    "inc.",
    "inc",
    "ltd.",
    "ltd",
    "gmbh",
    "llc",
    "plc",
    "ag",
    "co.",
    "co",
]
PARENTHESES = re.compile(r"[(\[（【][^()\[\]（）【】]*[)\]）】]")
SPACES_AND_PUNCTUATION = re.compile(r"[\s,.·・'\"&-]+")
_CJK = "\u3400-\u4dbf\u4e00-\u9fff"
CJK_GAP = re.compile(rf"(?<=[{_CJK}])[\s,.·・'\"&-]+|[\s,.·・'\"&-]+(?=[{_CJK}])")


def normalize_name(name: str) -> str:
    """A company name reduced for matching.

    Full-width to half-width, lower case, parenthesised parts such as (中国) or
    （江门） removed, legal-form suffixes (有限公司, 股份有限公司, 集团, Ltd., …)
    removed repeatedly, then spaces and punctuation removed:
    "某某科技（江门）有限公司" → "某某科技"; "某某科技股份有限公司" → "某某科技".
    """
    text = normalize(name or "").strip()
    while PARENTHESES.search(text):  # nested brackets, innermost first
        text = PARENTHESES.sub("", text)
    # Spaces and punctuation beside Chinese characters carry no meaning ("有限 公司", "公司.").
    text = CJK_GAP.sub("", text)
    text = re.sub(r"\s+", " ", text).strip(" ,.")
    stripped = text
    changed = True
    while changed and stripped:
        changed = False
        for suffix in COMPANY_SUFFIXES:
            if not stripped.endswith(suffix) or len(stripped) <= len(suffix):
                continue
            # A Latin legal form must stand as its own word ("Foo AG", not "Tag").
            if suffix.isascii() and stripped[-len(suffix) - 1] not in " ,.":
                continue
            stripped = stripped[: -len(suffix)].rstrip(" ,.")
            changed = True
            break
    # A name made only of legal-form words ("有限公司") keeps its words.
    if not stripped or any(suffix.startswith(stripped) for suffix in COMPANY_SUFFIXES):
        stripped = text
    return SPACES_AND_PUNCTUATION.sub("", stripped)


# Words of Chinese legal forms removed wherever they stand for the looser comparison (name_key).
LEGAL_FORM_WORDS = re.compile("股份|有限|责任|公司|集团")


@cache
def _place_prefix():
    from zhaoshang.geo.services import place_names

    return re.compile("|".join(re.escape(name) for name in place_names()))


def name_key(name: str) -> str:
    """A looser key than ``normalize_name``, for possible duplicates: the normalized name without a leading
    place name (江门市, 广东省江门市, 新会区, 深圳, …) and without the legal-form words 股份, 有限, 责任, 公司
    and 集团 wherever they stand.

    "江门市某某科技有限公司", "某某科技（江门）有限公司" and "某某科技股份有限公司" all give "某某科技". Two
    enterprises with one key may still be different legal persons (a branch, a sister company): the
    key marks them as *possibly* the same. A place name is removed only when at least two characters
    remain ("江门市" stays "江门市").
    """
    text = normalize_name(name)
    prefix = _place_prefix()
    while True:
        match = prefix.match(text)
        if match is None or len(text) - match.end() < 2:
            break
        text = text[match.end() :]
    return LEGAL_FORM_WORDS.sub("", text) or text


# The enterprise tags statistics count by (data: more can be added by administrators).
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


def load_reference_data(code_model, tag_model) -> None:
    """GB/T 4754-2017 codes and the standard enterprise tags (models may be a migration's)."""
    load_industry_codes(code_model)
    for order, (slug, name, name_en) in enumerate(TAGS):
        tag_model.objects.update_or_create(slug=slug, defaults={"name": name, "name_en": name_en, "sort": order})


@cache
def gbt4754_data() -> dict:
    return json.loads(GBT4754_FILE.read_text(encoding="utf-8"))


def load_industry_codes(model) -> int:
    """Create or refresh the GB/T 4754-2017 sections and divisions (``model`` may be a migration's)."""
    data = gbt4754_data()
    count = 0
    for order, section in enumerate(data["sections"]):
        parent, _created = model.objects.update_or_create(
            code=section["code"],
            defaults={
                "name": section["name_zh"],
                "name_en": section["name_en"],
                "level": CodeLevel.SECTION,
                "parent": None,
                "sort": order,
            },
        )
        count += 1
        for division in section["divisions"]:
            model.objects.update_or_create(
                code=division["code"],
                defaults={
                    "name": division["name_zh"],
                    "name_en": division["name_en"],
                    "level": CodeLevel.DIVISION,
                    "parent": parent,
                    "sort": 100 + int(division["code"]),
                },
            )
            count += 1
    return count


def enterprise_panel(user) -> dict:
    """Home-page figure: the enterprises this user can see."""
    from django.urls import reverse
    from django.utils.translation import gettext as _

    from .models import Enterprise

    return {
        "title": _("Enterprises"),
        "value": Enterprise.objects.restrict(user).count(),
        "url": reverse("industry:enterprise-list"),
    }


def chain_panel(user) -> dict:
    from django.urls import reverse
    from django.utils.translation import gettext as _

    from .models import Chain

    return {
        "title": _("Key industry chains"),
        "value": Chain.objects.restrict(user).filter(active=True).count(),
        "url": reverse("industry:chain-list"),
    }
