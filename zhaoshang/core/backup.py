"""Backup and restore of every record and every uploaded file, as one compressed archive.

A backup is a gzipped tar file readable by its owner only (mode 0600; a folder created for it is 0700: it holds
password hashes and confidential records). Inside:

- ``manifest.json``: the format, when it was written, and the SHA-256 checksum and size of every other member;
- ``records.json``: every record as Django's portable JSON (the same between SQLite and PostgreSQL);
- ``private/…``: the files under ``PRIVATE_MEDIA_ROOT`` (project documents, served only through checking views);
- ``media/…``: the files under ``MEDIA_ROOT`` (published uploads).

Restoring first reads the whole archive into a private folder beside the file folders and checks every member
against the manifest (nothing missing, nothing extra, no path outside its folder, every checksum right); a
corrupted or tampered backup is refused with a message naming the member, and nothing is changed. Then every
record is replaced in one transaction, and only when that succeeded the file folders are swapped for the backup's.

Backups written before files were included (a gzipped ``records.json`` alone) are still restored; they carry no
checksums and restore no files.
"""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import io
import json
import os
import shutil
import tarfile
import tempfile
import zlib
from pathlib import Path, PurePosixPath

from django.apps import apps
from django.conf import settings
from django.core import management
from django.db import transaction
from django.utils import timezone

EXCLUDED = ["contenttypes", "auth.permission", "sessions", "admin.logentry"]
FORMAT = 2
MANIFEST = "manifest.json"
RECORDS = "records.json"
CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup that cannot be restored (corrupted, tampered with, or not a backup); nothing was changed."""


def file_roots() -> dict[str, Path]:
    """The folders of uploaded files a backup holds, by their folder name inside the archive."""
    return {"private": Path(settings.PRIVATE_MEDIA_ROOT), "media": Path(settings.MEDIA_ROOT)}


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _make_private_dirs(folder: Path) -> None:
    """Create ``folder`` and its missing parents readable by their owner only (existing folders are left)."""
    missing = []
    for parent in [folder, *folder.parents]:
        if parent.exists():
            break
        missing.append(parent)
    for created in reversed(missing):
        created.mkdir(mode=0o700)
        os.chmod(created, 0o700)  # whatever the umask


def _files_of(root: Path):
    """(name inside the root, path) of every regular file under ``root``, sorted; links are not followed."""
    if not root.is_dir():
        return []
    found = []
    for folder, dirs, files in os.walk(root):
        dirs.sort()
        for name in sorted(files):
            path = Path(folder) / name
            if path.is_file() and not path.is_symlink():
                found.append((path.relative_to(root).as_posix(), path))
    return found


def backup(path: Path) -> Path:
    """Write every record and every uploaded file to ``path`` (mode 0600), with a checksummed manifest."""
    path = Path(path)
    _make_private_dirs(path.parent)
    with tempfile.TemporaryDirectory(prefix=".backup-", dir=path.parent) as work:
        records = Path(work) / RECORDS
        management.call_command(
            "dumpdata",
            *[f"--exclude={label}" for label in EXCLUDED],
            natural_foreign=True,
            natural_primary=False,
            indent=None,
            output=str(records),
            verbosity=0,
        )
        members = [(RECORDS, records)]
        for folder, root in file_roots().items():
            members += [(f"{folder}/{name}", file) for name, file in _files_of(root)]
        manifest = {
            "format": FORMAT,
            "written": timezone.now().isoformat(),
            "files": {name: {"sha256": sha256_of(file), "size": file.stat().st_size} for name, file in members},
        }
        partial = Path(work) / "backup.tar.gz"
        descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "wb") as raw, tarfile.open(fileobj=raw, mode="w:gz") as archive:
            text = json.dumps(manifest, ensure_ascii=False, indent=1).encode("utf-8")
            info = tarfile.TarInfo(MANIFEST)
            info.size, info.mode, info.mtime = len(text), 0o600, int(timezone.now().timestamp())
            archive.addfile(info, io.BytesIO(text))
            for name, file in members:
                info = archive.gettarinfo(str(file), arcname=name)
                info.uid = info.gid = 0
                info.uname = info.gname = ""
                info.mode = 0o600
                with open(file, "rb") as handle:
                    archive.addfile(info, handle)
        os.chmod(partial, 0o600)
        os.replace(partial, path)  # a backup appears whole or not at all
    return path


# ---------------------------------------------------------------- restore


def _safe_name(name: str) -> str | None:
    """The member's name if it is a plain relative path, else None."""
    pure = PurePosixPath(name)
    if pure.is_absolute() or not pure.parts or any(part in {"", ".", ".."} for part in pure.parts):
        return None
    return pure.as_posix()


