"""Member imports in the background: the page uploads, a job runs, the page shows its progress.

`start()` stores the upload in the job's own folder and hands the job to the runner named by
settings.IMPORT_RUNNER: "thread" (a thread of the web process: enough for one committee server; the
job is re-checked as interrupted if the process dies) or "inline" (the request waits: tests and
scripts). Progress is a small JSON file replaced atomically, readable by any process, because the
import's transaction hides its writes until it commits.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import shutil
import threading
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import close_old_connections, connection, transaction
from django.utils import timezone

from dangbo.core import audit
from dangbo.members.importer import ImportRefused, Report, import_members
from dangbo.members.models import ImportJob
from dangbo.orgs.models import Organisation
from dangbo.rules.vietnamese import format_number

log = logging.getLogger(__name__)
STALE_AFTER = dt.timedelta(minutes=15)  # no progress for this long: the process running it is gone
_running: set[int] = set()  # jobs running in this process

PHASES = {
    "queued": "Đang chờ đến lượt",
    "check": "Đang đọc và kiểm tra từng dòng",
    "match": "Đang đối chiếu với hồ sơ đã có",
    "write": "Đang ghi vào cơ sở dữ liệu",
    "count": "Đang cập nhật số liệu thống kê",
}


def folder(job: ImportJob) -> Path:
    return Path(settings.IMPORT_DIR) / str(job.pk)


def start(
    *, actor: Any, organisation: Organisation, upload: UploadedFile, dry_run: bool, skip_bad_rows: bool
) -> ImportJob:
    suffix = Path(upload.name or "").suffix.lower()
    with transaction.atomic():
        job = ImportJob.objects.create(
            organisation=organisation,
            created_by=actor,
            file_name=Path(upload.name or "tep").name[:255],
            file_size=upload.size or 0,
            dry_run=dry_run,
            skip_bad_rows=skip_bad_rows,
        )
        audit.record(
            actor=actor,
            action="member.import.start",
            instance=job,
            object_type="import",
            object_id=str(job.pk),
            after={"file": job.file_name, "bytes": job.file_size, "dry_run": dry_run},
        )
    where = folder(job)
    where.mkdir(parents=True, exist_ok=True)
    with (where / f"upload{suffix}").open("wb") as handle:
        for chunk in upload.chunks():
            handle.write(chunk)
    if settings.IMPORT_RUNNER == "inline":
        run(job.pk)
        job.refresh_from_db()
    else:
        threading.Thread(target=_thread, args=(job.pk,), name=f"import-{job.pk}", daemon=True).start()
    return job


def _thread(pk: int) -> None:
    close_old_connections()
    try:
        run(pk)
    finally:
        connection.close()


def run(pk: int) -> None:
    """Run one job to its end; every outcome is written to the job, none escapes."""
    job = ImportJob.objects.select_related("organisation", "created_by").get(pk=pk)
    where = folder(job)
    upload = next(where.glob("upload*"), None)
    _running.add(pk)
    ImportJob.objects.filter(pk=pk).update(state=ImportJob.State.RUNNING)

    def progress(phase: str, rows: int, fraction: float) -> None:
        _write_progress(where, {"phase": phase, "rows": rows, "fraction": round(fraction, 4)})

    state, report, error = ImportJob.State.FAILED, None, ""
    try:
        if upload is None:
            raise ImportRefused("Không tìm thấy tệp đã tải lên.")
        result = import_members(
            upload,
            actor=job.created_by,
            root=job.organisation,
            dry_run=job.dry_run,
            skip_bad_rows=job.skip_bad_rows,
            progress=progress,
        )
        state, report = ImportJob.State.DONE, result.as_dict()
    except ImportRefused as exc:
        error = str(exc)
    except Exception:
        log.exception("import job %s failed", pk)
        error = "Lỗi hệ thống khi nhập tệp; không có gì được ghi. Hãy báo quản trị hệ thống."
    finally:
        _running.discard(pk)
        ImportJob.objects.filter(pk=pk).update(
            state=state, report=report, error=error, finished_at=timezone.now()
        )
        shutil.rmtree(where, ignore_errors=True)


def _write_progress(where: Path, data: dict[str, Any]) -> None:
    # The time it was written goes inside (on the application's clock, like every other time it
    # keeps), rather than being read back from the file system's modification time.
    data = {"at": timezone.now().isoformat(), **data}
    temporary = where / "progress.tmp"
    temporary.write_text(json.dumps(data), encoding="utf-8")
    os.replace(temporary, where / "progress.json")


def status(job: ImportJob) -> dict[str, Any]:
    """What the page shows while a job runs (and marks a job whose runner vanished as failed)."""
    if job.finished:
        return {"state": job.state, "finished": True}
    where = folder(job)
    try:
        data = json.loads((where / "progress.json").read_text(encoding="utf-8"))
        seen = dt.datetime.fromisoformat(data["at"])
    except (OSError, ValueError, KeyError, TypeError):
        data, seen = {"phase": "queued" if job.state == ImportJob.State.QUEUED else "check"}, job.created_at
    if job.pk not in _running and timezone.now() - seen > STALE_AFTER:
        ImportJob.objects.filter(
            pk=job.pk, state__in=[ImportJob.State.QUEUED, ImportJob.State.RUNNING]
        ).update(
            state=ImportJob.State.FAILED,
            error="Việc nhập bị gián đoạn (máy chủ khởi động lại); không có gì được ghi. Hãy nhập lại tệp.",
            finished_at=timezone.now(),
        )
        return {"state": ImportJob.State.FAILED, "finished": True}
    phase = data.get("phase", "check")
    rows = int(data.get("rows", 0))
    label = PHASES.get(phase, PHASES["check"])
    if rows:
        label += f": {format_number(rows)} dòng"
    return {
        "state": job.state,
        "finished": False,
        "phase": phase,
        "rows": rows,
        "fraction": float(data["fraction"]) if phase == "check" and "fraction" in data else None,
        "label": label,
    }


def report_of(job: ImportJob) -> Report | None:
    return Report.from_dict(job.report) if job.report is not None else None
