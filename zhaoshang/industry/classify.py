"""Which chain nodes an enterprise belongs to, and why: its industry code and the words of its main products.

The rule (docs/chains.md):

1. **Words.** The enterprise's main products and its name are cut into words by jieba, with every node keyword in
   its dictionary (so 磷酸铁锂 and 正极材料 stay whole words); a node one of whose keywords is among those words
   is *named* by the enterprise.
2. **Codes.** The enterprise's industry code *agrees* with a node when it lies under one of the node's codes (the
   same code, or a longer code that starts with it), when the node has no codes, or when the enterprise has none.
3. The enterprise belongs to a node that it names and whose codes agree; or, naming no node of that chain, to the
   one node of the chain its code lies under, when no other node of the chain has that code and the node has no
   keywords (a node defined by its codes alone, e.g. 15 饮料制造 of a food chain: keywords narrow a node, so a node
   with keywords takes only the enterprises that name it — every plastics maker is not a separator maker).
4. A member of staff decides above the rules: a node added by staff stays, a node excluded by staff is never
   given back by the rules, whatever is re-imported or reclassified.

Each row also carries the figures targeting and the chain map read (``local``, ``output_wan``, ``score``): the
fit score adds the points of ``FIT_POINTS`` for how the node was matched, the enterprise's size and its tags.
"""

from __future__ import annotations

import logging
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from django.db import transaction
from django.utils.translation import gettext as _

from .choices import REVENUE_BAND_WAN, ClassificationSource, EnterpriseSize, RevenueBand
from .services import split_words

# How each part of the fit score counts (targets are ranked by it; the reasons shown name each part).
FIT_POINTS = {
    "rule": {"words_and_code": 40, "words": 30, "code": 25, "staff": 40},
    "revenue_band": {
        RevenueBand.UNDER_20M: 0,
        RevenueBand.TO_100M: 5,
        RevenueBand.TO_1B: 10,
        RevenueBand.TO_10B: 15,
        RevenueBand.OVER_10B: 20,
    },
    # used when the revenue band is not known
    "size": {EnterpriseSize.MICRO: 0, EnterpriseSize.SMALL: 3, EnterpriseSize.MEDIUM: 8, EnterpriseSize.LARGE: 15},
    "tags": {
        "fortune-global-500": 15,
        "china-500": 12,
        "industry-leader": 12,
        "china-manufacturing-500": 10,
        "expanding": 10,
        "listed": 8,
        "specialized-innovative": 6,
        "high-tech": 4,
    },
}
CHUNK = 5_000  # enterprises read, matched and written at a time
# Full-width forms to half-width ones, as core.search.normalize maps them.
HALF_WIDTH = {0x3000: 0x20} | {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}

log = logging.getLogger(__name__)


