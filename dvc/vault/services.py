"""Writes of the vault: keep an uploaded file after checking what it is, or a document the portal generated."""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from collections.abc import Iterator
from contextlib import contextmanager

from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import ProtectedError
from django.utils import timezone
from django.utils.translation import gettext as _

from dvc.accounts.models import User
from dvc.documents.preview import NotAPdf, TooHeavy, page_count
from dvc.errors import OBJECT_STORE_ERRORS, InvalidInput, StorageUnavailable
from dvc.vault.document_types import DOCUMENT_TYPES
from dvc.vault.inspection import inspect_upload
from dvc.vault.models import StoredFile

logger = logging.getLogger(__name__)
VAULT_MAX_MB = 10

# What a storage that fails raises: the disk (OSError) or an S3-compatible object store.
STORAGE_ERRORS: tuple[type[Exception], ...] = (OSError, *OBJECT_STORE_ERRORS)


def stored_file_save(
    *, owner: User, upload: UploadedFile, allowed: list[str], max_bytes: int, document_type: str = "", title: str = ""
) -> StoredFile:
    """Check ``upload`` by content and size, then store it privately for ``owner``."""
    stored = stored_file_put(
        owner=owner, upload=upload, allowed=allowed, max_bytes=max_bytes, document_type=document_type, title=title
    )
    # One INSERT after the file is written: no transaction of its own (BEGIN and COMMIT would be two more trips).
    stored.save()
    return stored


def stored_file_put(
    *, owner: User, upload: UploadedFile, allowed: list[str], max_bytes: int, document_type: str = "", title: str = ""
) -> StoredFile:
    """Check ``upload`` by content and size and store its bytes privately for ``owner``; its row is not yet
    written: the caller writes it with what the file belongs to (``papers.attach_stored``), or removes the bytes
    (``stored_file_discard``) when that is refused."""
    stream = upload.file
    if stream is None:
        raise InvalidInput({"file": [_("Vui lòng chọn tệp để tải lên.")]})
    found = inspect_upload(stream, name=upload.name or "", allowed=allowed, max_bytes=max_bytes)
    stored = StoredFile(
        owner=owner,
        original_name=found.name,
        kind=found.kind,
        content_type=found.content_type,
        size=found.size,
        sha256=found.sha256,
        document_type=document_type,
        title=title[:255],
    )
    stream.seek(0)
    try:
        stored.file.save(f"upload.{found.kind}", upload, save=False)
    except STORAGE_ERRORS as exc:  # a full disk, a lost mount, an object store that does not answer: no record
        # is kept; say so and let them retry
        raise _unavailable(found.name) from exc
    return stored


def stored_file_discard(stored: StoredFile) -> None:
    """Remove the bytes ``stored_file_put`` kept when their row was not written; a storage that fails is logged."""
    try:
        stored.file.delete(save=False)
    except STORAGE_ERRORS:
        logger.warning("stored bytes %s left behind: the storage did not answer", stored.file.name)


def _unavailable(name: str) -> StorageUnavailable:
    return StorageUnavailable(
        {
            "file": [
                _(
                    "Hệ thống tạm thời chưa lưu được tệp “%(name)s”. Hồ sơ của bạn vẫn được giữ nguyên; "
                    "vui lòng tải lại tệp sau ít phút."
                )
                % {"name": name}
            ]
        }
    )


@contextmanager
def stored_file_from_bytes(
    *, owner: User, content: bytes, name: str, document_type: str = "", title: str = ""
) -> Iterator[StoredFile]:
    """Keep a PDF the portal generated (a result, a receipt) for ``owner``, for use inside the ``with`` block.

    A storage that fails answers ``StorageUnavailable`` and keeps nothing. The record is saved in a transaction
    around the block; when the block raises (a lost race, a failed write after it), that transaction rolls back
    and the file written for it is removed again. Put every write that must succeed with the file inside the
    block: a rollback of an outer transaction after the block has ended cannot take the file back.
    """
    stored = StoredFile(
        owner=owner,
        original_name=name,
        kind=StoredFile.Kind.PDF,
        content_type="application/pdf",
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        document_type=document_type,
        title=title[:255],
    )
    try:
        stored.file.save("generated.pdf", ContentFile(content), save=False)
    except STORAGE_ERRORS as exc:
        raise _unavailable(name) from exc
    try:
        with transaction.atomic():
            stored.save()
            yield stored
    except BaseException:
        try:
            stored.file.delete(save=False)
        except STORAGE_ERRORS:  # the store went away too: the original error is the one to report
            logger.warning("could not remove %s after a failed write", stored.file.name, exc_info=True)
        raise


PAGES_KEPT_SECONDS = 7 * 24 * 3600


def stored_pages(stored: StoredFile) -> int:
    """How many pages a stored PDF has: 0 for a photo (shown as itself) or a PDF that cannot be read. Counting
    starts a sandboxed child process (``documents.preview``), so the count is kept in the cache by content: with
    the shared cache of production (Redis) the worker that makes a leader's final copy counts it and the page that
    shows it asks no child; with the per-process default each process counts it once."""
    if stored.kind != StoredFile.Kind.PDF:
        return 0
    key = f"pdf-pages:{stored.sha256}"
    try:
        known = cache.get(key)
    except Exception:  # a shared cache that does not answer: count here
        logger.warning("cache unavailable for a page count", exc_info=True)
        known = None
    if known is not None:
        return int(known)
    try:
        with stored.file.open("rb") as handle:
            count = page_count(handle.read())
    except NotAPdf:
        count = 0
    except TooHeavy:  # perhaps only a busy moment: not kept
        return 0
    try:
        cache.set(key, count, PAGES_KEPT_SECONDS)
    except Exception:
        logger.warning("cache unavailable for a page count", exc_info=True)
    return count


def vault_add(*, owner: User, upload: UploadedFile, document_type: str, valid_until: dt.date | None) -> StoredFile:
    """A paper the person adds to their own vault (typed, checked by content), to be offered where it is asked."""
    if document_type not in DOCUMENT_TYPES:
        raise InvalidInput({"document_type": [_("Vui lòng chọn loại giấy tờ.")]})
    if valid_until is not None and valid_until < timezone.localdate():
        raise InvalidInput({"valid_until": [_("Giấy tờ đã hết giá trị sử dụng: không thêm được vào kho.")]})
    stored = stored_file_save(
        owner=owner, upload=upload, allowed=["pdf", "jpg", "png"], max_bytes=VAULT_MAX_MB << 20,
        document_type=document_type, title=str(DOCUMENT_TYPES[document_type]),
    )  # fmt: skip
    if valid_until is not None:
        StoredFile.objects.filter(pk=stored.pk).update(valid_until=valid_until)
        stored.valid_until = valid_until
    return stored


def vault_remove(*, owner: User, stored: StoredFile) -> bool:
    """Take a paper out of the vault: deleted where nothing uses it; where a dossier (or an issued result) holds it,
    kept there but no longer offered. True when the file itself is gone."""
    gone = True
    for same in StoredFile.objects.filter(owner=owner, document_type=stored.document_type, sha256=stored.sha256):
        try:
            with transaction.atomic():
                same.delete()
        except ProtectedError:
            StoredFile.objects.filter(pk=same.pk).update(document_type="")
            gone = False
            continue
        try:
            same.file.storage.delete(same.file.name)
        except STORAGE_ERRORS:  # the record is gone; a file left behind is found by the storage's own listing
            logger.warning("vault: could not delete %s", same.file.name)
    return gone
