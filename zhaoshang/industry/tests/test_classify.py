"""Enterprises are classified to chain nodes by their industry code and the words of their main products, with the
reason stored; a member of staff corrects a classification, and the correction outlives every re-import of the
enterprise library and every reclassification."""

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from zhaoshang.core.models import ChangeRecord
from zhaoshang.core.testing import xlsx_upload
from zhaoshang.industry.choices import ClassificationSource, SegmentPosition
from zhaoshang.industry.classify import classify, correct, undo_correction
from zhaoshang.industry.imports import ENTERPRISE_COLUMNS
from zhaoshang.industry.models import IndustryCode, NodeClassification
from zhaoshang.industry.tests.factories import (
    ChainFactory,
    ChainNodeFactory,
    ChainSegmentFactory,
    EnterpriseFactory,
    credit_code,
)


@pytest.fixture
def battery(task_force):
    """A few nodes of a battery chain: materials by words and codes, cells, recycling (the only node of code 42,
    defined by its code alone: no keywords)."""
    chain = ChainFactory(name="新能源电池", name_en="New energy batteries", task_force=task_force)
    materials = ChainSegmentFactory(chain=chain, position=SegmentPosition.UPSTREAM, name="材料")
    making = ChainSegmentFactory(chain=chain, position=SegmentPosition.MIDSTREAM, name="电芯制造")
    after = ChainSegmentFactory(chain=chain, position=SegmentPosition.DOWNSTREAM, name="应用与回收")
    return {
        "chain": chain,
        "cathode": ChainNodeFactory(segment=materials, name="正极材料", keywords="正极材料、磷酸铁锂", codes=["26"]),
        "separator": ChainNodeFactory(segment=materials, name="隔膜", keywords="隔膜", codes=["29"]),
        "cell": ChainNodeFactory(segment=making, name="电芯", keywords="电芯, 锂电池", codes=["38"]),
        "recycling": ChainNodeFactory(segment=after, name="回收利用", keywords="", codes=["42"]),
    }


def enterprise(name, products, code, serial):
    return EnterpriseFactory(
        name=name, main_products=products, industry=IndustryCode.objects.get(code=code), uscc=credit_code(serial)
    )


@pytest.fixture
def firms(db):
    return {
        "cathode": enterprise("江门示例锂电材料有限公司", "磷酸铁锂正极材料", "26", "101"),
        "separator": enterprise("江门示例膜科技有限公司", "锂电池隔膜", "29", "102"),
        "trader": enterprise("江门示例贸易有限公司", "日用百货批发", "51", "103"),
        "recycler": enterprise("江门示例资源有限公司", "废旧金属拆解", "42", "104"),
        "plastics": enterprise("江门示例塑料制品有限公司", "塑料包装袋", "29", "109"),
    }


def nodes_of(firm) -> dict:
    return {
        row.node.name: row
        for row in NodeClassification.objects.filter(enterprise=firm, excluded=False).select_related("node")
    }


def test_enterprises_go_to_the_nodes_their_products_and_codes_name_with_the_reason(battery, firms):
    result = classify()

    assert result.enterprises == 5
    cathode = nodes_of(firms["cathode"])
    assert set(cathode) == {"正极材料"}
    assert cathode["正极材料"].reason["rule"] == "words_and_code"
    assert sorted(cathode["正极材料"].reason["words"]) == ["正极材料", "磷酸铁锂"]
    with translation.override("en"):
        assert "磷酸铁锂" in cathode["正极材料"].reason_text() and "26" in cathode["正极材料"].reason_text()
    # 锂电池 names the cell node too, but the separator maker's code (29) is not the cell node's (38)
    assert set(nodes_of(firms["separator"])) == {"隔膜"}
    assert nodes_of(firms["trader"]) == {}
    # no word of the chain, but code 42 belongs to the recycling node alone
    recycler = nodes_of(firms["recycler"])
    assert set(recycler) == {"回收利用"}
    assert recycler["回收利用"].reason["rule"] == "code"
    assert recycler["回收利用"].source == ClassificationSource.RULES
    # code 29 belongs to the separator node alone, but that node has keywords: a plastics maker naming none is not
    # a separator maker
    assert nodes_of(firms["plastics"]) == {}


def test_classifying_again_gives_the_same_rows(battery, firms):
    classify()
    first = sorted(NodeClassification.objects.values_list("enterprise_id", "node_id", "reason"), key=str)
    classify()
    assert sorted(NodeClassification.objects.values_list("enterprise_id", "node_id", "reason"), key=str) == first


def test_the_command_classifies_every_enterprise_and_prints_the_counts(battery, firms, capsys):
    call_command("classify_enterprises")
    out = capsys.readouterr().out
    assert out.startswith("5 enterprises classified") and "3 rows by the rules" in out
    assert NodeClassification.objects.filter(chain=battery["chain"]).count() == 3


def test_the_command_for_one_chain_leaves_the_other_chains_rows(battery, firms, capsys):
    food = ChainNodeFactory(name="饮料制造", keywords="饮料", codes=["15"])
    drinks = enterprise("江门示例饮料有限公司", "茶饮料", "15", "105")
    classify()
    food.keywords = ""  # defined by its code alone from now on
    food.save()

    call_command("classify_enterprises", "--chain", str(battery["chain"].pk))

    assert "of chain" in capsys.readouterr().out
    assert set(nodes_of(drinks)) == {"饮料制造"}  # the food chain was not classified again
    call_command("classify_enterprises", "--chain", str(food.chain_id))
    assert nodes_of(drinks)["饮料制造"].reason["rule"] == "code"


