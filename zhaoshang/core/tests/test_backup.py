import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from zhaoshang.core.models import ChangeRecord
from zhaoshang.industry.models import Enterprise, EnterpriseTag
from zhaoshang.industry.tests.factories import EnterpriseFactory


def test_a_backup_restores_the_records_as_they_were(tmp_path, outpost_a, officer_a, transactional_db):
    kept = EnterpriseFactory(name="备份测试有限公司", owner_team=outpost_a)
    tags = list(EnterpriseTag.objects.order_by("pk")[:2])
    kept.tags.set(tags)
    path = tmp_path / "backup.json.gz"
    call_command("backup", str(path))

    kept_pk, kept_uscc = kept.pk, kept.uscc
    kept.delete()
    EnterpriseFactory(name="备份之后新建有限公司")
    changes = ChangeRecord.objects.count()

    call_command("restore", str(path), "--yes")

    restored = Enterprise.objects.get(name="备份测试有限公司")
    assert (restored.pk, restored.uscc) == (kept_pk, kept_uscc)
    assert restored.owner_team == outpost_a
    assert list(restored.tags.order_by("pk")) == tags
    assert not Enterprise.objects.filter(name="备份之后新建有限公司").exists()
    assert ChangeRecord.objects.count() < changes  # the audit log is restored too


def test_restore_asks_for_confirmation_and_changes_nothing_without_it(tmp_path, outpost_a):
    EnterpriseFactory(name="保留有限公司", owner_team=outpost_a)
    path = tmp_path / "backup.json.gz"
    call_command("backup", str(path))
    with pytest.raises(CommandError):
        call_command("restore", str(path))
    with pytest.raises(CommandError):
        call_command("restore", str(tmp_path / "missing.json.gz"), "--yes")
    assert Enterprise.objects.filter(name="保留有限公司").exists()
