"""Chain targeting at city scale: classifying every enterprise to the chains' nodes, ranking a node's targets, a
chain map with its figures.

Data (``chains_data``): the 15 demo chains in parts and ``--enterprises`` enterprises (default 1,000,000) inside
and outside the city, in a database of their own (``var/bench/bench_chains.sqlite3``, or the
``BENCH_DATABASE_URL`` database's name with ``_chains``), generated once with bulk inserts.
Targets: classifying 1,000,000 enterprises ≤ 5 min; the top 50 targets of a node ≤ 300 ms median; a chain map
with its figures ≤ 300 ms. Each is printed with a floor measured in the same run and checked first (``same``) to
give the same answer: for the classification, the same table (every rules row with its reason, figures and fit score,
and the staff rows' refreshed figures) found by a plain-Python matcher (keywords looked up as substrings of the
products and name, codes compared directly, staff decisions left alone) and written with one executemany (SQLite) or
COPY (PostgreSQL) and one UPDATE executemany for the staff rows; for the ranking, one SQL statement and plain Python
(``floor_ranking``: the same enterprises, scores and reasons in words); for the chain map, four SQL statements and
the strength rule in Python (``floor_figures``: the same figures and strengths by node). Every figure is the median
of several runs with its spread (``--repeat`` classifications of each, VACUUM ANALYZE before each); the ranking and
the map warm and cold (the first call of the process, on a new connection). A small pipeline of the chain
(``pipeline``: projects, targets, enterprises kept by a team, staff decisions) is added once per database so that
every condition of the ranking and the figures counts.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from chains_data import PREFIX, classify_all, generate
from common import machine_load, report, same, setup_django, timed, vacuum_analyze

NODE = ("新能源电池", "隔膜")
CHAIN = "新能源电池"


def floor_rows():
    """The classification as the floor finds it, the whole answer of ``classify()``: the rules rows
    [(enterprise, node, chain, reason, local, output, score)] (reason: the rule, the words found, the enterprise's
    code and the node's codes; score: the fit points of the rule, the revenue band or size and the tags) and the staff
    rows' refreshed figures [(local, output, score, id)]. One query of the enterprises, one of their tags, plain Python
    (keywords looked up as substrings, the longer word first; codes compared directly)."""
    from django.db import connection

    from zhaoshang.core.search import normalize
    from zhaoshang.industry.choices import REVENUE_BAND_WAN
    from zhaoshang.industry.classify import FIT_POINTS, _tokenizer
    from zhaoshang.industry.models import ChainNode, Enterprise, NodeClassification
    from zhaoshang.industry.services import split_words

    codes = defaultdict(list)
    for node_id, code in ChainNode.industry_codes.through.objects.values_list("chainnode_id", "industrycode__code"):
        codes[node_id].append(code)
    nodes, by_word, owners, keyworded = {}, defaultdict(list), defaultdict(list), set()
    for node_id, chain_id, keywords in ChainNode.objects.filter(chain__active=True).values_list(
        "pk", "chain_id", "keywords"
    ):
        nodes[node_id] = (chain_id, sorted(codes.get(node_id, [])))
        for word in split_words(keywords):
            by_word[word].append(node_id)
            keyworded.add(node_id)
        for code in codes.get(node_id, []):
            owners[(chain_id, code)].append(node_id)
    # the keywords the texts hold as words: jieba's cutting with the keywords in its dictionary (a keyword inside a
    # longer word, or an English keyword of several words, is not a word of the text), as the app cuts them
    tokenizer = _tokenizer(tuple(sorted(by_word)))
    candidates = re.compile("|".join(re.escape(w) for w in sorted(by_word, key=len, reverse=True)))
    cut: dict = {}
    named_words: set = set()

    def words_of(text):
        text = normalize(text)
        if candidates.search(text) is None:
            return ()
        return {w for w in (word.strip() for word in tokenizer.lcut(text, HMM=False)) if w in by_word}

    chain_codes = defaultdict(set)
    for chain_id, code in owners:
        chain_codes[chain_id].add(code)
    rule_points, band_points, size_points = FIT_POINTS["rule"], FIT_POINTS["revenue_band"], FIT_POINTS["size"]
    tag_points = FIT_POINTS["tags"]
    tags = defaultdict(int)  # the points of an enterprise's tags
    staff = defaultdict(list)  # enterprise → [(row id, node, excluded)]
    table = Enterprise._meta.db_table
    code_table = "industry_industrycode"
    rows, refreshed = [], []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT l.enterprise_id, t.slug FROM industry_enterprise_tags l "
            "JOIN industry_enterprisetag t ON t.id = l.enterprisetag_id"
        )
        for enterprise_id, slug in cursor.fetchall():
            tags[enterprise_id] += tag_points.get(slug) or 0
        for pk, enterprise_id, node_id, excluded in NodeClassification.objects.filter(source="staff").values_list(
            "pk", "enterprise_id", "node_id", "excluded"
        ):
            staff[enterprise_id].append((pk, node_id, excluded))
        cursor.execute(
            f"SELECT e.id, e.name, e.main_products, c.code, e.hq_region_id, e.revenue_band, e.size FROM {table} e "
            f"LEFT JOIN {code_table} c ON c.id = e.industry_id"
        )
        for pk, name, products, code, region, band, size in cursor.fetchall():
            named = defaultdict(list)
            for text in (products, name):
                if text:
                    found = cut.get(text)
                    if found is None:
                        found = cut[text] = words_of(text)
                    for word in found:
                        if word not in named_words:
                            named_words.add(word)
                            for node_id in by_word[word]:
                                named[node_id].append(word)
            named_words.clear()
            local, output = region is not None, REVENUE_BAND_WAN.get(band, 0) if band else 0
            points = (band_points.get(band, 0) if band else size_points.get(size, 0) if size else 0) + tags[pk]
            decided = {node for _id, node, _excluded in staff.get(pk, ())}
            chains_named = set()
            for node_id, hits in named.items():
                chain_id, node_codes = nodes[node_id]
                if code and node_codes and not any(code.startswith(c) for c in node_codes):
                    continue
                chains_named.add(chain_id)
                if node_id in decided:
                    continue
                rule = "words_and_code" if code and node_codes else "words"
                reason = {"rule": rule, "words": sorted(hits), "code": code or "", "node_codes": node_codes}
                rows.append((pk, node_id, chain_id, reason, local, output, rule_points[rule] + points))
            if code:
                for chain_id, held in chain_codes.items():
                    if chain_id in chains_named:
                        continue
                    matching = [c for c in held if code.startswith(c)]
                    if matching:
                        owner = owners[(chain_id, max(matching, key=len))]
                        if len(owner) == 1 and owner[0] not in keyworded and owner[0] not in decided:
                            reason = {"rule": "code", "words": [], "code": code, "node_codes": nodes[owner[0]][1]}
                            rows.append((pk, owner[0], chain_id, reason, local, output, rule_points["code"] + points))
            for row_id, _node, excluded in staff.get(pk, ()):
                refreshed.append((local, output, 0 if excluded else rule_points["staff"] + points, row_id))
    return rows, refreshed


def write_floor(answer) -> None:
    """The floor's rows in place of the rule rows (one DELETE, one executemany on SQLite or COPY on PostgreSQL, as the
    app's store), and the staff rows' figures (one executemany UPDATE), in one transaction."""
    import json

    from django.db import connection, transaction
    from django.utils import timezone

    rows, refreshed = answer
    now = timezone.now()
    columns = (
        "created, updated, version, enterprise_id, node_id, chain_id, source, excluded, reason, local, output_wan, "
        "score"
    )
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM industry_nodeclassification WHERE source = 'rules'")
        values = (
            (now, now, 1, e, n, c, "rules", False, json.dumps(r, ensure_ascii=False, separators=(",", ":")), lo, o, s)
            for e, n, c, r, lo, o, s in rows
        )
        if connection.vendor == "postgresql":
            with cursor.copy(f"COPY industry_nodeclassification ({columns}) FROM STDIN") as copy:
                for value in values:
                    copy.write_row(value)
        else:
            stamp = connection.ops.adapt_datetimefield_value(now)
            cursor.executemany(
                f"INSERT INTO industry_nodeclassification ({columns}) VALUES ({', '.join(['%s'] * 12)})",
                [(stamp, stamp, *value[2:]) for value in values],
            )
        cursor.executemany(
            "UPDATE industry_nodeclassification SET local = %s, output_wan = %s, score = %s WHERE id = %s", refreshed
        )


def classification():
    """The table as a classification left it, to compare: every row's content but its key and times."""
    from zhaoshang.industry.models import NodeClassification

    return sorted(
        NodeClassification.objects.values_list(
            "enterprise_id", "node_id", "chain_id", "source", "excluded", "reason", "local", "output_wan", "score"
        ),
        key=repr,
    )


def bench_classify(repeat: int) -> None:
    from zhaoshang.industry.classify import classify
    from zhaoshang.industry.models import Enterprise

    classify_all()
    app_table = classification()
    write_floor(floor_rows())
    same("classify: the classification table", app_table, classification())
    app = timed(lambda: classify(), repeat, warmup=0, before=vacuum_analyze)
    base = timed(lambda: write_floor(floor_rows()), repeat, warmup=0, before=vacuum_analyze)
    classify()  # the app's rows for the other scenarios (the same content, checked above)
    count = Enterprise.objects.count()
    if count >= 1_000_000:
        report("classify every enterprise", app, base, 300_000)
    else:  # the target is for 1,000,000 enterprises: say what this run's pace would take
        at_scale = app.median / 1000 * 1_000_000 / max(count, 1)
        extra = f"  (at this pace 1,000,000 would take {at_scale:.0f} s; target ≤ 300 s)"
        report(f"classify {count:,} enterprises", app, base, extra=extra)


def _officer():
    from zhaoshang.accounts.choices import Role
    from zhaoshang.accounts.models import Membership, User
    from zhaoshang.industry.models import Chain

    chain = Chain.objects.get(name=CHAIN)
    user, _ = User.objects.get_or_create(username="bench-chains-officer")
    Membership.objects.get_or_create(user=user, team=chain.task_force, defaults={"role": Role.OFFICER})
    return user


def pipeline() -> None:
    """A pipeline for the chain (once per database), so that every condition of the ranking and the figures takes
    somebody out or adds something: among the node's best candidates outside the city, enterprises in projects
    (active ones of another team: not candidates; a dropped one: a candidate again; a paused one: not a candidate,
    not in the pipeline),
    targets taken (with a lead the task force reads through its target) and set aside, enterprises kept by the
    centre (the officer does not read them), one excluded and one placed by staff; projects of the chain at other
    nodes, in the city and in 深圳 and 苏州 (partners nearby), one supported by the task force, one in full production
    (not in the pipeline), one of another team the officer does not read; a target taken at another node."""
    from django.db import transaction

    from zhaoshang.industry.models import Chain
    from zhaoshang.projects.models import Project

    if Project.objects.filter(name__startswith=PREFIX).exists():
        return
    with transaction.atomic():
        _make_pipeline(Chain.objects.get(name=CHAIN))


def _make_pipeline(chain) -> None:
    from datetime import date
    from decimal import Decimal

    from zhaoshang.accounts.models import Team
    from zhaoshang.chains.choices import TargetState
    from zhaoshang.chains.models import Target
    from zhaoshang.industry.classify import correct
    from zhaoshang.industry.models import ChainNode, Enterprise, NodeClassification
    from zhaoshang.projects.choices import Stage
    from zhaoshang.projects.models import Project

    node = ChainNode.objects.get(chain=chain, name=NODE[1])
    force, centre = chain.task_force, Team.objects.get(name=f"{PREFIX}team-0")
    other = Team.objects.filter(name__startswith=PREFIX, kind=force.kind).exclude(pk=force.pk).order_by("pk").first()
    best = list(
        NodeClassification.objects.filter(node=node, local=False, excluded=False)
        .order_by("-score", "pk")
        .values_list("enterprise_id", flat=True)[:14]
    )
    today = date.today()

    def project(enterprise_id, stage, team, investment, supporting=None):
        made = Project.objects.create(
            name=f"{PREFIX}{enterprise_id}-{stage}",
            enterprise_id=enterprise_id,
            chain=chain,
            owner_team=team,
            stage=stage,
            planned_investment=Decimal(investment),
            lead_on=today,
            **({"dropped_on": today, "drop_reason": "bench"} if stage == Stage.DROPPED else {}),
        )
        if supporting:
            made.supporting_teams.add(supporting)
        return made

    project(best[0], Stage.NEGOTIATION, other, 50_000)
    project(best[1], Stage.LEAD, other, 8_000)
    project(best[2], Stage.DROPPED, force, 12_000)
    project(best[3], Stage.PAUSED, force, 30_000)
    lead = project(best[4], Stage.CONTACT, centre, 20_000)
    Target.objects.create(
        node=node, chain=chain, enterprise_id=best[4], state=TargetState.TAKEN, team=centre, project=lead,
        acted_on=today,
    )  # fmt: skip
    Target.objects.create(
        node=node, chain=chain, enterprise_id=best[5], state=TargetState.DISMISSED, team=force, acted_on=today
    )
    Enterprise.objects.filter(pk__in=best[6:9]).update(owner_team=centre)
    # staff decisions (industry.classify.correct): one of the best excluded, one enterprise of another node of the
    # chain outside the city placed at the node
    officer = _officer()
    correct(Enterprise.objects.get(pk=best[9]), node, officer, include=False, note="bench")
    placed = (
        NodeClassification.objects.filter(chain=chain, local=False, excluded=False)
        .exclude(enterprise__node_links__node=node)
        .order_by("-score", "pk")
        .values_list("enterprise_id", flat=True)
        .first()
    )
    correct(Enterprise.objects.get(pk=placed), node, officer, include=True)
    others = NodeClassification.objects.filter(chain=chain, excluded=False).exclude(node=node).order_by("node", "pk")
    for city in ("深圳", "苏州"):
        partner = others.filter(local=False, enterprise__hq_city=city).values_list("enterprise_id", flat=True).first()
        project(partner, Stage.SIGNED, force, 80_000)
    in_city = list(others.filter(local=True).values_list("enterprise_id", flat=True)[:40:10])
    project(in_city[0], Stage.CONSTRUCTION, force, 150_000)
    project(in_city[1], Stage.LAND, other, 60_000, supporting=force)
    project(in_city[2], Stage.FULL_PRODUCTION, force, 90_000)
    project(in_city[3], Stage.SIGNED, other, 40_000)
    taken = others.filter(local=False).values_list("node_id", "enterprise_id")[5]
    Target.objects.create(
        node_id=taken[0], chain=chain, enterprise_id=taken[1], state=TargetState.TAKEN, team=force, acted_on=today
    )


# The teams the user belongs to (active teams, any role): what a member of a task force reads by (core.permissions).
TEAMS = (
    "SELECT m.team_id FROM accounts_membership m JOIN accounts_team tm ON tm.id = m.team_id "
    "WHERE m.user_id = %s AND tm.active = %s"
)


def forget() -> None:
    """What the first call of a process meets: a new database connection, the registered grants read again."""
    from django.db import connection

    from zhaoshang.core import access

    connection.close()
    access.forget()


def cold(fn, repeat: int = 5):
    """The cold path of ``fn()`` (see ``forget``), ``repeat`` times; ``fn`` reads the objects it uses afresh."""
    return timed(fn, repeat, warmup=0, before=forget)


def ranking_answer(candidates) -> list:
    """The app's ranking as the page shows it: [(enterprise, score, [(label, points)])]."""
    return [(c.enterprise.pk, c.score, c.reasons) for c in candidates]


def floor_ranking(node_id: int, user_id: int, limit: int = 50) -> list:
    """The ranking in one SQL statement and plain Python: the node's rows outside the city, not excluded, of
    enterprises the user reads (kept by one of their teams, or by none), neither in a project that is not dropped nor
    acted on for the node, for a user of the chain's task force; the best ``CANDIDATES`` by stored score with their
    tags and whether a project of the chain (not dropped) has an enterprise in their headquarters city; the fit's
    parts recomputed from ``FIT_POINTS``, the partner points added, sorted again.

    The words of the reasons come from the same tables as the app's (``RULE_LABELS``, the choices' labels, the
    translation catalogue, the tags' names read here): the floor looks them up without the app's ``reason_label``."""
    import json

    from django.db import connection
    from django.utils.translation import get_language
    from django.utils.translation import gettext as _

    from zhaoshang.chains.services.targets import CANDIDATES, PARTNER_POINTS, RULE_LABELS
    from zhaoshang.industry.choices import EnterpriseSize, RevenueBand
    from zhaoshang.industry.classify import FIT_POINTS
    from zhaoshang.projects.choices import Stage

    tag_points = FIT_POINTS["tags"]
    slugs = ", ".join(["%s"] * len(tag_points))
    sql = f"""
        WITH c AS (
            SELECT nc.id, nc.enterprise_id, nc.score, nc.source, nc.reason, e.name, e.hq_city, e.revenue_band, e.size
            FROM industry_nodeclassification nc JOIN industry_enterprise e ON e.id = nc.enterprise_id
            WHERE nc.node_id = %s AND nc.local = %s AND nc.excluded = %s
              AND nc.node_id IN (SELECT n.id FROM industry_chainnode n JOIN industry_chain ch ON ch.id = n.chain_id
                                 WHERE n.id = %s AND ch.task_force_id IN ({TEAMS}))
              AND (e.owner_team_id IS NULL OR e.owner_team_id IN ({TEAMS}))
              AND NOT EXISTS (SELECT 1 FROM projects_project p WHERE p.enterprise_id = nc.enterprise_id
                              AND p.stage <> %s)
              AND NOT EXISTS (SELECT 1 FROM chains_target t WHERE t.node_id = %s AND t.enterprise_id = nc.enterprise_id)
            ORDER BY nc.score DESC, nc.id
            LIMIT %s
        )
        SELECT c.enterprise_id, c.score, c.source, c.reason, c.name, c.hq_city, c.revenue_band, c.size,
               c.hq_city <> '' AND EXISTS (
                   SELECT 1 FROM projects_project p JOIN industry_enterprise pe ON pe.id = p.enterprise_id
                   WHERE p.chain_id = (SELECT chain_id FROM industry_chainnode WHERE id = %s) AND p.stage <> %s
                     AND pe.hq_city = c.hq_city),
               tag.slug, tag.name, tag.name_en
        FROM c
        LEFT JOIN industry_enterprise_tags et ON et.enterprise_id = c.enterprise_id
        LEFT JOIN industry_enterprisetag tag ON tag.id = et.enterprisetag_id AND tag.slug IN ({slugs})
        ORDER BY c.score DESC, c.id
    """
    params = [node_id, False, False, node_id, user_id, True, user_id, True, Stage.DROPPED, node_id]
    params += [max(CANDIDATES, limit * 2), node_id, Stage.DROPPED, *tag_points]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    english = get_language() == "en"
    found = {}
    for pk, score, source, reason, name, city, band, size, partner, slug, tag_name, tag_en in rows:
        entry = found.get(pk)
        if entry is None:
            if source == "staff":
                rule = "staff"
            else:
                rule = (json.loads(reason) if isinstance(reason, str) else reason or {}).get("rule", "words")
                rule = rule if rule in RULE_LABELS else "words"
            entry = found[pk] = [score, name, city, band, size, rule, bool(partner), []]
        if slug:
            entry[7].append((slug, tag_en if english and tag_en else tag_name))
    ranked = []
    for pk, (score, name, city, band, size, rule, partner, tags) in found.items():
        reasons = [(RULE_LABELS[rule](), FIT_POINTS["rule"][rule])]
        if band:
            label = RevenueBand(band).label if band in RevenueBand.values else band
            reasons.append((_("Revenue %(band)s") % {"band": label}, FIT_POINTS["revenue_band"].get(band, 0)))
        elif size:
            label = EnterpriseSize(size).label if size in EnterpriseSize.values else size
            reasons.append((_("Size: %(size)s") % {"size": label}, FIT_POINTS["size"].get(size, 0)))
        reasons += [(tag, tag_points[slug]) for slug, tag in sorted(tags)]
        reasons = [(label, points) for label, points in reasons if points]
        if partner:
            reasons.append((_("Partners nearby in %(city)s") % {"city": city}, PARTNER_POINTS))
            score += PARTNER_POINTS
        ranked.append((score, name, pk, reasons))
    ranked.sort(key=lambda r: (-r[0], r[1], r[2]))
    return [(pk, score, reasons) for score, _name, pk, reasons in ranked[:limit]]


def bench_ranking() -> None:
    """The top 50 targets of a gap node (``chains.services.targets.rank_targets``) against the floor
    (``floor_ranking``), checked to give the same enterprises, scores and reasons, cold and warm."""
    try:
        from zhaoshang.chains.services.targets import rank_targets
    except ImportError:
        print("ranking: skipped (zhaoshang.chains.services.targets.rank_targets is not there)")
        return
    from zhaoshang.accounts.models import User
    from zhaoshang.industry.models import ChainNode

    node_pk = ChainNode.objects.get(chain__name=NODE[0], name=NODE[1]).pk
    user_pk = _officer().pk
    node, user = ChainNode.objects.get(pk=node_pk), User.objects.get(pk=user_pk)
    app = ranking_answer(rank_targets(node, user, limit=50))
    assert len(app) == 50, len(app)
    same("ranking: enterprises, scores, reasons", app, floor_ranking(node_pk, user_pk))
    app = timed(lambda: ranking_answer(rank_targets(node, user, limit=50)))
    base = timed(lambda: floor_ranking(node_pk, user_pk))
    report("top 50 targets of a node", app, base, 300)
    app = cold(
        lambda: ranking_answer(rank_targets(ChainNode.objects.get(pk=node_pk), User.objects.get(pk=user_pk), limit=50))
    )
    base = cold(lambda: floor_ranking(node_pk, user_pk))
    report("  the same, cold (first call, new connection)", app, base, 300)


def figures_answer(result) -> list:
    """The app's chain figures: [(node, enterprises, large, output, projects, investment, targets, strength)]."""
    return [
        (f.node.pk, f.enterprises, f.large, f.output, f.projects, f.investment, f.targets, str(f.strength))
        for f in result.nodes
    ]


def floor_figures(chain_id: int, user_id: int) -> list:
    """A chain's figures in four SQL statements and plain Python: the nodes in the map's order; local enterprises,
    large ones and their output by node (the chain's index alone); projects in the pipeline the user reads (owned
    or supported by one of their teams, or a lead of a target of their task force's chains, or reviewed by them)
    whose investor is classified to the node, and their investment; the targets taken the user reads (the chain's
    task force or the team given them); the strength by the documented rule."""
    from decimal import Decimal

    from django.conf import settings
    from django.db import connection

    from zhaoshang.chains.choices import NodeStrength, TargetState
    from zhaoshang.chains.services.figures import PIPELINE_STAGES

    stages = ", ".join(["%s"] * len(PIPELINE_STAGES))
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT n.id FROM industry_chainnode n JOIN industry_chainsegment s ON s.id = n.segment_id "
            "WHERE n.chain_id = %s ORDER BY s.sort, n.sort, n.id",
            [chain_id],
        )
        nodes = [row[0] for row in cursor.fetchall()]
        cursor.execute(
            "SELECT node_id, COUNT(*), SUM(CASE WHEN output_wan >= %s THEN 1 ELSE 0 END), SUM(output_wan) "
            "FROM industry_nodeclassification WHERE chain_id = %s AND local = %s AND excluded = %s GROUP BY node_id",
            [settings.ZHAOSHANG_CHAIN_LARGE_OUTPUT_WAN, chain_id, True, False],
        )
        local = {row[0]: row[1:] for row in cursor.fetchall()}
        cursor.execute(
            f"""
            SELECT nc.node_id, COUNT(DISTINCT p.id), SUM(p.planned_investment)
            FROM industry_nodeclassification nc JOIN projects_project p ON p.enterprise_id = nc.enterprise_id
            WHERE nc.chain_id = %s AND nc.excluded = %s AND p.chain_id = %s AND p.stage IN ({stages})
              AND (p.owner_team_id IN ({TEAMS})
                   OR EXISTS (SELECT 1 FROM projects_project_supporting_teams st
                              WHERE st.project_id = p.id AND st.team_id IN ({TEAMS}))
                   OR p.id IN (SELECT t.project_id FROM chains_target t JOIN industry_chain ch ON ch.id = t.chain_id
                               WHERE t.project_id IS NOT NULL AND ch.task_force_id IN ({TEAMS}))
                   OR p.id IN (SELECT r.project_id FROM review_review r WHERE r.chair_id = %s
                               OR r.id IN (SELECT a.review_id FROM review_assignment a WHERE a.reviewer_id = %s)))
            GROUP BY nc.node_id
            """,
            [chain_id, False, chain_id, *PIPELINE_STAGES, *[user_id, True] * 3, user_id, user_id],
        )
        pipeline = {row[0]: row[1:] for row in cursor.fetchall()}
        cursor.execute(
            f"SELECT t.node_id, COUNT(*) FROM chains_target t JOIN industry_chain ch ON ch.id = t.chain_id "
            f"WHERE t.chain_id = %s AND t.state = %s "
            f"AND (ch.task_force_id IN ({TEAMS}) OR t.team_id IN ({TEAMS})) GROUP BY t.node_id",
            [chain_id, TargetState.TAKEN, user_id, True, user_id, True],
        )
        targets = dict(cursor.fetchall())
    cents = Decimal("0.01")
    figures = []
    for node_id in nodes:
        count, large, output = local.get(node_id, (0, 0, 0))
        projects, investment = pipeline.get(node_id, (0, None))
        investment = Decimal(str(investment)).quantize(cents) if investment is not None else Decimal(0)
        figures.append([node_id, count, large, output or 0, projects, investment, targets.get(node_id, 0)])
    average = Decimal(sum(f[3] for f in figures)) / len(figures) if figures else Decimal(0)
    weak, share = settings.ZHAOSHANG_CHAIN_WEAK_ENTERPRISES, settings.ZHAOSHANG_CHAIN_WEAK_OUTPUT_SHARE
    for f in figures:
        if not f[1]:
            f.append(NodeStrength.GAP.value)
        elif f[1] < weak or Decimal(f[3]) * 100 < average * share:
            f.append(NodeStrength.WEAK.value)
        else:
            f.append(NodeStrength.STRONG.value)
    return [tuple(f) for f in figures]


