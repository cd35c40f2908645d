"""`dangbo counts [--rebuild]`: bring the kept member statistics up to today and drop the names nobody
bears any more from the search table (run it each night)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from dangbo.members import counts
from dangbo.orgs import names


class Command(BaseCommand):
    help = (
        "Cập nhật số liệu thống kê đảng viên đến hôm nay và bảng tên dùng để tìm kiếm (chạy mỗi đêm); "
        "--rebuild: đếm lại toàn bộ."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--rebuild", action="store_true", help="đếm lại toàn bộ từ hồ sơ")

    def handle(self, *args: Any, **options: Any) -> None:
        today = timezone.localdate()
        if options["rebuild"]:
            counts.rebuild(today)
            names.rebuild()
        else:
            counts.bring_up_to(today)
            names.prune()
        self.stdout.write(self.style.SUCCESS(f"Số liệu thống kê đã tính đến ngày {today:%d/%m/%Y}."))
