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
    ("expanding", "近期扩产", "Expanding"),
]


def load_reference_data(code_model, tag_model) -> None:
    """GB/T 4754-2017 codes and the standard enterprise tags (models may be a migration's)."""
    load_industry_codes(code_model)
    load_tags(tag_model)


def load_tags(tag_model) -> None:
    """The standard enterprise tags, added or renamed (a migration's model, or the app's)."""
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
        "url": reverse("industry:chain-list") + "?active=true",
    }


# --- finding enterprises on record for many rows at once (imports) ----------------------------------------------

CHUNK = 900  # values per IN (...) query: below SQLite's parameter limit


class EnterpriseIndex:
    """Enterprises on record found by credit code, by normalized name and by loose name key, for the rows of an
    import: ``load`` reads what the rows name in a few queries, then every question is answered from memory.

    One index serves every import that names enterprises (the enterprise register, a team's prospects, a project's
    investor, the chains' enterprise library), so that they all agree on what "the same enterprise" is:

    - a credit code names one legal person, whoever keeps it (``by_code`` looks among all records);
    - without a code, the records of the same ``normalize_name`` are the candidates (``by_name``), among
      ``names_from`` (a queryset: for example the records the user can see);
    - records of the same ``name_key`` but not the one chosen are *possible* duplicates (``similar``).

    Records created by the import itself are ``add``-ed, so that later rows find them.
    """

    def __init__(self, names_from=None):
        from .models import Enterprise

        self.all = Enterprise._base_manager.defer("search_text")
        self.names_from = (names_from if names_from is not None else Enterprise.objects.all()).defer("search_text")
        self.codes: dict[str, object] = {}
        self.names: dict[str, list] = {}
        self.keys: dict[str, list] = {}

    def load(self, codes=(), names=()) -> None:
        """Read the records of these credit codes and the records whose names match these names."""
        codes = sorted({clean_uscc_value(code) for code in codes} - {""})
        for start in range(0, len(codes), CHUNK):
            for enterprise in self.all.filter(uscc__in=codes[start : start + CHUNK]):
                self._remember(enterprise, names=False)
        keys = sorted({name_key(name) for name in names if name and name.strip()} - {""})
        for start in range(0, len(keys), CHUNK):
            for enterprise in self.names_from.filter(name_key__in=keys[start : start + CHUNK]).order_by("pk"):
                self._remember(enterprise)

    def add(self, enterprise, *, names: bool = True) -> None:
        """A record of this import (saved or not): later rows find it like one on record (``names``: by its name
        too, not only by its code)."""
        self._remember(enterprise, names=names)

    def _remember(self, enterprise, names: bool = True) -> None:
        if enterprise.uscc:
            self.codes[enterprise.uscc] = enterprise
        if names:
            normalized = normalize_name(enterprise.name)
            for index, value in ((self.names, normalized), (self.keys, name_key(enterprise.name))):
                found = index.setdefault(value, [])
                if all(e is not enterprise for e in found):
                    found.append(enterprise)

    def by_code(self, code: str):
        return self.codes.get(clean_uscc_value(code)) if code else None

    def by_name(self, name: str) -> list:
        """Records of the same normalized name, earliest first."""
        return list(self.names.get(normalize_name(name), ())) if name else []

    def similar(self, name: str, *, besides=None) -> list:
        """Records of the same loose name key (possible duplicates), without ``besides``."""
        return [e for e in self.keys.get(name_key(name), ()) if e is not besides] if name else []


def clean_uscc_value(code) -> str:
    from .validators import clean_uscc

    return clean_uscc(str(code or ""))


# --- tags --------------------------------------------------------------------------------------------------------

TAG_SEPARATORS = re.compile(r"[,，、;；\n]+")


def tag_lookup():
    """Enterprise tags by Chinese name, English name or key (as written in a cell, without case or width)."""
    from zhaoshang.core.excel import Lookup

    from .models import EnterpriseTag

    return Lookup(EnterpriseTag.objects.all(), "slug", "name", "name_en")


def parse_tags(value, lookup) -> list:
    """The tags named in a cell (separated by commas, 、 or semicolons, in Chinese or English); ValidationError
    naming the unknown ones and the tags there are."""
    from django.core.exceptions import ValidationError
    from django.utils.translation import gettext as _

    parts = [part.strip() for part in TAG_SEPARATORS.split(str(value or "")) if part.strip()]
    found, unknown = [], []
    for part in parts:
        tag = lookup.get(part)
        if tag is None or tag is lookup.AMBIGUOUS:
            unknown.append(part)
        elif tag not in found:
            found.append(tag)
    if unknown:
        raise ValidationError(
            _("Unknown tags: %(tags)s. The tags are: %(allowed)s.")
            % {"tags": "、".join(unknown), "allowed": "、".join(str(t) for t in lookup.records)}
        )
    return found


def format_tags(tags) -> str:
    return "、".join(str(tag) for tag in tags)


def save_tags(changes) -> None:
    """Give enterprises their tags in bulk: ``changes`` is [(enterprise, tag ids before, tag ids after)]; each
    changed enterprise gets one change record with the content the audit of ``tags.set`` writes."""
    from django.db.models import Q

    from zhaoshang.core import audit
    from zhaoshang.core.choices import ChangeKind
    from zhaoshang.core.models import ChangeRecord

    from .models import Enterprise

    through = Enterprise.tags.through
    removed, added, records = [], [], []
    for enterprise, before, after in changes:
        before, after = sorted(set(before)), sorted(set(after))
        if before == after:
            continue
        removed.extend((enterprise.pk, tag) for tag in set(before) - set(after))
        added.extend(through(enterprise_id=enterprise.pk, enterprisetag_id=tag) for tag in set(after) - set(before))
        records.append(audit.change_record(enterprise, ChangeKind.UPDATE, {"tags": before}, {"tags": after}, ["tags"]))
    for start in range(0, len(removed), 300):  # one DELETE for many (enterprise, tag) pairs
        pairs = Q()
        for enterprise_id, tag_id in removed[start : start + 300]:
            pairs |= Q(enterprise_id=enterprise_id, enterprisetag_id=tag_id)
        through.objects.filter(pairs).delete()
    through.objects.bulk_create(added, batch_size=500)
    ChangeRecord.objects.bulk_create(records, batch_size=500)


WORD_SEPARATORS = re.compile(r"[,，、;；/\n]+")


def split_words(text: str) -> list[str]:
    """The words of a keyword list (separated by commas, 、, semicolons, slashes or lines), lower case, in order,
    each once."""
    words = []
    for part in WORD_SEPARATORS.split(normalize(text or "")):
        part = part.strip()
        if part and part not in words:
            words.append(part)
    return words
