"""A cap on uploaded files, enforced while the request body is read.

Django spools an upload to a temporary file before any view runs, so a 2 GB file would be written
to disk in full before a view could refuse it. This handler, first in FILE_UPLOAD_HANDLERS, skips a
file as soon as the request says (or the bytes show) it is larger than settings.UPLOAD_MAX_BYTES:
the rest of that file is read and thrown away, never stored, and the other fields (the CSRF token
among them) still arrive. The view asks `refused_upload(request)` and tells the user why.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.http import HttpRequest
from django.template.defaultfilters import filesizeformat


class CappedUploadHandler(FileUploadHandler):
    def handle_raw_input(
        self, input_data: Any, META: Any, content_length: int, boundary: Any, encoding: Any = None
    ) -> None:
        self.too_large = content_length > settings.UPLOAD_MAX_BYTES
        self.received = 0

    def new_file(self, field_name: str, file_name: str, *args: Any, **kwargs: Any) -> None:
        self.received = 0
        if getattr(self, "too_large", False):
            self._refuse(file_name)
        super().new_file(field_name, file_name, *args, **kwargs)

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        self.received += len(raw_data)
        if self.received > settings.UPLOAD_MAX_BYTES:
            self._refuse(self.file_name or "")
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None

    def _refuse(self, file_name: str) -> None:
        assert self.request is not None
        self.request.refused_upload = file_name  # type: ignore[attr-defined]
        raise SkipFile


def refused_upload(request: HttpRequest) -> str:
    """The Vietnamese reason a file was dropped while uploading, or ""."""
    name = getattr(request, "refused_upload", None)
    if name is None:
        return ""
    limit = filesizeformat(settings.UPLOAD_MAX_BYTES)
    return f"Tệp “{name}” lớn quá {limit} nên không được nhận; hãy chia tệp thành nhiều phần."


# What the first bytes of a file of each accepted extension look like. Office Open XML and
# OpenDocument files are zip archives; .doc/.xls are OLE compound files.
_ZIP = (b"PK\x03\x04",)
_OLE = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",)
SIGNATURES: dict[str, tuple[bytes, ...]] = {
    ".pdf": (b"%PDF-",),
    ".docx": _ZIP,
    ".xlsx": _ZIP,
    ".odt": _ZIP,
    ".ods": _ZIP,
    ".doc": _OLE,
    ".xls": _OLE,
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
}


def file_problem(upload: Any, allowed: tuple[str, ...]) -> str:
    """Why an uploaded file is refused (in Vietnamese), or "": an extension we accept, contents that
    are what the extension says, and no more than UPLOAD_MAX_BYTES."""
    name = str(getattr(upload, "name", "") or "")
    extension = ("." + name.rsplit(".", 1)[-1].lower()) if "." in name else ""
    if extension not in allowed:
        return f"Tệp “{name}” không thuộc loại được nhận ({', '.join(allowed)})."
    if upload.size > settings.UPLOAD_MAX_BYTES:
        return f"Tệp “{name}” lớn quá {filesizeformat(settings.UPLOAD_MAX_BYTES)}."
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if not any(head.startswith(signature) for signature in SIGNATURES[extension]):
        return f"Nội dung tệp “{name}” không phải là tệp {extension} như phần mở rộng cho biết."
    return ""
