"""Benchmark: completion of a study assigned to the root of a national tree (≈ 6M members, ≈ 1M
confirmations), beside the live count that joins every confirmation to its member.

Needs a database holding a generated tree (`dangbo generate --members 6000000 --seed 2`) or makes one
with --generate N. Adds (once) a document in the root's register, its assignment to the whole tree
and a confirmation for a share of the members (plain INSERT … SELECT, no audit: bench data), then
prints the median and p95 of repeated runs of what the pages, the API, the command and the reviews
read.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/dangbo_bench .venv/bin/python bench/bench_study.py
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import time
from typing import Any

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dangbo.settings")
django.setup()

from bench_scale import line, timed  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count, Q, Value  # noqa: E402
from django.db.models.functions import StrIndex, Substr  # noqa: E402
from django.utils import timezone  # noqa: E402

from dangbo.documents import services, study  # noqa: E402
from dangbo.documents.models import Document, StudyAssignment, StudyConfirmation  # noqa: E402
from dangbo.members.generate import generate_into_db  # noqa: E402
from dangbo.members.models import PartyMember  # noqa: E402
from dangbo.orgs.models import Organisation  # noqa: E402
from dangbo.rules.vietnamese import format_number  # noqa: E402

SYMBOL = "99-NQ/TW"


def assignment_on(root: Organisation, share: float, today: dt.date) -> StudyAssignment:
    """The bench's assignment on the root, with a confirmation for about `share` of the members."""
    existing = StudyAssignment.objects.filter(organisation=root, document__symbol=SYMBOL).first()
    if existing is not None:
        return existing
    document = Document.objects.filter(
        organisation=root, symbol=SYMBOL
    ).first() or services.document_register(
        actor=None,
        organisation=root,
        own=False,
        symbol=SYMBOL,
        issued_on=dt.date(2025, 1, 6),
        summary="Bench",
    )
    assignment = study.study_assign(
        actor=None, document=document, organisation=root, start_on=today - dt.timedelta(days=20), due_on=today
    )
    modulo = max(1, round(1 / share))
    start = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {StudyConfirmation._meta.db_table} "
            "(assignment_id, member_id, org_path, studied_on, channel, created_at) "
            "SELECT %s, id, org_path, %s::date - (id %% 25)::int, 'meeting', now() "
            f"FROM {PartyMember._meta.db_table} WHERE org_path >= %s AND org_path < %s AND id %% %s = 0",
            [assignment.pk, today, root.path, root.path[:-1] + "0", modulo],
        )
        cursor.execute(f"VACUUM ANALYZE {StudyConfirmation._meta.db_table}")
    print(f"# confirmations written in {time.perf_counter() - start:.0f} s")
    return assignment


def live_completion(assignment: StudyAssignment, organisation: Organisation) -> dict[str, tuple[int, int]]:
    """The peer: every member of the subtree grouped by child, each joined to its confirmation."""
    n = len(organisation.path)
    prefix = Substr("org_path", 1, Value(n) + StrIndex(Substr("org_path", n + 1), Value("/")))
    rows = (
        PartyMember.objects.filter(org_path__within=organisation.path, status__in=study.ACTIVE)
        .annotate(child=prefix)
        .values("child")
        .annotate(members=Count("pk"), confirmed=Count("studies", filter=Q(studies__assignment=assignment)))
        .order_by()
    )
    return {r["child"]: (r["members"], r["confirmed"]) for r in rows}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--generate", type=int, default=0, help="make a tree of N members first")
    parser.add_argument("--share", type=float, default=1 / 6, help="members who confirmed")
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        raise SystemExit("run it on PostgreSQL (DATABASE_URL=postgres://…)")
    today = timezone.localdate()
    if args.generate:
        start = time.perf_counter()
        generate_into_db(args.generate, 2, today)
        print(f"generated {format_number(args.generate)} members in {time.perf_counter() - start:.0f} s")
    root = (
        Organisation.objects.filter(parent__isnull=True, code__startswith="GL").order_by("-pk").first()
        or Organisation.objects.filter(parent__isnull=True).order_by("pk").first()
    )
    if root is None:
        raise SystemExit("no organisation: run `dangbo generate --members N` first")
    assignment = assignment_on(root, args.share, today)
    user: Any = get_user_model()(username="bench", is_superuser=True, is_active=True)
    confirmations = StudyConfirmation.objects.filter(assignment=assignment).count()
    members = study.study_completion(assignment, root).total.members
    with connection.cursor() as cursor:
        cursor.execute("SELECT version()")
        version = cursor.fetchone()[0].split(" on ")[0]
    print(f"# {platform.platform()} · {os.cpu_count()} CPUs · {version}")
    print(f"# “{root.name}”: {format_number(members)} members, {format_number(confirmations)} confirmations")

    upper = max(
        Organisation.objects.filter(parent=root), key=lambda o: study.kept_members([o.pk]).get(o.pk, 0)
    )
    grassroots = Organisation.objects.filter(parent=upper).order_by("pk").first() or upper
    cell = Organisation.objects.filter(parent=grassroots).order_by("pk").first() or grassroots
    for label, node in (
        ("root", root),
        ("upper-level committee", upper),
        ("grassroots committee", grassroots),
    ):
        times = timed(lambda node=node: study.study_completion(assignment, node), args.repeat)
        start = time.perf_counter()
        live = live_completion(assignment, node)
        peer = (time.perf_counter() - start) * 1000
        size = sum(m for m, _ in live.values())
        line(f"completion, {label} ({format_number(size)} members)", times, peer, "live join")
    line(
        "members of a cell with their confirmation",
        timed(lambda: study.cell_members(assignment, cell), args.repeat),
    )
    line(
        "document page: assignments with totals",
        timed(lambda: study.for_document(user, assignment.document), args.repeat),
    )
    line(
        "review figures for a year at the root (on time too)",
        timed(
            lambda: study.study_summary(user, root, today - dt.timedelta(days=365), today),
            max(3, args.repeat // 4),
        ),
    )
    line("reminders: cells behind at the root (command)", timed(lambda: study.cells_behind(assignment), 3))


if __name__ == "__main__":
    main()
