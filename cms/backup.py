"""Full backups: every content row plus the media files, in one archive.

The archive (``.tar.gz``) holds ``data.json`` (``dumpdata`` of every row with
its primary key, content types included, so it loads into any freshly migrated
database, SQLite or PostgreSQL, without renumbering) and ``media/``: the files
under ``MEDIA_ROOT``, or with object storage (``AWS_STORAGE_BUCKET_NAME``)
every object of the bucket, read and restored through the storage API under
the same names. Natural
keys are not used: audit-log rows keep pointing at deleted pages by id, which
natural keys cannot express. Derived data is left out and rebuilt on restore:
the search index, the reference index, sessions, preview snapshots and
in-admin editing sessions.
"""

import datetime
import io
import json
import shutil
import tarfile
import tempfile
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.core.files import File
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction

from cms.storage import on_object_storage

FORMAT_VERSION = 1
EXCLUDED_MODELS = [
    "sessions",
    "admin.logentry",
    "cms.previewsnapshot",
    "cms.materialisedobject",  # derived: computed again on the next read
    "wagtailadmin.editingsession",
    "wagtailcore.referenceindex",
    "wagtailsearch.indexentry",
    "wagtailsearch.sqliteftsindexentry",
]


class _FullPrecisionEncoder(DjangoJSONEncoder):
    """Keep microseconds: DjangoJSONEncoder cuts times to milliseconds, so a
    restore would not reproduce timestamps (or API responses) exactly."""

    def default(self, o):
        if isinstance(o, datetime.datetime | datetime.time):
            return o.isoformat()
        return super().default(o)


def _excluded(model) -> bool:
    meta = model._meta
    return meta.app_label in EXCLUDED_MODELS or meta.label_lower in EXCLUDED_MODELS


def _models_in_load_order() -> list:
    models = [
        m
        for m in apps.get_models()
        if not m._meta.proxy and m._meta.managed and not _excluded(m)
    ]
    # Content types and permissions first: rows loaded after them (and any
    # signal handler) then find them instead of creating clashing ones.
    first = ["contenttypes.contenttype", "auth.permission"]

    def position(model) -> int:
        label = model._meta.label_lower
        return first.index(label) if label in first else len(first)

    return sorted(models, key=position)


def _dump_json() -> str:
    out = io.StringIO()
    out.write("[")
    first_chunk = True
    for model in _models_in_load_order():
        queryset = model._base_manager.order_by("pk")
        if not queryset.exists():
            continue
        chunk = serializers.serialize("json", queryset, cls=_FullPrecisionEncoder)
        body = chunk.strip()[1:-1].strip()
        if body:
            out.write(("" if first_chunk else ",") + body)
            first_chunk = False
    out.write("]")
    return out.getvalue()


def create_backup(path: Path) -> dict:
    """Write the archive to ``path``; return a summary for the caller."""
    data = _dump_json()
    rows = len(json.loads(data))
    media_root = Path(settings.MEDIA_ROOT)
    path.parent.mkdir(parents=True, exist_ok=True)
    with tarfile.open(path, "w:gz") as archive:
        manifest = json.dumps({"format": FORMAT_VERSION, "rows": rows}).encode()
        for name, payload in (
            ("manifest.json", manifest),
            ("data.json", data.encode()),
        ):
            info = tarfile.TarInfo(name)
            info.size = len(payload)
            archive.addfile(info, io.BytesIO(payload))
        media_files = 0
        if on_object_storage(default_storage):
            media_files = _add_stored_files(archive, default_storage)
        elif media_root.exists():
            for file in sorted(media_root.rglob("*")):
                if file.is_file():
                    archive.add(file, arcname=f"media/{file.relative_to(media_root)}")
                    media_files += 1
    return {"rows": rows, "media_files": media_files, "path": str(path)}


def stored_names(storage, directory: str = "") -> list[str]:
    """Every file name under ``directory`` of ``storage``, sorted."""
    directories, files = storage.listdir(directory)
    prefix = f"{directory}/" if directory else ""
    names = [prefix + name for name in files]
    for sub in directories:
        names.extend(stored_names(storage, prefix + sub))
    return sorted(names)


def _add_stored_files(archive: tarfile.TarFile, storage) -> int:
    names = stored_names(storage)
    for name in names:
        info = tarfile.TarInfo(f"media/{name}")
        info.size = storage.size(name)
        with storage.open(name, "rb") as stored:
            archive.addfile(info, stored)
    return len(names)


def _restore_stored_files(media_src: Path, storage) -> None:
    for file in sorted(media_src.rglob("*")):
        if not file.is_file():
            continue
        name = file.relative_to(media_src).as_posix()
        # Same name, same object: replace rather than pick a free name.
        storage.delete(name)
        with file.open("rb") as content:
            saved = storage.save(name, File(content))
        if saved != name:
            raise ValueError(f"media file {name!r} was stored as {saved!r}")


def _safe_members(archive: tarfile.TarFile):
    for member in archive.getmembers():
        name = Path(member.name)
        if (
            name.is_absolute()
            or ".." in name.parts
            or not (member.isfile() or member.isdir())
        ):
            raise ValueError(f"refusing unsafe archive member {member.name!r}")
        yield member


def restore_backup(path: Path, *, stdout=None) -> dict:
    """Replace the database content and media with the archive's."""
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        with tarfile.open(path, "r:gz") as archive:
            archive.extractall(tmp_path, members=_safe_members(archive))
        manifest = json.loads((tmp_path / "manifest.json").read_text())
        if manifest.get("format") != FORMAT_VERSION:
            raise ValueError(f"unsupported backup format {manifest.get('format')!r}")
        with transaction.atomic():
            # Empty every table, content types included, so the archive's
            # rows load with their original primary keys.
            call_command(
                "flush", interactive=False, verbosity=0, inhibit_post_migrate=True
            )
            # Cached content types point at rows that no longer exist.
            ContentType.objects.clear_cache()
            call_command("loaddata", str(tmp_path / "data.json"), verbosity=0)
        media_src = tmp_path / "media"
        media_root = Path(settings.MEDIA_ROOT)
        if media_src.exists() and on_object_storage(default_storage):
            _restore_stored_files(media_src, default_storage)
        elif media_src.exists():
            media_root.mkdir(parents=True, exist_ok=True)
            shutil.copytree(media_src, media_root, dirs_exist_ok=True)
    call_command("update_index", verbosity=0, stdout=stdout or io.StringIO())
    call_command(
        "rebuild_references_index", verbosity=0, stdout=stdout or io.StringIO()
    )
    return {"rows": manifest["rows"]}
