"""`dangbo generate --members N --seed S --out FILE`: a synthetic register to import (CSV)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from dangbo.members.generate import write_csv
from dangbo.orgs.models import Organisation
from dangbo.rules.membership import CELL_KINDS_FOR_MEMBERS


class Command(BaseCommand):
    help = "Tạo sổ đảng viên giả lập (tên Việt Nam hư cấu, ngày tháng hợp lệ) để nhập thử hoặc đo tốc độ."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--members", type=int, required=True)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--out", required=True)

    def handle(self, *args: Any, **options: Any) -> None:
        cells = list(
            Organisation.objects.filter(
                kind__in=CELL_KINDS_FOR_MEMBERS, dissolved_on__isnull=True
            ).values_list("pk", flat=True)
        )
        if not cells:
            raise CommandError("Chưa có chi bộ nào: hãy chạy `dangbo demo` hoặc tạo chi bộ trước.")
        write_csv(
            Path(options["out"]), options["members"], sorted(cells), options["seed"], timezone.localdate()
        )
        self.stdout.write(self.style.SUCCESS(f"Đã tạo {options['members']} dòng vào {options['out']}."))
