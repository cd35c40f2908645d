"""Benchmark: subtree queries on the materialised path vs. a recursive CTE on parent ids, and the
cost of an audited write vs. a plain insert. Prints figures and ratios measured in the same run.

    .venv/bin/python bench/bench_tree.py [--fanout 6 --levels 5]      # SQLite (a throw-away test DB)
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/dangbo_bench .venv/bin/python bench/bench_tree.py
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import time
from collections.abc import Callable

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dangbo.settings")
django.setup()

from django.db import connection, transaction  # noqa: E402

from dangbo.core import audit  # noqa: E402
from dangbo.core.models import LoginFailure  # noqa: E402
from dangbo.orgs.models import Organisation  # noqa: E402
from dangbo.rules.vietnamese import format_number  # noqa: E402

KINDS = ["bloc", "upper", "grassroots", "partial", "cell", "cell"]


def build(fanout: int, levels: int) -> list[Organisation]:
    """A synthetic tree, inserted level by level with bulk_create (paths computed up front)."""
    next_id = 1
    level = [Organisation(id=next_id, name="Gốc", kind="bloc", path="/1/", depth=0, search_text="goc")]
    Organisation.objects.bulk_create(level)
    nodes = list(level)
    for depth in range(1, levels):
        new_level = []
        for parent in level:
            for _ in range(fanout):
                next_id += 1
                new_level.append(
                    Organisation(
                        id=next_id,
                        parent_id=parent.id,
                        name=f"Tổ chức {next_id}",
                        kind=KINDS[depth],
                        path=f"{parent.path}{next_id}/",
                        depth=depth,
                        search_text=f"to chuc {next_id}",
                    )
                )
        Organisation.objects.bulk_create(new_level, batch_size=5000)
        nodes += new_level
        level = new_level
    return nodes


CTE = """
WITH RECURSIVE sub(id) AS (
    SELECT id FROM orgs_organisation WHERE id = %s
    UNION ALL
    SELECT o.id FROM orgs_organisation o JOIN sub ON o.parent_id = sub.id
)
SELECT count(*) FROM sub
"""


def n(value: float) -> str:
    return format_number(round(value))


def timed(fn: Callable[[], object], repeat: int) -> float:
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples) * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--fanout", type=int, default=6)
    parser.add_argument("--levels", type=int, default=6)
    parser.add_argument("--writes", type=int, default=1000)
    args = parser.parse_args()
    test_db = connection.creation.create_test_db(verbosity=0, keepdb=False)
    try:
        print(
            f"machine: {platform.machine()} {os.cpu_count()} cores, python {platform.python_version()}, "
            f"db {connection.vendor} ({test_db})"
        )
        start = time.perf_counter()
        nodes = build(args.fanout, args.levels)
        print(
            f"tree: {len(nodes):,} organisations built in {time.perf_counter() - start:.2f} s".replace(
                ",", "."
            )
        )
        for label, node in [("root", nodes[0]), ("level 2", nodes[args.fanout + 1])]:
            ours = timed(lambda n=node: Organisation.objects.filter(path__within=n.path).count(), 15)

            def peer(n: Organisation = node) -> None:
                with connection.cursor() as cursor:
                    cursor.execute(CTE, [n.pk])
                    cursor.fetchone()

            theirs = timed(peer, 15)
            print(
                f"subtree count at {label}: path prefix {ours:.2f} ms, recursive CTE {theirs:.2f} ms, "
                f"ratio CTE/path {theirs / ours:.1f}×"
            )

        def audited() -> None:
            with transaction.atomic():
                for i in range(args.writes):
                    audit.record(
                        actor=None,
                        action="bench.write",
                        object_type="bench",
                        object_id=str(i),
                        after={"i": i, "name": "Tổ chức"},
                    )

        def plain() -> None:
            with transaction.atomic():
                for i in range(args.writes):
                    LoginFailure.objects.create(username=f"bench{i}")

        ours = timed(audited, 1)
        theirs = timed(plain, 1)
        print(
            f"{args.writes} writes: audited {args.writes / ours * 1000:,.0f}/s, plain insert "
            f"{args.writes / theirs * 1000:,.0f}/s, ratio plain/audited {ours / theirs:.1f}×".replace(
                ",", "."
            )
        )
        start = time.perf_counter()
        checked, broken = audit.verify()
        elapsed = time.perf_counter() - start
        print(
            f"audit verify: {checked:,} events in {elapsed:.2f} s ({checked / elapsed:,.0f} events/s), "
            f"intact={broken is None}".replace(",", ".")
        )
    finally:
        connection.creation.destroy_test_db(test_db, verbosity=0)


if __name__ == "__main__":
    main()
