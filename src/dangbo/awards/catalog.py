"""The catalogue rows, kept in sync with the versioned rule sets of `dangbo.rules.emulation`.

`sync` is idempotent: each award of every rule set becomes (or updates) the row of its code, the
latest rule set winning; codes no longer in the rule set in force stay (awards refer to them) but
are marked out of force. It is called from a data migration — with the migration's historical
model — whenever the rules gain a version, and may be run again at any time.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from dangbo.rules import emulation as rules


def sync(model: Any, *, on: dt.date | None = None) -> int:
    """Create or update the rows of `model` (AwardType or its historical twin); the number changed."""
    latest = rules.AWARD_RULES[-1] if on is None else rules.award_rules(on)
    ordered = sorted(rules.AWARD_RULES, key=lambda r: r.effective_from)
    rows: dict[str, dict[str, Any]] = {}
    for rule_set in ordered:
        if rule_set.effective_from > latest.effective_from:
            continue
        for position, award in enumerate(rule_set.catalogue, start=1):
            rows[award.code] = {
                "name": award.name,
                "category": award.kind.value,
                "level": award.level.value,
                "for_individuals": rules.Subject.INDIVIDUAL in award.subjects,
                "for_collectives": rules.Subject.COLLECTIVE in award.subjects,
                "prerequisites_known": award.prerequisites_known,
                "regulation": rule_set.regulation,
                "effective_from": rule_set.effective_from,
                "position": position,
                "in_force": rule_set is latest,
            }
    changed = 0
    existing = {row.code: row for row in model.objects.all()}
    for code, values in rows.items():
        row = existing.get(code)
        if row is None:
            model.objects.create(code=code, **values)
            changed += 1
        elif any(getattr(row, k) != v for k, v in values.items()):
            model.objects.filter(pk=row.pk).update(**values)
            changed += 1
    gone = [code for code in existing if code not in rows]
    changed += model.objects.filter(code__in=gone, in_force=True).update(in_force=False)
    return changed
