"""What an uploaded file really is, from its bytes, never from its name or the browser's word.

Refused with a Vietnamese message: empty files, files over the limit, names with path parts, and anything
whose content is not one of the accepted kinds (a renamed .exe, an HTML or SVG page posing as a PDF...).
"""

from __future__ import annotations

import hashlib
import io
import unicodedata
import zipfile
from dataclasses import dataclass
from typing import IO

from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from dvc.errors import InvalidInput

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "jpg": "image/jpeg",
    "png": "image/png",
    "doc": "application/msword",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
MAX_IMAGE_PIXELS = 40_000_000  # a 40-megapixel photo is plenty; bigger ones are decompression bombs
MAX_DOCX_UNPACKED = 200 * 1024 * 1024


@dataclass(frozen=True)
class Inspected:
    kind: str
    content_type: str
    size: int
    sha256: str
    name: str


def clean_name(name: str) -> str:
    """The file name a person gave, as text to show: NFC, no path, no control characters, at most 150 chars."""
    name = unicodedata.normalize("NFC", name or "")
    if "/" in name or "\\" in name or name in {".", ".."} or "\x00" in name:
        raise InvalidInput(
            {"file": [_("Tên tệp không được chứa đường dẫn (“/” hoặc “\\”). Vui lòng đổi tên tệp rồi tải lại.")]}
        )
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C").strip()
    return name[:150] or "tep"


def _sniff(head: bytes, stream: IO[bytes]) -> str | None:
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "doc"
    if head.startswith(b"PK\x03\x04"):
        try:
            stream.seek(0)
            with zipfile.ZipFile(stream) as archive:
                names = set(archive.namelist())
                unpacked = sum(info.file_size for info in archive.infolist())
        except (zipfile.BadZipFile, OSError, ValueError):
            return None
        if "[Content_Types].xml" in names and "word/document.xml" in names and unpacked <= MAX_DOCX_UNPACKED:
            return "docx"
    return None


def inspect_upload(stream: IO[bytes], *, name: str, allowed: list[str], max_bytes: int) -> Inspected:
    """Check an upload and describe it; raises ``InvalidInput`` (field ``file``) with the reason."""
    shown = clean_name(name)
    stream.seek(0, io.SEEK_END)
    size = stream.tell()
    stream.seek(0)
    if size == 0:
        raise InvalidInput({"file": [_("Tệp “%(name)s” rỗng. Vui lòng chọn tệp khác.") % {"name": shown}]})
    if size > max_bytes:
        raise InvalidInput(
            {
                "file": [
                    _(
                        "Tệp “%(name)s” lớn quá %(limit)d MB. "
                        "Vui lòng giảm dung lượng (chụp lại nhỏ hơn hoặc nén) rồi tải lại."
                    )
                    % {"name": shown, "limit": max_bytes // (1024 * 1024)}
                ]
            }
        )
    kind = _sniff(stream.read(16), stream)
    allowed_text = ", ".join(t.upper() for t in allowed)
    if kind is None or kind not in allowed:
        raise InvalidInput(
            {
                "file": [
                    _(
                        "Tệp “%(name)s” không phải là tệp %(types)s hợp lệ "
                        "(hệ thống kiểm tra nội dung tệp, không dựa vào tên)."
                    )
                    % {"name": shown, "types": allowed_text}
                ]
            }
        )
    if kind in ("jpg", "png"):
        stream.seek(0)
        try:
            with Image.open(stream) as image:
                width, height = image.size
                if width * height > MAX_IMAGE_PIXELS:
                    raise InvalidInput({"file": [_("Ảnh “%(name)s” có kích thước quá lớn.") % {"name": shown}]})
                image.verify()
        except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError) as exc:
            raise InvalidInput({"file": [_("Ảnh “%(name)s” bị hỏng hoặc không đọc được.") % {"name": shown}]}) from exc
    if kind == "pdf":
        stream.seek(max(0, size - 1024))
        if b"%%EOF" not in stream.read():
            raise InvalidInput({"file": [_("Tệp PDF “%(name)s” bị hỏng hoặc chưa tải hết.") % {"name": shown}]})
    digest = hashlib.sha256()
    stream.seek(0)
    for chunk in iter(lambda: stream.read(1024 * 1024), b""):
        digest.update(chunk)
    stream.seek(0)
    return Inspected(kind=kind, content_type=CONTENT_TYPES[kind], size=size, sha256=digest.hexdigest(), name=shown)
