"""A chain's page shows its fields and its tree of segments and nodes; its task force and administrators edit the
segments and nodes (a node's new codes or keywords classify the enterprises again); chains go out to Excel and
come back unchanged, and a bad row is refused with its row number, saving nothing."""

import io

import pytest
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from zhaoshang.accounts.choices import TeamKind
from zhaoshang.accounts.tests.factories import TeamFactory, member
from zhaoshang.core.testing import xlsx_upload
from zhaoshang.industry.chain_imports import CHAIN_COLUMNS
from zhaoshang.industry.choices import SegmentPosition
from zhaoshang.industry.classify import classify
from zhaoshang.industry.models import Chain, ChainNode, ChainSegment, IndustryCode, NodeClassification
from zhaoshang.industry.tests.factories import ChainFactory, ChainNodeFactory, ChainSegmentFactory, EnterpriseFactory


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def battery(task_force):
    chain = ChainFactory(name="新能源电池", name_en="New energy batteries", task_force=task_force, chief="市委副书记")
    segment = ChainSegmentFactory(chain=chain, position=SegmentPosition.UPSTREAM, name="材料", name_en="Materials")
    node = ChainNodeFactory(segment=segment, name="正极材料", name_en="Cathodes", keywords="正极材料", codes=["26"])
    return chain, segment, node


@pytest.fixture
def other_chain(db):
    other_force = TeamFactory(name="食品产业链专班", kind=TeamKind.TASK_FORCE)
    chain = ChainFactory(name="食品", task_force=other_force)
    return chain, ChainNodeFactory(segment=ChainSegmentFactory(chain=chain, name="饮料"), name="饮料制造")


def test_the_chain_page_shows_the_tree_by_position_with_node_anchors_and_counts(battery, officer_a, client_for):
    chain, segment, node = battery
    EnterpriseFactory(main_products="磷酸铁锂正极材料", industry=IndustryCode.objects.get(code="26"))
    classify()
    body = client_for(officer_a, language="en").get(chain.get_absolute_url()).content.decode()
    assert "市委副书记" in body and "New-energy battery chain task force" in body
    assert "Upstream" in body and "Materials" in body
    assert f'id="node-{node.pk}"' in body
    assert node.get_absolute_url().endswith(f"#node-{node.pk}")
    row = body.split(f'id="node-{node.pk}"')[1].split("</tr>")[0]
    assert '<td class="text-end" data-testid="node-count">1</td>' in row
    assert "Add node" not in body  # an outpost reads the chain, edits nothing


def test_the_task_force_edits_its_chains_nodes_and_the_enterprises_are_classified_again(
    battery, task_force_officer, client_for, django_capture_on_commit_callbacks
):
    chain, segment, node = battery
    firm = EnterpriseFactory(main_products="三元材料", industry=IndustryCode.objects.get(code="26"))
    client = client_for(task_force_officer, language="en")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("industry:node-edit", args=[node.pk]),
            {
                "segment": segment.pk,
                "name": node.name,
                "name_en": node.name_en,
                "industry_codes": [IndustryCode.objects.get(code="26").pk],
                "keywords": "正极材料、三元材料",
                "sort": 0,
                "record_version": node.version,
            },
            follow=True,
        )
    assert response.status_code == 200
    assert "The enterprises are being classified to the chain" in response.content.decode()
    assert NodeClassification.objects.filter(enterprise=firm, node=node).exists()

    response = client.post(
        reverse("industry:node-add", args=[chain.pk]),
        {"segment": segment.pk, "name": "负极材料", "keywords": "负极材料", "sort": 1},
    )
    assert response.status_code == 302
    assert ChainNode.objects.filter(chain=chain, name="负极材料").exists()


def test_a_task_force_cannot_edit_another_chains_nodes(battery, other_chain, task_force_officer, client_for):
    chain, other_node = other_chain
    client = client_for(task_force_officer)
    assert client.get(reverse("industry:node-edit", args=[other_node.pk])).status_code == 403
    assert client.post(reverse("industry:node-delete", args=[other_node.pk])).status_code == 403
    assert client.get(reverse("industry:node-add", args=[chain.pk])).status_code == 403
    assert client.get(reverse("industry:node-add", args=[10**8])).status_code == 404
    assert ChainNode.objects.filter(pk=other_node.pk).exists()


def test_a_node_form_offers_only_the_chains_segments(battery, other_chain, admin_user, client_for):
    chain, segment, node = battery
    response = client_for(admin_user).get(reverse("industry:node-edit", args=[node.pk]))
    choices = list(response.context["form"].fields["segment"].queryset)
    assert choices == [segment]


def test_deleting_a_node_takes_its_enterprises_off_it(
    battery, task_force_officer, client_for, django_capture_on_commit_callbacks
):
    chain, segment, node = battery
    EnterpriseFactory(main_products="正极材料", industry=IndustryCode.objects.get(code="26"))
    classify()
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(task_force_officer).post(reverse("industry:node-delete", args=[node.pk]))
    assert response.status_code == 302
    assert not NodeClassification.objects.exists()


def header(key: str) -> str:
    return str(next(c.header for c in CHAIN_COLUMNS if c.key == key))


