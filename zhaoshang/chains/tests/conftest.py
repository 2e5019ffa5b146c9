"""A chain served by the standard task force, one node, and a helper placing enterprises at the node."""

import pytest

from zhaoshang.accounts.choices import Role, TeamKind
from zhaoshang.accounts.tests.factories import TeamFactory, member
from zhaoshang.industry.classify import fit
from zhaoshang.industry.models import NodeClassification
from zhaoshang.industry.tests.factories import ChainFactory, ChainNodeFactory, ChainSegmentFactory, EnterpriseFactory


@pytest.fixture
def chain(task_force):
    return ChainFactory(name="新能源电池", name_en="New-energy batteries", task_force=task_force)


@pytest.fixture
def node(chain):
    segment = ChainSegmentFactory(chain=chain, name="上游材料")
    return ChainNodeFactory(chain=chain, segment=segment, name="正极材料", name_en="Cathode materials")


@pytest.fixture
def other_task_force(db):
    return TeamFactory(name="食品产业链专班", kind=TeamKind.TASK_FORCE)


@pytest.fixture
def other_task_force_officer(other_task_force):
    return member(other_task_force, Role.OFFICER, username="other_task_force_officer")


@pytest.fixture
def place():
    """``place(node, name=…, rule=…, local=False, excluded=False, tags=(), **enterprise fields)``: an enterprise
    classified to the node with the fit score ``industry.classify`` would store."""

    def make(node, rule="words_and_code", local=False, excluded=False, tags=(), **fields):
        enterprise = EnterpriseFactory(tags=list(tags), **fields)
        score, _parts = fit(rule, enterprise.revenue_band, enterprise.size, [tag.slug for tag in tags])
        NodeClassification.objects.create(
            enterprise=enterprise,
            node=node,
            chain=node.chain,
            reason={"rule": rule, "words": ["正极材料"]},
            local=local,
            excluded=excluded,
            score=0 if excluded else score,
        )
        return enterprise

    return make
