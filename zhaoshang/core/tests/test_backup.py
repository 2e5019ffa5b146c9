import hashlib
import io
import json
import shutil
import stat
import tarfile

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from zhaoshang.core.models import ChangeRecord
from zhaoshang.industry.models import Enterprise, EnterpriseTag
from zhaoshang.industry.tests.factories import EnterpriseFactory


@pytest.fixture(autouse=True)
def own_file_folders(settings, tmp_path):
    """Every test backs up and restores file folders of its own, never the developer's."""
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "var" / "private"
    settings.MEDIA_ROOT = tmp_path / "var" / "media"


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


# ---------------------------------------------------------------- files, permissions, checksums


@pytest.fixture
def file_folders(settings, own_file_folders):
    """The file folders of this test, with one published file."""
    (settings.MEDIA_ROOT / "parks").mkdir(parents=True)
    (settings.MEDIA_ROOT / "parks" / "map.png").write_bytes(b"\x89PNG published")
    return settings


def test_a_restored_backup_serves_the_project_documents_again_and_is_readable_by_its_owner_only(
    tmp_path, file_folders, outpost_a, officer_a, client_for, transactional_db
):
    from django.urls import reverse

    from zhaoshang.projects.models import Document
    from zhaoshang.projects.tests.factories import ProjectFactory
    from zhaoshang.projects.tests.test_pages import PDF, upload

    project = ProjectFactory(name="备份文件项目", owner_team=outpost_a, owner=officer_a)
    assert upload(client_for(officer_a), project, "协议.pdf", PDF).status_code == 302
    document = Document.objects.get(project=project)
    path = tmp_path / "new-folder" / "backup.tar.gz"
    call_command("backup", str(path))
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700

    Document.objects.all().delete()  # wipe the records and the files
    shutil.rmtree(file_folders.PRIVATE_MEDIA_ROOT)
    shutil.rmtree(file_folders.MEDIA_ROOT)
    call_command("restore", str(path), "--yes")

    download = client_for(officer_a).get(reverse("projects:document-download", args=[document.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    assert (file_folders.MEDIA_ROOT / "parks" / "map.png").read_bytes() == b"\x89PNG published"


def test_the_manifest_holds_a_checksum_of_every_file(tmp_path, file_folders, outpost_a):
    EnterpriseFactory(name="清单有限公司", owner_team=outpost_a)
    path = tmp_path / "backup.tar.gz"
    call_command("backup", str(path))
    with tarfile.open(path) as archive:
        manifest = json.loads(archive.extractfile("manifest.json").read())
        published = archive.extractfile("media/parks/map.png").read()
    assert set(manifest["files"]) == {"records.json", "media/parks/map.png"}
    assert manifest["files"]["media/parks/map.png"]["sha256"] == hashlib.sha256(published).hexdigest()


def test_a_corrupted_backup_is_refused_with_a_message_and_changes_nothing(tmp_path, file_folders, outpost_a):
    EnterpriseFactory(name="原有有限公司", owner_team=outpost_a)
    path = tmp_path / "backup.tar.gz"
    call_command("backup", str(path))
    # the published file inside the archive is altered after the backup was written
    tampered = tmp_path / "tampered.tar.gz"
    with tarfile.open(path) as source, tarfile.open(tampered, "w:gz") as target:
        for member in source:
            data = source.extractfile(member).read()
            if member.name == "media/parks/map.png":
                data = b"\x89PNG altered!!"
            member.size = len(data)
            target.addfile(member, io.BytesIO(data))
    EnterpriseFactory(name="备份之后有限公司", owner_team=outpost_a)
    (file_folders.MEDIA_ROOT / "parks" / "map.png").write_bytes(b"\x89PNG current")

    with pytest.raises(CommandError, match="checksum"):
        call_command("restore", str(tampered), "--yes")
    truncated = tmp_path / "truncated.tar.gz"
    truncated.write_bytes(path.read_bytes()[:-200])
    with pytest.raises(CommandError, match="Nothing was changed"):
        call_command("restore", str(truncated), "--yes")

    assert Enterprise.objects.filter(name="备份之后有限公司").exists()
    assert (file_folders.MEDIA_ROOT / "parks" / "map.png").read_bytes() == b"\x89PNG current"


def test_a_backup_of_the_first_format_records_only_still_restores(tmp_path, outpost_a, transactional_db):
    import gzip

    from zhaoshang.core.backup import EXCLUDED

    EnterpriseFactory(name="旧格式有限公司", owner_team=outpost_a)
    buffer = io.StringIO()
    call_command("dumpdata", *[f"--exclude={label}" for label in EXCLUDED], natural_foreign=True, stdout=buffer)
    old = tmp_path / "zhaoshang-old.json.gz"
    with gzip.open(old, "wt", encoding="utf-8") as handle:
        handle.write(buffer.getvalue())
    Enterprise.objects.filter(name="旧格式有限公司").delete()
    call_command("restore", str(old), "--yes")
    assert Enterprise.objects.filter(name="旧格式有限公司").exists()
