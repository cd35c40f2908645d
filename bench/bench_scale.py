"""Benchmark: statistics, search and the register at the scale of the whole Party.

Needs a database holding a generated tree (`dangbo generate --members 6000000 --seed 2`, ≈ 6M members
in ≈ 61,000 organisations) or makes one with --generate N. Prints, per figure, the median and p95 of
repeated runs, and beside them the peer in the same run: the live grouped count over the members for
statistics, an unindexed accent-sensitive ILIKE for search.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/dangbo_bench .venv/bin/python bench/bench_scale.py
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import statistics as stats
import time
from collections.abc import Callable
from typing import Any

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dangbo.settings")
django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.paginator import Paginator  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from dangbo.members import counts, selectors  # noqa: E402
from dangbo.members.generate import generate_into_db  # noqa: E402
from dangbo.members.models import PartyMember  # noqa: E402
from dangbo.orgs.models import Organisation  # noqa: E402
from dangbo.rules import membership  # noqa: E402
from dangbo.rules.vietnamese import format_number  # noqa: E402

QUERIES = (
    "nguyen van duc",
    "Nguyễn Văn Đức",
    "tran thi",
    "le hoang",
    "duc",
    "ngoc anh",
    "vu minh khoa",
    "dang thi thu",
    "xyz khong co",
)


def replay_everyone(node: Organisation, ceremony: dt.date) -> int:
    """The peer: every active member admitted 30+ years ago, replayed in Python (the first way)."""
    oldest = membership.add_months(ceremony, -12 * membership.BADGE_MILESTONES[0])
    previous = membership.previous_ceremony(ceremony)
    found = 0
    members = PartyMember.objects.filter(
        org_path__within=node.path, status__in=selectors.ACTIVE, admitted_on__lte=oldest
    ).prefetch_related("events")
    for member in members:
        state = selectors._state(member)
        assert state.admitted_on is not None
        for years in membership.BADGE_MILESTONES:
            found += previous < membership.badge_date(state.admitted_on, years, state.gaps) <= ceremony
    return found


def timed(fn: Callable[[], Any], repeat: int) -> list[float]:
    fn()  # warm the cache once, as a running server is
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return times


def line(label: str, times: list[float], peer: float | None = None, peer_name: str = "") -> None:
    p95 = sorted(times)[max(0, int(len(times) * 0.95) - 1)]
    text = f"{label:<52} median {stats.median(times):8.1f} ms   p95 {p95:8.1f} ms"
    if peer is not None:
        text += f"   {peer_name} {peer:9.1f} ms   ×{peer / stats.median(times):,.0f}"
    print(text, flush=True)


def first_page(user: Any, organisation: Organisation, query: str = "") -> Callable[[], Any]:
    """What the register page does: count (kept counts, or matches up to the cap) and 50 rows."""

    def run() -> Any:
        rows = selectors.register_for_page(user, organisation, query=query)
        page = Paginator(rows, 50).get_page(1)  # type: ignore[arg-type]
        return [(m.person.full_name, m.organisation.name) for m in page.object_list]

    return run


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--generate", type=int, default=0, help="make a tree of N members first")
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--rebuild", action="store_true", help="also time counting everything again")
    args = parser.parse_args()
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
    user = get_user_model()(username="bench", is_superuser=True, is_active=True)
    members = PartyMember.objects.filter(org_path__within=root.path).count()
    upper = root.children.order_by("pk").first() or root
    cell = Organisation.objects.filter(path__within=root.path, kind="cell").order_by("pk").first() or root
    with connection.cursor() as cursor:
        cursor.execute("SELECT version()" if connection.vendor == "postgresql" else "SELECT sqlite_version()")
        version = cursor.fetchone()[0].split(" on ")[0]
    organisations = Organisation.objects.filter(path__within=root.path).count()
    print(f"# {platform.platform()} · {os.cpu_count()} CPUs · {version}")
    print(
        f"# tree “{root.name}”: {format_number(members)} members in {format_number(organisations)} organisations"
    )

    counts.bring_up_to(today)
    for label, node in (("root", root), ("upper-level committee", upper), ("cell", cell)):
        times = timed(lambda node=node: selectors.statistics(user, node, today), args.repeat)
        start = time.perf_counter()
        selectors.statistics_live(user, node, today)
        line(f"statistics, {label} (kept counts)", times, (time.perf_counter() - start) * 1000, "live count")

    grassroots = Organisation.objects.filter(path__within=root.path, kind="grassroots").order_by("pk").first()
    search_times: list[float] = []
    for query in QUERIES:
        search_times += timed(first_page(user, root, query), max(3, args.repeat // 4))
    for label, node in (("upper-level committee", upper), ("grassroots committee", grassroots or upper)):
        times: list[float] = []
        for query in QUERIES:
            times += timed(first_page(user, node, query), max(3, args.repeat // 4))
        size = counts.members_in(user, node)
        line(f"search, {label} ({format_number(size)} members)", times)
    peer_start = time.perf_counter()
    list(
        PartyMember.objects.filter(org_path__within=root.path, person__full_name__icontains="Văn Đức")
        .select_related("person")
        .order_by("person__sort_key", "pk")[:50]
    )
    peer = (time.perf_counter() - peer_start) * 1000
    line(f"search at the root, first page ({len(QUERIES)} queries)", search_times, peer, "ILIKE, no index")
    line("register at the root, first page, no search", timed(first_page(user, root), args.repeat))
    line("register of one cell, first page", timed(first_page(user, cell), args.repeat))

    # Badges: the first page of a ceremony's list, beside replaying every member admitted 30+ years ago.
    ceremony = membership.next_ceremony(today)

    def badge_page(node: Organisation) -> Callable[[], Any]:
        return lambda: list(Paginator(selectors.badge_candidates(user, node, ceremony), 200).get_page(1))

    for label, node in (("root", root), ("upper-level committee", upper)):
        due = selectors.badge_candidates(user, node, ceremony).count()
        peer_ms = None
        if node is upper:
            start = time.perf_counter()
            replay_everyone(node, ceremony)
            peer_ms = (time.perf_counter() - start) * 1000
        line(
            f"badges {ceremony:%d/%m/%Y}, {label} ({format_number(due)} due), page 1",
            timed(badge_page(node), max(3, args.repeat // 4)),
            peer_ms,
            "replay all 30+",
        )

    # The counts' upkeep: one member written, and a new day.
    victim = PartyMember.objects.filter(org_path__within=cell.path).first()

    def one_write() -> None:
        with transaction.atomic():
            counts.touch({victim.organisation_id} if victim else {cell.pk})
            transaction.set_rollback(True)

    line("counts after one member's change (cell + ancestors)", timed(one_write, max(5, args.repeat // 2)))
    start = time.perf_counter()
    counts.bring_up_to(today + dt.timedelta(days=1))
    tomorrow = (time.perf_counter() - start) * 1000
    counts.bring_up_to(today)
    print(f"{'counts brought to the next day (nightly run)':<52} {tomorrow:8.1f} ms")
    if args.rebuild:
        start = time.perf_counter()
        counts.rebuild(today)
        print(f"{'counts rebuilt from every member':<52} {time.perf_counter() - start:8.1f} s")


if __name__ == "__main__":
    main()
