"""`dangbo counts [--rebuild]`: bring the kept member statistics up to today (run it each night)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from dangbo.members import counts


class Command(BaseCommand):
    help = "Cập nhật số liệu thống kê đảng viên đến hôm nay (chạy mỗi đêm); --rebuild: đếm lại toàn bộ."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--rebuild", action="store_true", help="đếm lại toàn bộ từ hồ sơ")

    def handle(self, *args: Any, **options: Any) -> None:
        today = timezone.localdate()
        if options["rebuild"]:
            counts.rebuild(today)
        else:
            counts.bring_up_to(today)
        self.stdout.write(self.style.SUCCESS(f"Số liệu thống kê đã tính đến ngày {today:%d/%m/%Y}."))