def _extract_verified(path: Path, staging: Path) -> Path:
    """Unpack the archive at ``path`` into ``staging`` checking every member against the manifest; the records
    file's path. BackupError (naming the member) on any mismatch."""
    try:
        archive = tarfile.open(path, mode="r:gz")
    except (tarfile.TarError, OSError) as error:
        raise BackupError(f"{path} is not a backup archive ({error})") from error
    with archive:
        try:
            first = archive.next()
            if first is None or first.name != MANIFEST or not first.isfile():
                raise BackupError(f"{path} has no manifest: it is not a backup written by this version")
            manifest = json.loads(archive.extractfile(first).read().decode("utf-8"))
            expected = manifest["files"]
            if manifest.get("format") != FORMAT or not isinstance(expected, dict) or RECORDS not in expected:
                raise BackupError(f"the manifest of {path} is not one this version reads")
            seen = set()
            for member in archive:  # the manifest again first, then the rest
                if member is first:
                    continue
                name = _safe_name(member.name)
                if name is None or not member.isfile():
                    raise BackupError(f"{path} holds {member.name!r}, which is not a plain file: refused")
                if name not in expected or name in seen:
                    raise BackupError(f"{path} holds {name}, which its manifest does not list: refused")
                target = staging / name
                target.parent.mkdir(parents=True, exist_ok=True)
                digest = hashlib.sha256()
                with archive.extractfile(member) as source, open(target, "wb") as out:
                    while chunk := source.read(CHUNK):
                        digest.update(chunk)
                        out.write(chunk)
                if digest.hexdigest() != expected[name].get("sha256"):
                    raise BackupError(f"{name} in {path} does not match its checksum: the backup is corrupted")
                seen.add(name)
        except (tarfile.TarError, EOFError, OSError, zlib.error, ValueError, KeyError, TypeError) as error:
            raise BackupError(f"{path} is damaged and cannot be read ({error}): nothing was changed") from error
    missing = sorted(set(expected) - seen)
    if missing:
        raise BackupError(f"{path} lacks {', '.join(missing[:5])} listed in its manifest: the backup is incomplete")
    return staging / RECORDS


def _is_records_only(path: Path) -> bool:
    """A backup of the first format: gzipped JSON records, no archive."""
    with contextlib.suppress(OSError, EOFError, gzip.BadGzipFile), gzip.open(path, "rb") as handle:
        return handle.read(1) in (b"[", b"{")
    return False


def _replace_records(fixture: Path) -> None:
    models = [m for m in apps.get_models() if m._meta.app_label not in {"contenttypes", "sessions"}]
    models = [m for m in models if m._meta.label_lower not in {"auth.permission", "admin.logentry"}]
    with transaction.atomic():
        for model in models:
            model._base_manager.all()._raw_delete(model._base_manager.db)
        management.call_command("loaddata", str(fixture), verbosity=0)


def _swap_folder(staged: Path, root: Path) -> None:
    """Put ``staged`` in place of ``root`` (an empty folder when the backup had no file of it)."""
    staged.mkdir(parents=True, exist_ok=True)
    root.parent.mkdir(parents=True, exist_ok=True)
    old = root.with_name(f".{root.name}.before-restore")
    shutil.rmtree(old, ignore_errors=True)
    if root.exists():
        os.replace(root, old)
    shutil.move(staged, root)  # a rename on one file system
    shutil.rmtree(old, ignore_errors=True)


def restore(path: Path) -> None:
    """Replace every record and uploaded file with those in ``path``; all or nothing (see the module's doc)."""
    path = Path(path)
    roots = file_roots()
    # The staging folder sits beside the file folders, so that putting them in place is a rename.
    base = Path(settings.PRIVATE_MEDIA_ROOT).parent
    _make_private_dirs(base)
    with tempfile.TemporaryDirectory(prefix=".restore-", dir=base) as work:
        staging = Path(work)
        if _is_records_only(path):
            fixture = staging / RECORDS
            descriptor = os.open(fixture, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with gzip.open(path, "rb") as source, os.fdopen(descriptor, "wb") as out:
                shutil.copyfileobj(source, out, CHUNK)
            _replace_records(fixture)
            return
        fixture = _extract_verified(path, staging)
        _replace_records(fixture)
        for folder, root in roots.items():
            staged = staging / folder
            _swap_folder(staged, root)
            if folder == "private":
                os.chmod(root, 0o700)
