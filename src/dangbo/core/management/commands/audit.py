"""`dangbo audit verify`: prove the audit chain has not been altered, removed from or reordered."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from dangbo.core import audit


class Command(BaseCommand):
    help = "Audit chain tools. `verify` walks the whole chain and fails on the first broken event."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["verify"])

    def handle(self, *args: Any, **options: Any) -> None:
        checked, broken = audit.verify()
        if broken is not None:
            where = f"event #{broken.seq}" + (f" (id {broken.event_id})" if broken.event_id else "")
            raise CommandError(
                f"Audit chain BROKEN at {where}: {broken.reason}. {checked} events before it are intact."
            )
        broken_seals = audit.verify_seals()
        if broken_seals:
            raise CommandError(
                f"Audit chain intact ({checked} events) but sealed records were altered:\n"
                + "\n".join(f"  - {line}" for line in broken_seals)
            )
        self.stdout.write(
            self.style.SUCCESS(f"Audit chain intact: {checked} events verified; sealed records intact.")
        )
