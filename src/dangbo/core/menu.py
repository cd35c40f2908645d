"""The main menu, by role: a few entries, most of them a group that opens (a Bootstrap dropdown).

A plain member (no role but `member`) finds the handbook and their studies first; everyone who holds
an office role finds the work of that role first and their own handbook last, under "Của tôi". Each
entry is shown only to those whose permissions reach its page, so nobody is offered a page that
answers 403. "Đảng viên" and "Học tập" open the register and the studies of the user's own
organisation: the highest one their grant reaches, read from the grant's path (a path segment is the
organisation's id), so the menu costs no query beyond the grant the page needs anyway.

The API documentation (Swagger, in English) is only offered to the roles that use the API: the
committee office and the administrators; it stays reachable by its address for everyone else.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.urls import ResolverMatch, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from dangbo.core.paths import path_ids
from dangbo.core.scoping import grant_for, has_any
from dangbo.rules.roles import Perm, Role

# The roles whose work uses the REST API (imports by script, exchanges with other systems).
API_ROLES = frozenset({Role.COMMITTEE_OFFICE.value, Role.SYSADMIN.value})

Match = Callable[[ResolverMatch], bool]


@dataclass
class Item:
    key: str
    label: str | Promise
    url: str
    active: bool = False


@dataclass
class Entry:
    """A top-level entry: one link (`items` of one, `group` False) or a group that opens."""

    key: str
    label: str | Promise
    items: list[Item] = field(default_factory=list)
    group: bool = True

    @property
    def active(self) -> bool:
        return any(item.active for item in self.items)

    @property
    def url(self) -> str:
        return self.items[0].url


@dataclass
class Menu:
    entries: list[Entry]
    account: list[Item]  # under the user's name, before "Đăng xuất"

    def keys(self) -> list[str]:
        """Every entry and item key, in order ("orgs", "orgs.register", …): what a role is offered."""
        found: list[str] = []
        for entry in self.entries:
            found.append(entry.key)
            found += [item.key for item in entry.items if item.key != entry.key]
        return found + [item.key for item in self.account]


def _app(*names: str) -> Match:
    return lambda m: m.app_name in names


def _url(app: str, test: Callable[[str], bool]) -> Match:
    return lambda m: m.app_name == app and test(m.url_name or "")


def _is_task(name: str) -> bool:
    return name.startswith("task") or name == "evidence"


def _is_study(name: str) -> bool:
    return name.startswith("study") and name not in {"study_mine", "study_confirm"}


_ACTIVE: dict[str, Match] = {
    "orgs.tree": lambda m: m.app_name == "orgs" and m.kwargs.get("tree") != "unit",
    "orgs.units": lambda m: m.app_name == "orgs" and m.kwargs.get("tree") == "unit",
    "orgs.register": _app("members"),
    "documents.register": _url("documents", lambda n: not _is_task(n) and not n.startswith("study")),
    "documents.tasks": _url("documents", _is_task),
    "documents.study": _url("documents", _is_study),
    "meetings": _app("meetings"),
    "emulation.movements": _app("emulation"),
    "emulation.evaluation": _app("evaluation"),
    "emulation.awards": _app("awards"),
    "audit": lambda m: m.url_name == "audit_log",
    # The office's inbox of opinions and of record corrections live in the handbook's app but are
    # the office's work, not the member's handbook.
    "mine.handbook": _url(
        "handbook", lambda n: n not in {"opinions_inbox", "corrections", "correction_handle"}
    ),
    "mine.studies": _url("documents", lambda n: n in {"study_mine", "study_confirm"}),
}


def _own_organisation(user: Any, perm: Perm) -> int | None:
    """The id of the one highest organisation `perm` reaches for the user, if there is one."""
    grant = grant_for(user, perm)
    if grant.everything or len(grant.party) != 1:
        return None
    return path_ids(grant.party[0])[-1]


def is_plain_member(user: Any) -> bool:
    """No role but that of a party member: the handbook is their home."""
    if user.is_superuser:
        return False
    return grant_for(user, Perm.ORG_VIEW).roles <= {Role.MEMBER.value}


def uses_api(user: Any) -> bool:
    return bool(user.is_superuser or grant_for(user, Perm.ORG_VIEW).roles & API_ROLES)


def menu_for(user: Any, match: ResolverMatch | None) -> Menu:
    def item(key: str, label: str | Promise, url: str) -> Item:
        return Item(key, label, url, active=match is not None and _ACTIVE[key](match))

    mine = [
        item("mine.handbook", _("Handbook"), reverse("handbook:home")),
        item("mine.studies", pgettext_lazy("menu", "My studies"), reverse("documents:study_mine")),
    ]

    organisation: list[Item] = []
    if has_any(user, Perm.ORG_VIEW):
        organisation.append(item("orgs.tree", _("Party organisations"), reverse("orgs:org_tree")))
    if has_any(user, Perm.UNIT_VIEW):
        organisation.append(item("orgs.units", _("Business units"), reverse("orgs:unit_tree")))
    own = _own_organisation(user, Perm.PERSON_VIEW)
    if own is not None:
        url = reverse("members:register", kwargs={"pk": own})
        organisation.append(item("orgs.register", pgettext_lazy("menu", "Party members"), url))

    plain = is_plain_member(user)
    documents: list[Item] = []
    if has_any(user, Perm.DOCUMENT_VIEW):
        documents += [
            item("documents.register", _("Register of documents"), reverse("documents:list")),
            item("documents.tasks", _("Tasks"), reverse("documents:tasks")),
        ]
        # A member follows their own studies (under "Của tôi"); the offices follow their organisation's.
        if own is not None and not plain:
            url = reverse("documents:study_org", kwargs={"pk": own})
            documents.append(item("documents.study", pgettext_lazy("menu", "Study"), url))

    emulation: list[Item] = []
    if has_any(user, Perm.EMULATION_VIEW):
        emulation.append(item("emulation.movements", _("Emulation"), reverse("emulation:list")))
    if has_any(user, Perm.EVALUATION_VIEW):
        emulation.append(
            item("emulation.evaluation", pgettext_lazy("menu", "Evaluation"), reverse("evaluation:list"))
        )
    if has_any(user, Perm.EMULATION_VIEW):
        emulation.append(item("emulation.awards", _("Awards"), reverse("awards:list")))

    entries: list[Entry] = []
    if plain:
        entries += [Entry(i.key, i.label, [i], group=False) for i in mine]
    if organisation:
        entries.append(Entry("orgs", pgettext_lazy("menu", "Organisation"), organisation))
    if documents:
        entries.append(Entry("documents", _("Documents"), documents))
    if has_any(user, Perm.MEETING_VIEW):
        meetings = item("meetings", _("Meetings"), reverse("meetings:list"))
        entries.append(Entry("meetings", meetings.label, [meetings], group=False))
    if emulation:
        entries.append(Entry("emulation", pgettext_lazy("menu", "Emulation & awards"), emulation))
    if has_any(user, Perm.AUDIT_VIEW):
        audit = item("audit", pgettext_lazy("menu", "Audit log"), reverse("audit_log"))
        entries.append(Entry("audit", audit.label, [audit], group=False))
    if not plain:
        entries.append(Entry("mine", pgettext_lazy("menu", "Mine"), mine))

    account: list[Item] = []
    if uses_api(user):
        account.append(Item("account.api", pgettext_lazy("menu", "API documentation"), reverse("api-docs")))
    return Menu(entries, account)
