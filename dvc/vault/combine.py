"""Several files of one paper (the front and back of a card, the pages of a certificate) as one PDF.

Each part is checked by content and size like any upload (``inspect_upload``), then photos become PDF pages without
re-encoding (img2pdf keeps the JPEG or PNG data as it is) and PDF parts keep their pages (pikepdf), in the order
the citizen chose them. The officer opens one document per paper.
"""

from __future__ import annotations

import io

import img2pdf
import pikepdf
from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile
from django.utils.translation import gettext as _
from PIL import Image

from dvc.errors import InvalidInput
from dvc.vault.inspection import inspect_upload

# A paper of several files may weigh this many times the limit of one file (front + back + a spare page), and
# never more than a request may carry.
PAPER_FACTOR = 3
PAPER_CAP_MB = 25


def paper_limit_mb(file_limit_mb: int) -> int:
    return min(file_limit_mb * PAPER_FACTOR, PAPER_CAP_MB)


def _image_pages(data: bytes) -> bytes:
    try:
        return bytes(img2pdf.convert(data, rotation=img2pdf.Rotation.ifvalid))
    except img2pdf.AlphaChannelError:  # a PNG with transparency: flattened on white, the only re-encoding done
        with Image.open(io.BytesIO(data)) as image:
            flat = Image.new("RGB", image.size, "white")
            flat.paste(image.convert("RGBA"), mask=image.convert("RGBA").getchannel("A"))
            buffer = io.BytesIO()
            flat.save(buffer, "PNG")
        return bytes(img2pdf.convert(buffer.getvalue()))


def combine_pages(
    uploads: list[UploadedFile], *, allowed: list[str], file_limit_mb: int, name: str
) -> SimpleUploadedFile:
    """One PDF of ``uploads`` in order; ``InvalidInput`` (field ``file``) names the part refused and why."""
    total = 0
    parts: list[tuple[str, bytes]] = []
    for upload in uploads:
        if upload.file is None:
            continue
        found = inspect_upload(upload.file, name=upload.name or "", allowed=allowed, max_bytes=file_limit_mb << 20)
        upload.file.seek(0)
        parts.append((found.kind, upload.file.read()))
        total += found.size
    limit = paper_limit_mb(file_limit_mb)
    if total > limit << 20:
        raise InvalidInput(
            {
                "file": [
                    _(
                        "Các tệp của một giấy tờ cộng lại lớn quá %(limit)d MB. "
                        "Vui lòng chọn ít trang hơn hoặc chụp nhỏ hơn."
                    )
                    % {"limit": limit}
                ]
            }
        )
    combined = pikepdf.Pdf.new()
    opened: list[pikepdf.Pdf] = []
    try:
        for kind, data in parts:
            source = pikepdf.Pdf.open(io.BytesIO(data if kind == "pdf" else _image_pages(data)))
            opened.append(source)
            combined.pages.extend(source.pages)
        buffer = io.BytesIO()
        combined.save(buffer)
    except (pikepdf.PdfError, img2pdf.ImageOpenError, OSError, ValueError) as exc:
        raise InvalidInput(
            {"file": [_("Không ghép được các tệp thành một tệp PDF. Vui lòng kiểm tra từng tệp.")]}
        ) from exc
    finally:
        for source in opened:
            source.close()
        combined.close()
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="application/pdf")