def sheet_rows(content: bytes) -> list[list]:
    return [list(row) for row in load_workbook(io.BytesIO(content)).worksheets[0].iter_rows(values_only=True)]


def state():
    return (
        sorted(Chain.objects.values_list("name", "name_en", "chief", "task_force_id")),
        sorted(ChainSegment.objects.values_list("chain__name", "name", "name_en", "position")),
        sorted(ChainNode.objects.values_list("chain__name", "segment__name", "name", "name_en", "keywords")),
        sorted(ChainNode.industry_codes.through.objects.values_list("chainnode__name", "industrycode__code")),
    )


def test_chains_exported_and_imported_again_change_nothing(battery, other_chain, admin_user, client_for):
    client = client_for(admin_user, language="en")
    exported = client.get(reverse("industry:chain-export"))
    assert exported.status_code == 200
    rows = sheet_rows(exported.content)
    assert rows[0][:3] == [header("chain"), header("chain_en"), header("chief")]
    assert ["新能源电池", "New energy batteries", "市委副书记", "新能源电池产业链专班", "Upstream", "材料"] == rows[1][
        :6
    ]
    before = state()

    response = client.post(reverse("industry:chain-import"), {"file": xlsx_upload(rows)})

    assert response.status_code == 200, response.context["result"].errors
    result = response.context["result"]
    assert (result.created, result.unchanged) == (0, 2)
    assert state() == before


def test_a_chain_import_creates_chains_segments_and_nodes_by_name(battery, admin_user, client_for):
    keys = ["chain", "task_force", "position", "segment", "node", "codes", "keywords"]
    rows = [
        [header(k) for k in keys],
        ["新能源电池", "", "Midstream", "电芯制造", "电芯", "38", "电芯、锂电池"],
        ["新能源电池", "", "Upstream", "材料", "隔膜", "29, 26", "隔膜"],
        ["高端装备", "", "Downstream", "整机", "工业机器人", "34", "工业机器人"],
    ]
    response = client_for(admin_user).post(reverse("industry:chain-import"), {"file": xlsx_upload(rows)})
    assert response.status_code == 200, response.context["result"].errors
    assert Chain.objects.get(name="高端装备").nodes.get().name == "工业机器人"
    separator = ChainNode.objects.get(name="隔膜")
    assert separator.segment.name == "材料"
    assert sorted(separator.industry_codes.values_list("code", flat=True)) == ["26", "29"]
    assert ChainSegment.objects.get(name="电芯制造").position == SegmentPosition.MIDSTREAM


def test_a_bad_row_is_refused_with_its_number_and_nothing_is_saved(battery, admin_user, client_for):
    keys = ["chain", "position", "segment", "node", "codes"]
    rows = [
        [header(k) for k in keys],
        ["高端装备", "Upstream", "零部件", "减速器", "34"],
        ["高端装备", "Upstream", "零部件", "伺服电机", "99X"],
    ]
    before = state()
    response = client_for(admin_user, language="en").post(reverse("industry:chain-import"), {"file": xlsx_upload(rows)})
    assert response.status_code == 422
    errors = response.context["result"].errors
    assert [(e.row, str(e.column)) for e in errors] == [(3, header("codes"))]
    assert "99X" in errors[0].message
    assert state() == before


def test_two_rows_of_one_node_are_refused(battery, admin_user, client_for):
    keys = ["chain", "position", "segment", "node"]
    rows = [
        [header(k) for k in keys],
        ["高端装备", "Upstream", "零部件", "减速器"],
        ["高端装备", "Upstream", "零部件", "减速器"],
    ]
    response = client_for(admin_user).post(reverse("industry:chain-import"), {"file": xlsx_upload(rows)})
    assert response.status_code == 422
    assert [e.row for e in response.context["result"].errors] == [3]
    assert not Chain.objects.filter(name="高端装备").exists()


def test_only_administrators_import_chains(battery, task_force_officer, centre, client_for):
    assert client_for(task_force_officer).get(reverse("industry:chain-import")).status_code == 403
    centre_member = member(centre, username="centre_member")
    assert client_for(centre_member).get(reverse("industry:chain-import")).status_code == 403


def test_administrators_add_chains_and_a_task_force_edits_its_own(
    battery, other_chain, admin_user, task_force_officer, client_for
):
    admin = client_for(admin_user)
    assert 'data-testid="import-link"' in admin.get(reverse("industry:chain-list")).content.decode()
    response = admin.post(
        reverse("industry:chain-add"), {"name": "高端装备", "chief": "副市长", "sort": 3, "active": "on"}
    )
    assert response.status_code == 302
    assert Chain.objects.get(name="高端装备").chief == "副市长"

    chain, _segment, _node = battery
    client = client_for(task_force_officer)
    assert 'data-testid="import-link"' not in client.get(reverse("industry:chain-list")).content.decode()
    response = client.post(
        reverse("industry:chain-edit", args=[chain.pk]),
        {"chief": "市长", "chief_en": "Mayor", "sort": 0, "record_version": chain.version},
    )
    assert response.status_code == 302
    chain.refresh_from_db()
    assert (chain.chief, chain.name) == ("市长", "新能源电池")
    assert client.get(reverse("industry:chain-edit", args=[other_chain[0].pk])).status_code == 403