def header(key: str) -> str:
    return str(next(c.header for c in ENTERPRISE_COLUMNS if c.key == key))


def reimport(client, rows):
    url = reverse("industry:enterprise-import")
    file = xlsx_upload([[header("name"), header("uscc"), header("industry_code")], *rows])
    preview = client.post(url, {"file": file})
    assert preview.status_code == 200, preview.context["result"].errors
    response = client.post(url, {"preview": preview.context["preview_token"]})
    assert response.status_code == 200, response.context["result"].errors
    return response


def test_staff_corrections_survive_a_reimport_of_the_library_and_reclassification(
    battery, firms, centre_officer, client_for
):
    classify()
    client = client_for(centre_officer)
    cathode, trader = firms["cathode"], firms["trader"]
    response = client.post(
        reverse("industry:enterprise-node-correct", args=[cathode.pk]),
        {"node": battery["cathode"].pk, "decision": "exclude", "note": "只做贸易代理"},
    )
    assert response.status_code == 302
    client.post(
        reverse("industry:enterprise-node-correct", args=[trader.pk]),
        {"node": battery["separator"].pk, "decision": "include"},
    )

    reimport(
        client,
        [[firm.name, firm.uscc, firm.industry.code] for firm in firms.values()],
    )
    classify()

    excluded = NodeClassification.objects.get(enterprise=cathode, node=battery["cathode"])
    assert excluded.excluded and excluded.source == ClassificationSource.STAFF
    assert excluded.reason == {"note": "只做贸易代理"}
    assert "正极材料" not in nodes_of(cathode)
    added = nodes_of(trader)
    assert set(added) == {"隔膜"} and added["隔膜"].source == ClassificationSource.STAFF
    assert added["隔膜"].corrected_by == centre_officer
    page = client.get(cathode.get_absolute_url())
    assert "只做贸易代理" in page.content.decode()


def test_an_enterprise_import_classifies_the_imported_enterprises(battery, centre_officer, client_for):
    reimport(client_for(centre_officer), [["江门新建资源回收有限公司", credit_code("201"), "42"]])
    assert set(nodes_of(NodeClassification.objects.get().enterprise)) == {"回收利用"}


def test_undoing_a_correction_gives_the_rules_back_and_is_audited(battery, firms, centre_officer):
    classify()
    cathode = firms["cathode"]
    row = correct(cathode, battery["cathode"], centre_officer, include=False, note="误判")
    assert ChangeRecord.objects.filter(object_id=str(row.pk), content_type__model="nodeclassification").exists()
    assert "正极材料" not in nodes_of(cathode)

    undo_correction(row, centre_officer)

    back = nodes_of(cathode)["正极材料"]
    assert back.source == ClassificationSource.RULES


def test_an_outpost_officer_cannot_correct_classifications(battery, firms, officer_a, client_for):
    classify()
    firm = EnterpriseFactory(
        owner_team=officer_a.memberships.get().team,
        main_products="锂电池隔膜",
        industry=IndustryCode.objects.get(code="29"),
    )
    classify([firm.pk])
    with pytest.raises(PermissionDenied):
        correct(firm, battery["separator"], officer_a, include=False)
    client = client_for(officer_a)
    response = client.post(
        reverse("industry:enterprise-node-correct", args=[firm.pk]),
        {"node": battery["separator"].pk, "decision": "exclude"},
    )
    assert response.status_code == 403
    row = NodeClassification.objects.get(enterprise=firm, node=battery["separator"])
    assert row.source == ClassificationSource.RULES and not row.excluded
    assert "Not this node" not in client_for(officer_a, language="en").get(firm.get_absolute_url()).content.decode()


def test_the_task_force_corrects_its_chain_only(battery, firms, task_force_officer, centre, client_for):
    other = ChainNodeFactory(name="其他节点", keywords="隔膜")
    classify()
    firm = firms["separator"]  # in the shared register, read by every team
    correct(firm, battery["separator"], task_force_officer, include=False)
    with pytest.raises(PermissionDenied):
        correct(firm, other, task_force_officer, include=False)


def test_the_enterprise_page_lists_its_nodes_with_the_reason_and_the_correction_buttons(
    battery, firms, centre_officer, client_for
):
    classify()
    page = client_for(centre_officer, language="en").get(firms["cathode"].get_absolute_url())
    body = page.content.decode()
    assert "Industry chain nodes" in body
    assert "正极材料" in body and "磷酸铁锂" in body
    assert "Not this node" in body and "Add to node" in body


def test_undo_correction_on_the_page_gives_the_rules_back(battery, firms, centre_officer, officer_a, client_for):
    classify()
    row = correct(firms["separator"], battery["separator"], centre_officer, include=False)
    url = reverse("industry:classification-undo", args=[row.pk])
    assert client_for(officer_a).post(url).status_code == 403  # an outpost reads the shared register, changes nothing
    assert NodeClassification.objects.filter(pk=row.pk).exists()
    response = client_for(centre_officer).post(url)
    assert response.status_code == 302
    assert nodes_of(firms["separator"])["隔膜"].source == ClassificationSource.RULES
