"""`dangbo generate --members N --seed S [--out FILE]`: a synthetic register.

With --out: a CSV in the import template's layout, for the cells already in the database.
Without: a generated organisation tree and its members, written straight into the database (to
measure registers, search and statistics at the scale of the whole Party).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from dangbo.members.generate import generate_into_db, write_csv
from dangbo.orgs.models import Organisation
from dangbo.rules.membership import CELL_KINDS_FOR_MEMBERS
from dangbo.rules.vietnamese import format_number


class Command(BaseCommand):
    help = (
        "Tạo sổ đảng viên giả lập (tên Việt Nam hư cấu, ngày tháng hợp lệ): vào tệp CSV với --out, "
        "hoặc thẳng vào cơ sở dữ liệu cùng một cây tổ chức giả lập."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--members", type=int, required=True)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--out", help="tệp CSV; bỏ trống để ghi thẳng vào cơ sở dữ liệu")

    def handle(self, *args: Any, **options: Any) -> None:
        count, seed, today = options["members"], options["seed"], timezone.localdate()
        if count < 1:
            raise CommandError("Số đảng viên phải từ 1 trở lên.")
        if options["out"]:
            cells = list(
                Organisation.objects.filter(
                    kind__in=CELL_KINDS_FOR_MEMBERS, dissolved_on__isnull=True
                ).values_list("pk", flat=True)
            )
            if not cells:
                raise CommandError("Chưa có chi bộ nào: hãy chạy `dangbo demo` hoặc tạo chi bộ trước.")
            write_csv(Path(options["out"]), count, sorted(cells), seed, today)
            self.stdout.write(self.style.SUCCESS(f"Đã tạo {format_number(count)} dòng vào {options['out']}."))
            return

        def progress(done: int) -> None:
            self.stderr.write(f"\r  {format_number(done)} / {format_number(count)} đảng viên", ending="")

        root = generate_into_db(count, seed, today, progress)
        self.stderr.write("")
        self.stdout.write(
            self.style.SUCCESS(
                f"Đã tạo {format_number(count)} đảng viên giả lập trong “{root.name}” (mã {root.code})."
            )
        )
