"""`dangbo export members --org ID FILE`: the register of a subtree to .xlsx or .csv."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from dangbo.core import audit
from dangbo.members import export
from dangbo.members.models import PartyMember
from dangbo.orgs.models import Organisation


def find_organisation(ref: str) -> Organisation:
    """By id, or by a code that names exactly one active organisation."""
    if ref.isascii() and ref.isdigit():
        found = Organisation.objects.filter(pk=int(ref)).first()
        if found:
            return found
    matches = list(Organisation.objects.filter(code=ref, dissolved_on__isnull=True)[:2])
    if len(matches) == 1:
        return matches[0]
    raise CommandError(
        f"Không tìm thấy tổ chức “{ref}”."
        if not matches
        else f"Ký hiệu “{ref}” trùng ở nhiều tổ chức: hãy dùng mã số."
    )


class Command(BaseCommand):
    help = "Xuất sổ danh sách đảng viên của một tổ chức và các chi bộ trực thuộc ra .xlsx hoặc .csv."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("what", choices=["members"])
        parser.add_argument("file")
        parser.add_argument("--org", required=True, help="mã số hoặc ký hiệu của tổ chức đảng")

    def handle(self, *args: Any, **options: Any) -> None:
        organisation = find_organisation(options["org"])
        target = Path(options["file"])
        members = (
            PartyMember.objects.select_related("person", "organisation")
            .filter(org_path__within=organisation.path)
            .order_by("person__sort_key", "person_id")
        )
        if target.suffix.lower() == ".csv":
            with target.open("w", encoding="utf-8", newline="") as handle:
                for line in export.csv_lines(export.rows(members)):
                    handle.write(line)
        elif target.suffix.lower() == ".xlsx":
            export.write_xlsx(export.rows(members), str(target), export.register_heading(organisation))
        else:
            raise CommandError("Tệp phải có đuôi .xlsx hoặc .csv.")
        count = members.count()
        audit.record(
            actor=None,
            action="member.export",
            instance=organisation,
            after={"file": target.name, "rows": count},
        )
        self.stdout.write(
            self.style.SUCCESS(f"Đã xuất {count} đảng viên của {organisation.name} vào {target}.")
        )
