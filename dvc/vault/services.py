"""Writes of the vault: keep an uploaded file after checking what it is, or a document the portal generated."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterator
from contextlib import contextmanager

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from dvc.accounts.models import User
from dvc.errors import OBJECT_STORE_ERRORS, InvalidInput, StorageUnavailable
from dvc.vault.inspection import inspect_upload
from dvc.vault.models import StoredFile

logger = logging.getLogger(__name__)

# What a storage that fails raises: the disk (OSError) or an S3-compatible object store.
STORAGE_ERRORS: tuple[type[Exception], ...] = (OSError, *OBJECT_STORE_ERRORS)


def stored_file_save(
    *, owner: User, upload: UploadedFile, allowed: list[str], max_bytes: int, document_type: str = "", title: str = ""
) -> StoredFile:
    """Check ``upload`` by content and size, then store it privately for ``owner``."""
    stream = upload.file
    if stream is None:
        raise InvalidInput({"file": [_("Vui lòng chọn tệp để tải lên.")]})
    found = inspect_upload(stream, name=upload.name or "", allowed=allowed, max_bytes=max_bytes)
    with transaction.atomic():
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
        stored.save()
    return stored


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
