"""Writes of the vault: keep an uploaded file after checking what it is."""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from dvc.errors import OBJECT_STORE_ERRORS, InvalidInput, StorageUnavailable
from dvc.vault.inspection import inspect_upload
from dvc.vault.models import StoredFile

# What a storage that fails raises: the disk (OSError) or an S3-compatible object store.
STORAGE_ERRORS: tuple[type[Exception], ...] = (OSError, *OBJECT_STORE_ERRORS)


def stored_file_save(
    *, owner: Any, upload: UploadedFile, allowed: list[str], max_bytes: int, document_type: str = "", title: str = ""
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
            raise StorageUnavailable(
                {
                    "file": [
                        _(
                            "Hệ thống tạm thời chưa lưu được tệp “%(name)s”. Hồ sơ của bạn vẫn được giữ nguyên; "
                            "vui lòng tải lại tệp sau ít phút."
                        )
                        % {"name": found.name}
                    ]
                }
            ) from exc
        stored.save()
    return stored