def bench_chain_map() -> None:
    """A chain map with its figures (``chains.services.figures.chain_figures``) against the floor
    (``floor_figures``), checked to give the same figures and strengths, cold and warm."""
    try:
        from zhaoshang.chains.services.figures import chain_figures
    except ImportError:
        print("chain map: skipped (zhaoshang.chains.services.figures.chain_figures is not there)")
        return
    from zhaoshang.accounts.models import User
    from zhaoshang.industry.models import Chain

    chain_pk = Chain.objects.get(name=CHAIN).pk
    user_pk = _officer().pk
    chain, user = Chain.objects.get(pk=chain_pk), User.objects.get(pk=user_pk)
    same(
        "chain map: figures and strengths", figures_answer(chain_figures(chain, user)), floor_figures(chain_pk, user_pk)
    )
    app = timed(lambda: figures_answer(chain_figures(chain, user)))
    base = timed(lambda: floor_figures(chain_pk, user_pk))
    report("chain map with its figures", app, base, 300)
    app = cold(lambda: figures_answer(chain_figures(Chain.objects.get(pk=chain_pk), User.objects.get(pk=user_pk))))
    base = cold(lambda: floor_figures(chain_pk, user_pk))
    report("  the same, cold (first call, new connection)", app, base, 300)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--enterprises", type=int, default=1_000_000)
    parser.add_argument("--skip-classify", action="store_true", help="keep the classification of an earlier run")
    parser.add_argument("--repeat", type=int, default=3, help="timed classifications of each (default 3)")
    args = parser.parse_args()
    label = setup_django(suffix="_chains")
    generate(args.enterprises)
    print(f"database: {label}; {args.enterprises:,} enterprises; {machine_load()}")
    if args.skip_classify:
        print("classify: skipped (--skip-classify)")
    else:
        bench_classify(args.repeat)
    vacuum_analyze()
    pipeline()
    bench_ranking()
    bench_chain_map()


if __name__ == "__main__":
    main()