@dataclass
class Matcher:
    """The nodes' keywords and codes, read once per classification run."""

    nodes: dict[int, tuple[int, tuple[str, ...]]] = field(default_factory=dict)  # node → (chain, codes)
    by_word: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))
    # (chain, code) → nodes of the chain holding that code
    code_owners: dict[tuple[int, str], list[int]] = field(default_factory=lambda: defaultdict(list))
    keyworded: set[int] = field(default_factory=set)  # nodes with keywords: never taken by code alone
    chain_codes: dict[int, set[str]] = field(default_factory=lambda: defaultdict(set))
    tokenizer: object = None
    # A text in which no keyword occurs (as characters) cannot hold one as a word: it is not cut at all.
    candidates: re.Pattern | None = None
    _words: object = None
    _by_code: dict = field(default_factory=dict)

    @classmethod
    def load(cls, chains: Iterable[int] | None = None) -> Matcher:
        """The nodes of the active chains (of ``chains`` only, when given)."""
        from .models import ChainNode

        matcher = cls()
        codes = defaultdict(list)
        for node_id, code in ChainNode.industry_codes.through.objects.values_list("chainnode_id", "industrycode__code"):
            codes[node_id].append(code)
        nodes = ChainNode.objects.filter(chain__active=True)
        if chains is not None:
            nodes = nodes.filter(chain_id__in=sorted(chains))
        for node_id, chain_id, keywords in nodes.values_list("pk", "chain_id", "keywords"):
            node_codes = tuple(sorted(codes.get(node_id, ())))
            matcher.nodes[node_id] = (chain_id, node_codes)
            node_words = split_words(keywords)
            for word in node_words:
                matcher.by_word[word].append(node_id)
            if node_words:
                matcher.keyworded.add(node_id)
            for code in node_codes:
                matcher.code_owners[(chain_id, code)].append(node_id)
                matcher.chain_codes[chain_id].add(code)
        words = tuple(sorted(matcher.by_word))
        if words:  # jieba's dictionary is loaded only when there is a keyword to look for
            matcher.tokenizer = _tokenizer(words)
            matcher.candidates = re.compile("|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)))
        matcher._words = lru_cache(maxsize=200_000)(matcher._cut)
        return matcher

    def _cut(self, text: str) -> frozenset[str]:
        """The node keywords among the words of ``text`` (other words are never looked at)."""
        text = text.translate(HALF_WIDTH).lower()  # core.search.normalize, at the speed of str.translate
        if self.candidates is None or self.candidates.search(text) is None:
            return frozenset()
        by_word = self.by_word
        return frozenset(w for w in (word.strip() for word in self.tokenizer.lcut(text, HMM=False)) if w in by_word)

    def words(self, *texts: str) -> frozenset[str]:
        """The node keywords that ``texts`` hold as words."""
        found = frozenset()
        for text in texts:
            if text:
                found = found | self._words(text)
        return found

    def by_code(self, code: str) -> dict[int, int]:
        """{chain: the one node of the chain its code lies under} for the chains where there is one."""
        found = self._by_code.get(code)
        if found is None:
            found = {}
            for chain_id, chain_codes in self.chain_codes.items():
                owner = _code_owner(code, chain_id, chain_codes, self.code_owners)
                if owner is not None and owner not in self.keyworded:
                    found[chain_id] = owner
            self._by_code[code] = found
        return found

    def match(self, code: str | None, texts: Iterable[str]) -> dict[int, dict]:
        """{node: reason} for an enterprise of industry ``code`` whose products and name are ``texts``."""
        words = self.words(*texts)
        found = {}
        chains_named = set()
        if words:
            named: dict[int, list[str]] = defaultdict(list)
            for word in words:
                for node_id in self.by_word[word]:
                    named[node_id].append(word)
            for node_id, hits in named.items():
                chain_id, node_codes = self.nodes[node_id]
                agrees = _code_agrees(code, node_codes)
                if agrees is False:
                    continue
                rule = "words_and_code" if agrees else "words"
                found[node_id] = {
                    "rule": rule,
                    "words": sorted(hits),
                    "code": code or "",
                    "node_codes": list(node_codes),
                }
                chains_named.add(chain_id)
        if code:
            for chain_id, owner in self.by_code(code).items():
                if chain_id not in chains_named:
                    found[owner] = {"rule": "code", "words": [], "code": code, "node_codes": list(self.nodes[owner][1])}
        return found


def _code_agrees(code: str | None, node_codes: tuple[str, ...]) -> bool | None:
    """True: the code lies under one of the node's codes; None: nothing to compare; False: they disagree."""
    if not code or not node_codes:
        return None
    return any(code.startswith(node_code) for node_code in node_codes)


def _code_owner(code: str, chain_id: int, chain_codes: set[str], owners) -> int | None:
    """The one node of the chain whose codes hold ``code`` (the longest matching code decides), else None."""
    matching = [c for c in chain_codes if code.startswith(c)]
    if not matching:
        return None
    nodes = owners[(chain_id, max(matching, key=len))]
    return nodes[0] if len(nodes) == 1 else None


@lru_cache(maxsize=4)
def _tokenizer(words: tuple[str, ...]):
    import jieba

    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    for word in words:
        tokenizer.add_word(word, freq=100_000)
    return tokenizer


def fit(rule: str, revenue_band: str, size: str, tag_slugs: Iterable[str]) -> tuple[int, list[tuple[str, int]]]:
    """The fit score of a classification and its parts [(part, points)], each part a key of ``FIT_POINTS``."""
    parts = [(f"rule:{rule}", FIT_POINTS["rule"][rule])]
    if revenue_band:
        parts.append((f"revenue_band:{revenue_band}", FIT_POINTS["revenue_band"].get(revenue_band, 0)))
    elif size:
        parts.append((f"size:{size}", FIT_POINTS["size"].get(size, 0)))
    for slug in sorted(tag_slugs):
        points = FIT_POINTS["tags"].get(slug)
        if points:
            parts.append((f"tag:{slug}", points))
    return sum(points for _part, points in parts), parts


def output_of(revenue_band: str) -> int:
    """The representative revenue (万元) of a band, 0 when unknown."""
    return REVENUE_BAND_WAN.get(revenue_band, 0) if revenue_band else 0


@dataclass
class Result:
    enterprises: int = 0
    rows: int = 0


def classify(
    enterprise_ids: Iterable[int] | None = None, matcher: Matcher | None = None, chains: Iterable[int] | None = None
) -> Result:
    """Write the rules rows of ``enterprise_ids`` (None: every enterprise) anew and refresh the copied figures of
    the staff rows; staff decisions stay as they are. ``chains``: the nodes of these chains only (their rows are
    rewritten, the others' left alone).

    Every enterprise is read in ranges of keys, ``CHUNK`` at a time; the rows are written by ``classify_store``."""
    from .models import Enterprise, IndustryCode

    chains = None if chains is None else set(chains)
    matcher = matcher or Matcher.load(chains)
    codes = dict(IndustryCode.objects.values_list("pk", "code"))
    result = Result()
    fields = ("pk", "name", "main_products", "industry_id", "hq_region_id", "revenue_band", "size")
    if enterprise_ids is None:
        last = 0
        while True:
            rows = list(Enterprise.objects.filter(pk__gt=last).order_by("pk").values_list(*fields)[:CHUNK])
            if not rows:
                break
            _classify_chunk(rows, matcher, codes, result, chains, (last + 1, rows[-1][0]))
            last = rows[-1][0]
        # The table was rewritten: the planner's statistics of it are refreshed at once rather than whenever
        # autovacuum comes by (PostgreSQL planned a node's ranking at 730 ms on stale statistics, 22 ms after).
        from . import classify_store

        classify_store.analyze()
    else:
        ids = sorted(set(enterprise_ids))
        for start in range(0, len(ids), CHUNK):
            chunk = ids[start : start + CHUNK]
            rows = list(Enterprise.objects.filter(pk__in=chunk).values_list(*fields))
            _classify_chunk(rows, matcher, codes, result, chains, None)
    return result


def _classify_chunk(rows, matcher: Matcher, codes: dict, result: Result, chains, key_range) -> None:
    """Classify the enterprises of ``rows``; ``key_range`` (first, last): they are every enterprise of that range
    (read, deleted and written by the range rather than by a list of keys)."""
    from . import classify_store
    from .models import Enterprise, NodeClassification

    ids = [row[0] for row in rows]

    def of_chunk(queryset, field_name="enterprise_id"):
        if key_range is not None:
            return queryset.filter(**{f"{field_name}__gte": key_range[0], f"{field_name}__lte": key_range[1]})
        return queryset.filter(**{f"{field_name}__in": ids})

    tags = defaultdict(list)
    for enterprise_id, slug in of_chunk(Enterprise.tags.through.objects).values_list(
        "enterprise_id", "enterprisetag__slug"
    ):
        tags[enterprise_id].append(slug)
    staff = defaultdict(dict)
    for row in of_chunk(NodeClassification.objects.filter(source=ClassificationSource.STAFF)):
        staff[row.enterprise_id][row.node_id] = row
    new, updated = [], []
    nodes = matcher.nodes
    for pk, name, products, industry_id, region, band, size in rows:
        result.enterprises += 1
        local, output = region is not None, output_of(band)
        decided = staff.get(pk, {})
        code = codes.get(industry_id) if industry_id else None
        found = matcher.match(code, (products, name))
        if found:
            enterprise_tags = tags.get(pk, ())
            for node_id, reason in found.items():
                if node_id in decided:
                    continue
                score = fit(reason["rule"], band, size, enterprise_tags)[0]
                new.append((pk, node_id, nodes[node_id][0], reason, local, output, score))
        for row in decided.values():
            row.local, row.output_wan = local, output
            row.score = 0 if row.excluded else fit("staff", band, size, tags.get(pk, ()))[0]
            updated.append(row)
    with transaction.atomic():
        if key_range is not None:
            classify_store.delete_rules_rows(first=key_range[0], last=key_range[1], chains=chains)
        else:
            classify_store.delete_rules_rows(ids, chains=chains)
        classify_store.insert_rules_rows(new)
        if updated:
            NodeClassification.objects.bulk_update(updated, ["local", "output_wan", "score"], batch_size=1000)
    result.rows += len(new)


def explain(row) -> str:
    """The reason of a classification row in words, in the active language."""
    if row.source == ClassificationSource.STAFF:
        note = (row.reason or {}).get("note", "")
        who = row.corrected_by.get_full_name() or row.corrected_by.username if row.corrected_by_id else ""
        text = _("Excluded by staff") if row.excluded else _("Added by staff")
        parts = [text] + [part for part in (who, note) if part]
        return " · ".join(parts)
    reason = row.reason or {}
    words = "、".join(reason.get("words", []))
    codes = "、".join(reason.get("node_codes", []))
    rule = reason.get("rule")
    if rule == "words_and_code":
        return _("Main products name %(words)s; industry code %(code)s lies under the node's codes %(codes)s") % {
            "words": words,
            "code": reason.get("code"),
            "codes": codes,
        }
    if rule == "words":
        return _("Main products name %(words)s") % {"words": words}
    if rule == "code":
        return _("Industry code %(code)s belongs to this node alone in the chain (%(codes)s)") % {
            "code": reason.get("code"),
            "codes": codes,
        }
    return ""


# ---------------------------------------------------------------- staff corrections


def correctable_nodes(user):
    """The nodes whose classifications ``user`` may correct: the chains of their task forces; all for the centre."""
    from django.db.models import Q

    from zhaoshang.core.choices import Action
    from zhaoshang.core.permissions import user_scope

    from .models import ChainNode

    scope = user_scope(user)
    nodes = ChainNode.objects.select_related("chain").order_by("chain__sort", "chain__name", "segment__sort", "sort")
    if scope.is_admin or scope.in_centre(Action.CHANGE):
        return nodes
    return nodes.filter(Q(chain__task_force__in=sorted(scope.teams(Action.CHANGE))))


def may_correct_any(user, enterprise) -> bool:
    """Whether ``user`` may correct ``enterprise``'s places at some node."""
    node = correctable_nodes(user).first()
    return node is not None and may_correct(user, enterprise, node)


def may_correct(user, enterprise, node) -> bool:
    """Whether ``user`` may decide ``enterprise``'s place at ``node`` (``NodeClassification``'s change rule: the
    chain's task force and the centre, on enterprises they read; administrators)."""
    from zhaoshang.core.choices import Action
    from zhaoshang.core.permissions import user_scope

    from .models import Enterprise

    scope = user_scope(user)
    if scope.is_admin:
        return True
    if not (scope.in_centre(Action.CHANGE) or node.chain.task_force_id in scope.teams(Action.CHANGE)):
        return False
    return Enterprise.objects.restrict(user, Action.VIEW).filter(pk=enterprise.pk).exists()


def correct(enterprise, node, user, include: bool, note: str = ""):
    """A member of staff's decision: ``enterprise`` belongs to ``node`` (``include``) or does not. The enterprise's
    row at the node becomes (or is created as) a staff row, kept through every reclassification and re-import."""
    from django.core.exceptions import PermissionDenied

    from .models import NodeClassification

    if not may_correct(user, enterprise, node):
        raise PermissionDenied
    with transaction.atomic():
        row = NodeClassification.objects.select_for_update().filter(enterprise=enterprise, node=node).first()
        if row is None:
            row = NodeClassification(enterprise=enterprise, node=node, chain_id=node.chain_id)
        tags = list(enterprise.tags.values_list("slug", flat=True))
        row.source = ClassificationSource.STAFF
        row.excluded = not include
        row.reason = {"note": note.strip()} if note and note.strip() else {}
        row.corrected_by = user
        row.local = enterprise.hq_region_id is not None
        row.output_wan = output_of(enterprise.revenue_band)
        row.score = 0 if row.excluded else fit("staff", enterprise.revenue_band, enterprise.size, tags)[0]
        row.save()  # audited (core.audit) like every business record
    return row


def undo_correction(row, user) -> None:
    """Withdraw a staff decision: the row goes and the rules classify the enterprise again."""
    from django.core.exceptions import PermissionDenied, ValidationError

    from zhaoshang.core.choices import Action

    from .models import NodeClassification

    if not NodeClassification.objects.restrict(user, Action.CHANGE).filter(pk=row.pk).exists():
        raise PermissionDenied
    if row.source != ClassificationSource.STAFF:
        raise ValidationError(_("Only a correction by staff can be undone."))
    with transaction.atomic():
        enterprise_id = row.enterprise_id
        row.delete()  # audited
        classify([enterprise_id])


def classify_saved(enterprise_ids: list[int], holder=None) -> None:
    """Classify enterprises just saved (by the enterprise form or an import); ``holder`` (an importer saving row
    by row) keeps the nodes read once for all its rows."""
    matcher = getattr(holder, "_matcher", None)
    if matcher is None:
        matcher = Matcher.load()
        if holder is not None:
            holder._matcher = matcher
    classify(enterprise_ids, matcher=matcher)
