"""`dangbo import members FILE [--org ID] [--dry-run] [--skip-bad-rows]`: problems on stderr, then each
field the import changes (old → new) and the summary on stdout."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from dangbo.members.importer import ImportRefused, import_members
from dangbo.members.management.commands.export import find_organisation
from dangbo.rules.vietnamese import format_number


class Command(BaseCommand):
    help = "Nhập hồ sơ đảng viên từ tệp .xlsx hoặc .csv (kiểm tra toàn bộ trước, lỗi thì không ghi gì)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("what", choices=["members"])
        parser.add_argument("file")
        parser.add_argument("--org", help="chỉ nhận các chi bộ thuộc tổ chức này (mã số hoặc ký hiệu)")
        parser.add_argument("--dry-run", action="store_true", help="chỉ kiểm tra, không ghi")
        parser.add_argument("--skip-bad-rows", action="store_true", help="ghi các dòng đúng, bỏ qua dòng lỗi")

    def handle(self, *args: Any, **options: Any) -> None:
        root = find_organisation(options["org"]) if options["org"] else None
        try:
            report = import_members(
                Path(options["file"]),
                actor=None,
                root=root,
                dry_run=options["dry_run"],
                skip_bad_rows=options["skip_bad_rows"],
            )
        except (ImportRefused, FileNotFoundError) as exc:
            raise CommandError(str(exc)) from exc
        for problem in report.problems[:200]:
            self.stderr.write(str(problem))
        if report.problem_count > 200:
            self.stderr.write(f"… và {format_number(report.problem_count - 200)} lỗi khác.")
        for change in report.changes[:200]:
            self.stdout.write(str(change))
        if len(report.changes) > 200 or report.changes_cut:
            self.stdout.write("… và các thay đổi khác.")
        n = format_number
        summary = (
            f"{n(report.rows)} dòng: {n(report.created)} thêm mới, {n(report.updated)} cập nhật, "
            f"{n(report.unchanged)} không đổi, {n(report.skipped)} bỏ qua."
        )
        if report.problem_count and not options["skip_bad_rows"]:
            raise CommandError(f"Có {n(report.problem_count)} lỗi: không ghi gì. {summary}")
        verb = "Kiểm tra xong (chưa ghi)" if options["dry_run"] else "Đã nhập"
        self.stdout.write(self.style.SUCCESS(f"{verb}: {summary}"))
