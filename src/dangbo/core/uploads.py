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
