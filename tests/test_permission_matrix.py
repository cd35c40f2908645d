"""Every URL and API route, with every role: allowed or denied as the matrix says.

A route missing from MATRIX fails `test_every_route_is_in_the_matrix` — adding a URL means deciding
who may use it. "Allowed" means the request reached the page or the service (200, 201, 302 after a
form, or 400 for an empty POST that passed the permission check); "denied" means 403 or 404, or for
an anonymous visitor a redirect to the login page (pages) or 401/403 (API).
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from pypdf import PdfReader
from pypdf.errors import PdfReadError

from dangbo.core.scoping import allowed
from dangbo.documents import services as document_services
from dangbo.documents import study, tasks
from dangbo.emulation import services as emulation_services
from dangbo.emulation.models import Delegate
from dangbo.evaluation import services as evaluation_services
from dangbo.handbook import services as handbook_services
from dangbo.meetings import services as meeting_services
from dangbo.meetings.models import Vote
from dangbo.meetings.views_calendar import feed_token
from dangbo.members import counts
from dangbo.members.models import ImportJob, PartyMember
from dangbo.members.services import member_admit
from dangbo.orgs import services
from dangbo.orgs.models import PositionType
from dangbo.rules.roles import Perm
from tests.conftest import World, build_world

pytestmark = pytest.mark.django_db

ROLES = (
    "anon",
    "norole",
    "member",
    "secretary",
    "office",
    "inspection",
    "emulation",
    "leader",
    "sysadmin",
    "outsider",
)
EVERYONE = frozenset(ROLES)
LOGGED_IN = EVERYONE - {"anon"}
VIEWERS = frozenset({"member", "secretary", "office", "inspection", "emulation", "leader", "sysadmin"})
UNIT_VIEWERS = VIEWERS - {"member"}
AUDITORS = frozenset({"secretary", "office", "inspection", "leader", "sysadmin"})
ORG_EDITORS = frozenset({"office", "sysadmin"})
POST_EDITORS = frozenset({"secretary", "office", "sysadmin"})
TREE_USERS = VIEWERS | {"outsider"}
DOCUMENT_AUDITORS = frozenset(
    {"office", "inspection", "leader", "sysadmin"}
)  # the document is the Tổng công ty's

TASK_REPORTERS = frozenset({"secretary", "office", "leader", "sysadmin"})
# Meeting quality: every role but the plain member (Perm.MEETING_REPORT).
MEETING_REPORTERS = UNIT_VIEWERS
# Emulation: movements run by the emulation office (and the administrators); organisations registered
# and self-scored by those who hold the entry permission over them (cell B: the Tổng công ty's office).
EMULATION_MANAGERS = frozenset({"emulation", "sysadmin"})
CELL_B_ENTRY = frozenset({"office", "emulation", "sysadmin"})
# Evaluation: the 2025 round of the grassroots organisation, decided by the committee office and the
# leader above it; cell A's secretary proposes; "member" (linked to a member of cell A) self-assesses.
EVALUATION_DECIDERS = frozenset({"office", "leader", "sysadmin"})
EVALUATION_READERS = EVALUATION_DECIDERS | {"member", "secretary"}

Target = Callable[[World, Any], dict[str, Any]]


def org(name: str) -> Target:
    return lambda w, extra: {"pk": getattr(w, name).pk}


def unit(name: str) -> Target:
    return org(name)


def none(w: World, extra: Any) -> dict[str, Any]:
    return {}


# route name → (method, url kwargs, roles allowed)
MATRIX: dict[str, tuple[str, Target, frozenset[str]]] = {
    "home": ("GET", none, LOGGED_IN),
    "login": ("GET", none, EVERYONE),
    "favicon": ("GET", none, EVERYONE),
    "logout": ("POST", none, LOGGED_IN),
    "set_language": ("POST", none, EVERYONE),
    "audit_log": ("GET", none, AUDITORS | {"outsider"}),
    "orgs:org_tree": ("GET", none, TREE_USERS),
    "orgs:org_detail": ("GET", org("cell_a"), VIEWERS),
    "orgs:org_edit": ("GET", org("cell_a"), ORG_EDITORS),
    "orgs:org_add_child": ("GET", org("grassroots"), ORG_EDITORS),
    "orgs:org_move": ("GET", org("cell_a"), ORG_EDITORS),
    "orgs:org_merge": ("GET", org("cell_b"), ORG_EDITORS),
    "orgs:term_add": ("GET", org("tct"), ORG_EDITORS),
    "orgs:org_appointment_add": ("GET", org("cell_a"), POST_EDITORS),
    "orgs:org_history": ("GET", org("cell_a"), AUDITORS),
    "orgs:unit_tree": ("GET", none, UNIT_VIEWERS | {"outsider"}),
    "orgs:unit_detail": ("GET", unit("dept_a"), UNIT_VIEWERS),
    "orgs:unit_edit": ("GET", unit("dept_a"), ORG_EDITORS),
    "orgs:unit_add_child": ("GET", unit("head_office"), ORG_EDITORS),
    "orgs:unit_move": ("GET", unit("dept_a"), ORG_EDITORS),
    "orgs:unit_appointment_add": ("GET", unit("dept_a"), POST_EDITORS),
    "orgs:unit_history": ("GET", unit("dept_a"), AUDITORS),
    "orgs:person_detail": ("GET", lambda w, extra: {"pk": extra["person"].pk}, VIEWERS),
    "orgs:person_history": ("GET", lambda w, extra: {"pk": extra["person"].pk}, AUDITORS),
    "orgs:person_add": ("GET", org("cell_a"), POST_EDITORS),
    "orgs:person_edit": ("GET", lambda w, extra: {"pk": extra["person"].pk}, POST_EDITORS),
    "orgs:roles": ("GET", org("cell_a"), frozenset({"sysadmin"})),
    "orgs:role_revoke": ("POST", lambda w, extra: {"pk": extra["role"].pk}, frozenset({"sysadmin"})),
    "members:register": ("GET", org("cell_a"), VIEWERS),
    "members:badges": ("GET", org("cell_a"), VIEWERS),
    "members:badges_award": ("POST", org("cell_a"), POST_EDITORS),
    "members:badges_pdf": ("GET", org("cell_a"), VIEWERS),
    "members:probation": ("GET", org("cell_a"), VIEWERS),
    "members:statistics": ("GET", org("cell_a"), VIEWERS),
    "members:export_csv": ("GET", org("cell_a"), VIEWERS),
    "members:export_xlsx": ("GET", org("cell_a"), VIEWERS),
    "members:register_pdf": ("GET", org("cell_a"), VIEWERS),
    "members:admit": ("GET", org("cell_a"), POST_EDITORS),
    "members:add_event": ("GET", lambda w, extra: {"pk": extra["member"].pk}, POST_EDITORS),
    "members:edit": ("GET", lambda w, extra: {"pk": extra["member"].pk}, POST_EDITORS),
    "members:event_correct": ("GET", lambda w, extra: {"pk": extra["member"].events.get().pk}, POST_EDITORS),
    "members:event_remove": ("GET", lambda w, extra: {"pk": extra["member"].events.get().pk}, POST_EDITORS),
    "members:import": ("GET", org("cell_a"), POST_EDITORS),
    "members:import_template": ("GET", org("cell_a"), VIEWERS),
    "members:import_job": ("GET", lambda w, extra: {"pk": extra["job"].pk}, POST_EDITORS),
    "members:import_job_status": ("GET", lambda w, extra: {"pk": extra["job"].pk}, POST_EDITORS),
    "members:card": ("GET", lambda w, extra: {"pk": extra["member"].pk}, VIEWERS),
    "orgs:appointment_end": ("GET", lambda w, extra: {"pk": extra["appointment"].pk}, POST_EDITORS),
    # Documents: an ordinary document of the Tổng công ty's register, read in its subtree and below.
    "documents:list": ("GET", none, TREE_USERS),
    "documents:create": ("GET", none, ORG_EDITORS | {"outsider"}),  # the office of any register
    "documents:detail": ("GET", lambda w, extra: {"pk": extra["document"].pk}, VIEWERS),
    "documents:chain": ("GET", lambda w, extra: {"pk": extra["document"].pk}, VIEWERS),
    "documents:file": ("GET", lambda w, extra: {"pk": extra["document"].pk}, VIEWERS),
    "documents:word": ("GET", lambda w, extra: {"pk": extra["document"].pk}, VIEWERS),
    "documents:pdf": ("GET", lambda w, extra: {"pk": extra["document"].pk}, VIEWERS),
    "documents:link_add": ("GET", lambda w, extra: {"pk": extra["document"].pk}, ORG_EDITORS),
    "documents:withdraw": ("GET", lambda w, extra: {"pk": extra["document"].pk}, ORG_EDITORS),
    "documents:correct": ("GET", lambda w, extra: {"pk": extra["document"].pk}, ORG_EDITORS),
    "documents:history": ("GET", lambda w, extra: {"pk": extra["document"].pk}, DOCUMENT_AUDITORS),
    # Without confirm=1 a POST only goes back to the document (so every allowed role gets that far).
    "documents:link_remove": ("POST", lambda w, extra: {"pk": extra["link"].pk}, ORG_EDITORS),
    # Tasks: the Tổng công ty's document sets a task for cell A. Read where it was assigned and where it
    # is carried out; reported on by cell A's secretary, the office, the leader; managed by the office.
    "documents:tasks": ("GET", none, TREE_USERS),
    "documents:review": ("GET", none, ORG_EDITORS | {"outsider"}),  # the office of any register
    "documents:task_create": ("GET", lambda w, extra: {"pk": extra["document"].pk}, ORG_EDITORS),
    "documents:task_detail": ("GET", lambda w, extra: {"pk": extra["task"].pk}, VIEWERS),
    "documents:task_report": ("GET", lambda w, extra: {"pk": extra["task"].pk}, TASK_REPORTERS),
    "documents:task_reschedule": ("GET", lambda w, extra: {"pk": extra["task"].pk}, ORG_EDITORS),
    "documents:task_cancel": ("GET", lambda w, extra: {"pk": extra["task"].pk}, ORG_EDITORS),
    "documents:evidence": ("GET", lambda w, extra: {"pk": extra["evidence"].pk}, VIEWERS),
    # Study: the document assigned to the Tổng công ty's members; "member" is one of them (linked).
    "documents:study_create": ("GET", lambda w, extra: {"pk": extra["document"].pk}, ORG_EDITORS),
    "documents:study_mine": ("GET", none, LOGGED_IN),
    "documents:study_detail": ("GET", lambda w, extra: {"pk": extra["study"].pk}, VIEWERS),
    "documents:study_cancel": ("GET", lambda w, extra: {"pk": extra["study"].pk}, ORG_EDITORS),
    "documents:study_record": ("POST", lambda w, extra: {"pk": extra["study"].pk}, POST_EDITORS),
    "documents:study_confirm": ("POST", lambda w, extra: {"pk": extra["study"].pk}, frozenset({"member"})),
    "documents:study_unconfirm": ("POST", lambda w, extra: {"pk": extra["study"].pk}, frozenset({"member"})),
    "documents:study_org": ("GET", org("cell_a"), VIEWERS),
    # API v1
    "api-root": ("GET", none, LOGGED_IN),
    "api-schema": ("GET", none, EVERYONE),
    "api-docs": ("GET", none, EVERYONE),
    "api-token": ("POST", none, EVERYONE),
    "organisation-list": ("GET", none, LOGGED_IN),
    "organisation-detail": ("GET", org("cell_a"), VIEWERS),
    "organisation-move": ("POST", org("cell_a"), ORG_EDITORS),
    "organisation-units": ("POST", org("cell_a"), ORG_EDITORS),
    "unit-list": ("GET", none, LOGGED_IN),
    "unit-detail": ("GET", unit("dept_a"), UNIT_VIEWERS),
    "unit-move": ("POST", unit("dept_a"), ORG_EDITORS),
    "position-type-list": ("GET", none, LOGGED_IN),
    "position-type-detail": ("GET", lambda w, extra: {"pk": extra["position"].pk}, LOGGED_IN),
    "appointment-list": ("GET", none, LOGGED_IN),
    "appointment-detail": ("GET", lambda w, extra: {"pk": extra["appointment"].pk}, VIEWERS),
    "member-list": ("GET", none, LOGGED_IN),
    "member-detail": ("GET", lambda w, extra: {"pk": extra["member"].pk}, VIEWERS),
    "member-events": ("GET", lambda w, extra: {"pk": extra["member"].pk}, VIEWERS),
    "member-badges": ("GET", lambda w, extra: {"pk": extra["member"].pk}, VIEWERS),
    "member-statistics": ("GET", none, LOGGED_IN),  # the subtree is a parameter, checked against scope
    "appointment-end": ("POST", lambda w, extra: {"pk": extra["appointment"].pk}, POST_EDITORS),
    "document-list": ("GET", none, LOGGED_IN),
    "document-detail": ("GET", lambda w, extra: {"pk": extra["document"].pk}, VIEWERS),
    "document-chain": ("GET", lambda w, extra: {"pk": extra["document"].pk}, VIEWERS),
    "document-word": ("GET", lambda w, extra: {"pk": extra["document"].pk}, VIEWERS),
    "document-pdf": ("GET", lambda w, extra: {"pk": extra["document"].pk}, VIEWERS),
    "document-next-number": (
        "GET",
        none,
        LOGGED_IN,
    ),  # the organisation is a parameter, checked against scope
    "document-withdraw": ("POST", lambda w, extra: {"pk": extra["document"].pk}, ORG_EDITORS),
    "document-correct": ("POST", lambda w, extra: {"pk": extra["document"].pk}, ORG_EDITORS),
    "document-links": ("POST", lambda w, extra: {"pk": extra["document"].pk}, ORG_EDITORS),
    "document-unlink": ("POST", lambda w, extra: {"pk": extra["document"].pk}, ORG_EDITORS),
    "task-list": ("GET", none, LOGGED_IN),
    "task-summary": ("GET", none, LOGGED_IN),
    "task-detail": ("GET", lambda w, extra: {"pk": extra["task"].pk}, VIEWERS),
    "task-reports": ("POST", lambda w, extra: {"pk": extra["task"].pk}, TASK_REPORTERS),
    "task-reschedule": ("POST", lambda w, extra: {"pk": extra["task"].pk}, ORG_EDITORS),
    "task-cancel": ("POST", lambda w, extra: {"pk": extra["task"].pk}, ORG_EDITORS),
    "study-assignment-list": ("GET", none, LOGGED_IN),
    "study-assignment-detail": ("GET", lambda w, extra: {"pk": extra["study"].pk}, VIEWERS),
    "study-assignment-cancel": ("POST", lambda w, extra: {"pk": extra["study"].pk}, ORG_EDITORS),
    "study-assignment-completion": ("GET", lambda w, extra: {"pk": extra["study"].pk}, VIEWERS),
    "study-assignment-confirm": ("POST", lambda w, extra: {"pk": extra["study"].pk}, frozenset({"member"})),
    "study-assignment-confirmations": ("POST", lambda w, extra: {"pk": extra["study"].pk}, POST_EDITORS),
    "study-assignment-mine": ("GET", none, LOGGED_IN),
    "meeting-quality-list": ("GET", none, MEETING_REPORTERS | {"outsider"}),
    "meeting-quality-members": ("GET", org("cell_a"), MEETING_REPORTERS),
    # Meetings: a meeting of cell A held two hours ago. Only its chair and secretary sign (no role of
    # the fixture is either: tests/meetings/test_views.py signs as them).
    "meetings:list": ("GET", none, TREE_USERS),
    "meetings:create": ("GET", none, POST_EDITORS | {"outsider"}),
    "meetings:detail": ("GET", lambda w, extra: {"pk": extra["meeting"].pk}, VIEWERS),
    "meetings:sign_in_pdf": ("GET", lambda w, extra: {"pk": extra["meeting"].pk}, VIEWERS),
    "meetings:invitation_pdf": ("GET", lambda w, extra: {"pk": extra["meeting"].pk}, VIEWERS),
    "meetings:invite": ("POST", lambda w, extra: {"pk": extra["meeting"].pk}, POST_EDITORS),
    "meetings:attendance": ("POST", lambda w, extra: {"pk": extra["meeting"].pk}, POST_EDITORS),
    "meetings:vote": ("POST", lambda w, extra: {"pk": extra["meeting"].pk}, POST_EDITORS),
    "meetings:guest": ("POST", lambda w, extra: {"pk": extra["meeting"].pk}, POST_EDITORS),
    "meetings:agenda": ("POST", lambda w, extra: {"pk": extra["meeting"].pk}, POST_EDITORS),
    "meetings:minutes": ("GET", lambda w, extra: {"pk": extra["meeting"].pk}, POST_EDITORS),
    "meetings:cancel": ("GET", lambda w, extra: {"pk": extra["meeting"].pk}, POST_EDITORS),
    "meetings:sign": ("POST", lambda w, extra: {"pk": extra["meeting"].pk}, frozenset()),
    "meetings:addendum": ("POST", lambda w, extra: {"pk": extra["meeting"].pk}, frozenset()),
    # The handbook: one's own pages for every login; the meeting for whoever is summoned or may read
    # it; one's notification, note and opinion only for oneself (and the opinion for the committee
    # office above the cell); correction requests for those who keep the records.
    "handbook:home": ("GET", none, LOGGED_IN),
    "handbook:record": ("GET", none, LOGGED_IN),
    "handbook:cell": ("GET", none, LOGGED_IN),
    "handbook:meetings": ("GET", none, LOGGED_IN),
    "handbook:meeting": ("GET", lambda w, extra: {"pk": extra["meeting"].pk}, VIEWERS),
    "handbook:meeting_note": ("POST", lambda w, extra: {"pk": extra["meeting"].pk}, VIEWERS),
    "handbook:notifications": ("GET", none, LOGGED_IN),
    "handbook:notification_open": (
        "POST",
        lambda w, extra: {"pk": extra["notification"].pk},
        frozenset({"member"}),
    ),
    "handbook:bookmarks": ("GET", none, LOGGED_IN),
    "handbook:bookmark_toggle": ("POST", none, LOGGED_IN),
    "handbook:notes": ("GET", none, LOGGED_IN),
    "handbook:note_edit": ("GET", lambda w, extra: {"pk": extra["note"].pk}, frozenset({"member"})),
    "handbook:opinions": ("GET", none, LOGGED_IN),
    "handbook:opinion": (
        "GET",
        lambda w, extra: {"pk": extra["opinion"].pk},
        frozenset({"member", "office"}),
    ),
    "handbook:display": ("GET", none, LOGGED_IN),
    "handbook:opinions_inbox": ("GET", none, frozenset({"office", "outsider"})),
    "handbook:corrections": ("GET", none, POST_EDITORS | {"outsider"}),
    "handbook:correction_handle": ("POST", lambda w, extra: {"pk": extra["correction"].pk}, POST_EDITORS),
    # The minutes as Word and PDF: another meeting of cell A whose minutes are a draft, which only
    # those who write them see (as on the meeting's page); sealed minutes go to every viewer of the
    # meeting (tests/meetings/test_export.py).
    "meetings:minutes_word": ("GET", lambda w, extra: {"pk": extra["minuted"].pk}, POST_EDITORS),
    "meetings:minutes_pdf": ("GET", lambda w, extra: {"pk": extra["minuted"].pk}, POST_EDITORS),
    # Meeting quality: the list is scoped (the outsider reports on their own cells); cell A's page.
    # The handbook's API: one's own rows for every login; an opinion for its sender and the office above.
    "handbook-notification-list": ("GET", none, LOGGED_IN),
    "handbook-notification-read": ("POST", none, LOGGED_IN),
    "handbook-meeting-list": ("GET", none, LOGGED_IN),
    "handbook-opinion-list": ("GET", none, LOGGED_IN),
    "handbook-opinion-detail": (
        "GET",
        lambda w, extra: {"pk": extra["opinion"].pk},
        frozenset({"member", "office"}),
    ),
    "handbook-opinion-answer": ("POST", lambda w, extra: {"pk": extra["opinion"].pk}, frozenset({"office"})),
    "handbook-correction-list": ("GET", none, LOGGED_IN),
    "meetings:quality": ("GET", none, MEETING_REPORTERS | {"outsider"}),
    "meetings:quality_cell": ("GET", org("cell_a"), MEETING_REPORTERS),
    "meetings:ics": ("GET", lambda w, extra: {"pk": extra["meeting"].pk}, VIEWERS),
    "meetings:calendar": ("GET", none, LOGGED_IN),
    # The feed's signed token is the credential (calendar apps cannot log in): anyone holding it.
    "meetings:calendar_feed": ("GET", lambda w, extra: {"token": feed_token(w.users["member"])}, EVERYONE),
    # API v1 for meetings. "minuted" has draft minutes and one agenda item with a vote on it: removing
    # either is refused with a 400 once the permission check has passed.
    "meeting-list": ("GET", none, LOGGED_IN),
    "meeting-detail": ("GET", lambda w, extra: {"pk": extra["minuted"].pk}, VIEWERS),
    "meeting-cancel": ("POST", lambda w, extra: {"pk": extra["meeting"].pk}, POST_EDITORS),
    "meeting-attendance": ("POST", lambda w, extra: {"pk": extra["meeting"].pk}, POST_EDITORS),
    "meeting-votes": ("POST", lambda w, extra: {"pk": extra["meeting"].pk}, POST_EDITORS),
    "meeting-vote": (
        "DELETE",
        lambda w, extra: {"pk": extra["minuted"].pk, "vote_id": extra["vote"].pk},
        POST_EDITORS,
    ),
    "meeting-agenda": ("POST", lambda w, extra: {"pk": extra["meeting"].pk}, POST_EDITORS),
    "meeting-agenda-item": (
        "DELETE",
        lambda w, extra: {"pk": extra["minuted"].pk, "item_id": extra["vote"].agenda_item_id},
        POST_EDITORS,
    ),
    "meeting-guests": ("POST", lambda w, extra: {"pk": extra["meeting"].pk}, POST_EDITORS),
    "meeting-minutes": ("GET", lambda w, extra: {"pk": extra["minuted"].pk}, POST_EDITORS),  # a draft
    "meeting-minutes-sign": ("POST", lambda w, extra: {"pk": extra["meeting"].pk}, frozenset()),
    "meeting-minutes-addenda": ("POST", lambda w, extra: {"pk": extra["meeting"].pk}, frozenset()),
    # Emulation: "movement" is scoring cell B's approved registration; its council is the login with
    # no role in the tree ("norole": a seat on a council is its own credential); "published" is a
    # round closed and published; "draft_set" a draft criteria set.
    "emulation:list": ("GET", none, TREE_USERS | {"norole"}),
    "emulation:create": ("GET", none, EMULATION_MANAGERS),
    "emulation:detail": ("GET", lambda w, extra: {"pk": extra["movement"].pk}, VIEWERS | {"norole"}),
    "emulation:model_add": ("POST", lambda w, extra: {"pk": extra["movement"].pk}, EMULATION_MANAGERS),
    "emulation:council_add": ("POST", lambda w, extra: {"pk": extra["movement"].pk}, EMULATION_MANAGERS),
    "emulation:delegate_add": ("POST", lambda w, extra: {"pk": extra["movement"].pk}, EMULATION_MANAGERS),
    "emulation:advance": ("POST", lambda w, extra: {"pk": extra["movement"].pk}, EMULATION_MANAGERS),
    "emulation:register": (
        "POST",
        lambda w, extra: {"pk": extra["movement"].pk},
        frozenset({"secretary", "office", "emulation", "sysadmin"}),
    ),
    "emulation:results": ("GET", lambda w, extra: {"pk": extra["published"].pk}, VIEWERS | {"norole"}),
    "emulation:registration": (
        "GET",
        lambda w, extra: {"pk": extra["registration"].pk},
        CELL_B_ENTRY | {"norole"},
    ),
    "emulation:self_score": ("POST", lambda w, extra: {"pk": extra["registration"].pk}, CELL_B_ENTRY),
    "emulation:council_score": (
        "POST",
        lambda w, extra: {"pk": extra["registration"].pk},
        frozenset({"norole"}),
    ),
    "emulation:decide": ("POST", lambda w, extra: {"pk": extra["registration"].pk}, EMULATION_MANAGERS),
    "emulation:exemplar": ("POST", lambda w, extra: {"pk": extra["registration"].pk}, EMULATION_MANAGERS),
    # Withdrawing: whoever registers for cell B (the service then refuses: it is already approved).
    "emulation:withdraw": (
        "POST",
        lambda w, extra: {"pk": extra["registration"].pk},
        frozenset({"office", "emulation", "sysadmin"}),
    ),
    "emulation:council_remove": (
        "POST",
        lambda w, extra: {"pk": extra["movement"].council.get().pk},
        EMULATION_MANAGERS,
    ),
    "emulation:delegate_remove": (
        "POST",
        # A delegate of the published round: the service refuses, so it is still there for the next role.
        lambda w, extra: {
            "pk": Delegate.objects.create(
                movement=extra["published"], unit=w.dept_a, user=w.users["norole"]
            ).pk
        },
        EMULATION_MANAGERS,
    ),
    "emulation:criteria_list": ("GET", none, TREE_USERS),
    "emulation:criteria_new": ("GET", none, EMULATION_MANAGERS),
    "emulation:criteria": ("GET", lambda w, extra: {"pk": extra["draft_set"].pk}, VIEWERS),
    "emulation:criteria_edit": ("GET", lambda w, extra: {"pk": extra["draft_set"].pk}, EMULATION_MANAGERS),
    "emulation:criteria_publish": (
        "POST",
        lambda w, extra: {"pk": extra["draft_set"].pk},
        EMULATION_MANAGERS,
    ),
    "evaluation:list": ("GET", none, TREE_USERS),
    "evaluation:create": ("GET", none, EVALUATION_DECIDERS | {"outsider"}),
    "evaluation:detail": ("GET", lambda w, extra: {"pk": extra["evaluation"].pk}, VIEWERS),
    "evaluation:advance": ("POST", lambda w, extra: {"pk": extra["evaluation"].pk}, EVALUATION_DECIDERS),
    "evaluation:mine": ("GET", lambda w, extra: {"pk": extra["evaluation"].pk}, frozenset({"member"})),
    "evaluation:propose": (
        "GET",
        lambda w, extra: {"pk": extra["evaluation"].pk, "org": w.cell_a.pk},
        frozenset({"secretary", "sysadmin"}),
    ),
    "evaluation:decide": ("GET", lambda w, extra: {"pk": extra["evaluation"].pk}, EVALUATION_DECIDERS),
    "evaluation:results": ("GET", lambda w, extra: {"pk": extra["evaluation"].pk}, EVALUATION_DECIDERS),
    "evaluation:assessment": ("GET", lambda w, extra: {"pk": extra["assessment"].pk}, EVALUATION_READERS),
    "evaluation:word": ("GET", lambda w, extra: {"pk": extra["assessment"].pk}, EVALUATION_READERS),
    "evaluation-round-list": ("GET", none, LOGGED_IN),
    "evaluation-round-detail": ("GET", lambda w, extra: {"pk": extra["evaluation"].pk}, VIEWERS),
    "evaluation-round-advance": (
        "POST",
        lambda w, extra: {"pk": extra["evaluation"].pk},
        EVALUATION_DECIDERS,
    ),
    "evaluation-assessment-list": ("GET", none, LOGGED_IN),
    "evaluation-assessment-detail": (
        "GET",
        lambda w, extra: {"pk": extra["assessment"].pk},
        EVALUATION_READERS,
    ),
    # An empty body passes the permission check and is refused with 400.
    "evaluation-assessment-self-assessment": (
        "POST",
        lambda w, extra: {"pk": extra["assessment"].pk},
        frozenset({"member"}),
    ),
    "evaluation-assessment-propose": (
        "POST",
        lambda w, extra: {"pk": extra["assessment"].pk},
        frozenset({"secretary", "sysadmin"}),
    ),
    "evaluation-assessment-decide": (
        "POST",
        lambda w, extra: {"pk": extra["assessment"].pk},
        EVALUATION_DECIDERS,
    ),
    # API v1 for emulation: the same fixtures as the pages above, the same roles.
    "emulation-criteria-set-list": ("GET", none, LOGGED_IN),
    "emulation-criteria-set-detail": ("GET", lambda w, extra: {"pk": extra["draft_set"].pk}, VIEWERS),
    "emulation-criteria-set-publish": (
        "POST",
        lambda w, extra: {"pk": extra["draft_set"].pk},
        EMULATION_MANAGERS,
    ),
    "emulation-criteria-set-new-version": (
        "POST",
        lambda w, extra: {"pk": extra["draft_set"].pk},
        EMULATION_MANAGERS,
    ),
    "emulation-movement-list": ("GET", none, LOGGED_IN),
    "emulation-movement-detail": ("GET", lambda w, extra: {"pk": extra["movement"].pk}, VIEWERS | {"norole"}),
    "emulation-movement-advance": ("POST", lambda w, extra: {"pk": extra["movement"].pk}, EMULATION_MANAGERS),
    "emulation-movement-models": ("POST", lambda w, extra: {"pk": extra["movement"].pk}, EMULATION_MANAGERS),
    "emulation-movement-council": ("POST", lambda w, extra: {"pk": extra["movement"].pk}, EMULATION_MANAGERS),
    "emulation-movement-delegates": (
        "POST",
        lambda w, extra: {"pk": extra["movement"].pk},
        EMULATION_MANAGERS,
    ),
    "emulation-movement-results": (
        "GET",
        lambda w, extra: {"pk": extra["published"].pk},
        VIEWERS | {"norole"},
    ),
    "emulation-registration-list": ("GET", none, LOGGED_IN),
    "emulation-registration-detail": (
        "GET",
        lambda w, extra: {"pk": extra["registration"].pk},
        CELL_B_ENTRY | {"norole"},
    ),
    "emulation-registration-approve": (
        "POST",
        lambda w, extra: {"pk": extra["registration"].pk},
        EMULATION_MANAGERS,
    ),
    "emulation-registration-reject": (
        "POST",
        lambda w, extra: {"pk": extra["registration"].pk},
        EMULATION_MANAGERS,
    ),
    "emulation-registration-self-scores": (
        "POST",
        lambda w, extra: {"pk": extra["registration"].pk},
        CELL_B_ENTRY,
    ),
    "emulation-registration-council-scores": (
        "POST",
        lambda w, extra: {"pk": extra["registration"].pk},
        frozenset({"norole"}),
    ),
    "emulation-registration-withdraw": (
        "POST",
        lambda w, extra: {"pk": extra["registration"].pk},
        frozenset({"office", "emulation", "sysadmin"}),
    ),
    "emulation-registration-exemplar": (
        "POST",
        lambda w, extra: {"pk": extra["registration"].pk},
        EMULATION_MANAGERS,
    ),
    # Awards: "award" is a Giấy khen given to the person of cell A under a decision kept by the Tổng
    # công ty (readable where the award is); "proposal" proposes them for 2025 (proposed by cell A).
    "awards:list": ("GET", none, TREE_USERS),
    "awards:catalogue": ("GET", none, TREE_USERS),
    "awards:statistics": ("GET", none, TREE_USERS),
    "awards:proposals": ("GET", none, TREE_USERS),
    "awards:decisions": ("GET", none, TREE_USERS),
    "awards:decision_create": ("GET", none, EMULATION_MANAGERS),
    "awards:proposal_create": (
        "GET",
        lambda w, extra: {"kind": "person", "pk": extra["person"].pk},
        frozenset({"secretary", "office", "emulation", "sysadmin"}),
    ),
    "awards:proposal": ("GET", lambda w, extra: {"pk": extra["proposal"].pk}, VIEWERS),
    "awards:proposal_transition": ("POST", lambda w, extra: {"pk": extra["proposal"].pk}, EMULATION_MANAGERS),
    "awards:decision": ("GET", lambda w, extra: {"pk": extra["award"].decision_id}, VIEWERS),
    "awards:certificate": ("GET", lambda w, extra: {"pk": extra["award"].pk}, VIEWERS),
    "awards:person": ("GET", lambda w, extra: {"pk": extra["person"].pk}, VIEWERS),
    "awards:organisation": ("GET", org("cell_a"), VIEWERS),
    "awards:unit": ("GET", unit("dept_a"), VIEWERS),
    "award-kind-list": ("GET", none, LOGGED_IN),
    "award-kind-detail": ("GET", lambda w, extra: {"pk": extra["award"].award_type_id}, LOGGED_IN),
    "award-list": ("GET", none, LOGGED_IN),
    "award-detail": ("GET", lambda w, extra: {"pk": extra["award"].pk}, VIEWERS),
    "award-proposal-list": ("GET", none, LOGGED_IN),
    "award-proposal-detail": ("GET", lambda w, extra: {"pk": extra["proposal"].pk}, VIEWERS),
    "award-proposal-transition": ("POST", lambda w, extra: {"pk": extra["proposal"].pk}, EMULATION_MANAGERS),
    "award-decision-list": ("GET", none, LOGGED_IN),
    "award-decision-detail": ("GET", lambda w, extra: {"pk": extra["award"].decision_id}, VIEWERS),
}


def _route_names(patterns: list[Any], namespace: str = "") -> list[str]:
    names: list[str] = []
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
            names += _route_names(p.url_patterns, ns)
        elif isinstance(p, URLPattern):
            names.append(f"{namespace}{p.name}" if p.name else f"<unnamed {p.pattern}>")
    return names


def test_every_route_is_in_the_matrix():
    routes = set(_route_names(get_resolver().url_patterns))
    assert routes - set(MATRIX) == set(), "new routes need a permission-matrix entry"
    assert set(MATRIX) - routes == set(), "matrix names a route that no longer exists"


class Extras(dict):
    """The objects the routes need, in groups (a group is built with the base it needs, once)."""

    def __init__(self, world: World, position: Any) -> None:
        super().__init__()
        self.world, self.position = world, position
        self.built: set[str] = set()

    GROUPS = {
        "base": (
            "person",
            "appointment",
            "position",
            "role",
            "member",
            "document",
            "task",
            "evidence",
            "link",
            "study",
            "job",
        ),
        "meetings": ("meeting", "minuted", "vote"),
        "handbook": ("notification", "note", "opinion", "correction"),
        "emulation": ("draft_set", "published", "movement", "registration"),
        "evaluation": ("evaluation", "assessment"),
        "awards": ("award", "proposal"),
    }

    def __missing__(self, key: str) -> Any:
        group = next((g for g, keys in self.GROUPS.items() if key in keys), None)
        if group is None:
            raise KeyError(key)
        self.build(group)
        return dict.__getitem__(self, key)

    def build(self, group: str) -> None:
        if group in self.built:
            return
        if group != "base":
            self.build("base")
        self.built.add(group)
        self.update(getattr(self, f"_{group}")())

    def build_all(self) -> Extras:
        for group in self.GROUPS:
            self.build(group)
        return self

    def _base(self) -> dict[str, Any]:
        world, position = self.world, self.position
        person = services.person_create(actor=None, full_name="Phạm Văn Mẫu", organisation=world.cell_a)
        appointment = services.appointment_create(
            actor=None,
            person=person,
            position=position("bi-thu"),
            organisation=world.cell_a,
            starts_on=dt.date(2025, 1, 1),
        )
        role = world.users["member"].role_assignments.get()
        member = member_admit(
            actor=None,
            person=person,
            organisation=world.cell_a,
            admitted_on=dt.date(2024, 1, 1),
            national_id="001090000001",
        )
        document = document_services.document_register(
            actor=None,
            organisation=world.tct,
            own=False,
            symbol="09-CTr/ĐUK",
            issued_on=dt.date(2021, 11, 11),
            summary="Chương trình hành động",
            body="Thực hiện Chỉ thị số 03-CT/TW, ngày 19/5/2021",
            file=SimpleUploadedFile("ctr.pdf", b"%PDF-1.4 demo"),
        )
        [task] = tasks.task_create(
            actor=None,
            document=document,
            title="Số hóa hồ sơ",
            assignees=[world.cell_a],
            start_on=dt.date(2022, 1, 1),
            due_on=dt.date(2022, 12, 31),
        )
        report = tasks.task_report(
            actor=None,
            task=task,
            reported_on=dt.date(2022, 6, 1),
            percent=50,
            evidence=[SimpleUploadedFile("bb.pdf", b"%PDF-1.4 bien ban")],
        )
        services.person_link_user(actor=None, person=person, user=world.users["member"])
        assignment = study.study_assign(
            actor=None,
            document=document,
            organisation=world.tct,
            start_on=timezone.localdate(),
            due_on=timezone.localdate() + dt.timedelta(days=30),
        )
        counts.bring_up_to(timezone.localdate())  # as the nightly `dangbo counts` keeps them
        return {
            "document": document,
            "task": task,
            "evidence": report.evidence.get(),
            "study": assignment,
            "link": document.links_out.get(),
            "person": person,
            "appointment": appointment,
            "position": position("bi-thu"),
            "role": role,
            "member": member,
            "job": ImportJob.objects.create(
                organisation=world.cell_a, file_name="so.csv", state="done", report={}
            ),
        }

    def _meetings(self) -> dict[str, Any]:
        world = self.world
        meeting = meeting_services.meeting_plan(
            actor=None,
            organisation=world.cell_a,
            held=True,
            data=meeting_services.MeetingInput(
                kind="cell_regular", starts_at=timezone.now() - dt.timedelta(hours=2)
            ),
        )
        # A second meeting of cell A, with draft minutes and one agenda item with a vote on it.
        minuted = meeting_services.meeting_plan(
            actor=None,
            organisation=world.cell_a,
            held=True,
            data=meeting_services.MeetingInput(
                kind="cell_thematic", topic="Chuyển đổi số", starts_at=timezone.now() - dt.timedelta(hours=3)
            ),
        )
        item = meeting_services.agenda_add(actor=None, meeting=minuted, title="Thông qua nghị quyết")
        vote = Vote.objects.create(  # as recorded (no full member here to record it through the service)
            meeting=minuted,
            agenda_item=item,
            subject="Thông qua nghị quyết",
            matter="resolution",
            rule="majority",
            voters=1,
            present=1,
            yes=1,
            no=0,
            abstain=0,
            required=1,
            passed=True,
        )
        meeting_services.minutes_save(
            actor=None,
            meeting=minuted,
            data=meeting_services.MinutesInput(
                opened_at=minuted.starts_at, closed_at=None, proceedings="Khai mạc."
            ),
        )
        return {"meeting": meeting, "minuted": minuted, "vote": vote}

    def _handbook(self) -> dict[str, Any]:
        member_user = self.world.users["member"]
        return {
            "notification": handbook_services.notify(
                [member_user], kind="meeting_invite", title="Giấy mời", email=False
            )[0],
            "note": handbook_services.note_save(actor=member_user, text="Ghi chú riêng"),
            "opinion": handbook_services.opinion_send(actor=member_user, subject="Góp ý", text="Nội dung"),
            "correction": handbook_services.correction_request(
                actor=member_user, field="hometown", requested_value="Hà Nam"
            ),
        }

    def _emulation(self) -> dict[str, Any]:
        return _emulation(self.world)

    def _evaluation(self) -> dict[str, Any]:
        evaluation = evaluation_services.round_open(actor=None, organisation=self.world.grassroots, year=2025)
        return {"evaluation": evaluation, "assessment": evaluation.assessments.get(person=self["person"])}

    def _awards(self) -> dict[str, Any]:
        return _awards(self.world, self["person"])


@pytest.fixture(scope="module")
def matrix_media(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("matrix-media")


@pytest.fixture(autouse=True)
def _media_in_tmp(settings: Any, matrix_media: Path) -> None:
    # The files attached once for the module (conftest's own fixture gives each test a new folder).
    settings.MEDIA_ROOT = matrix_media


@pytest.fixture(scope="module")
def matrix(
    django_db_setup: Any, django_db_blocker: Any, matrix_media: Path
) -> Iterator[tuple[World, Extras, dict[str, str]]]:
    """The world, every object the routes need and a session per role, built once for the module in
    a transaction rolled back at its end; each test runs in a savepoint of it (as Django's
    setUpTestData), so what one test's request changes is gone before the next."""
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=matrix_media):
        outer = transaction.atomic()
        outer.__enter__()
        try:
            world = build_world()
            extras = Extras(world, lambda code: PositionType.objects.get(code=code)).build_all()
            sessions = {}
            for role in ROLES[1:]:
                client = Client()
                client.force_login(get_user_model().objects.get(username=role))
                sessions[role] = client.cookies[settings.SESSION_COOKIE_NAME].value
            yield world, extras, sessions
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


def _emulation(world: World) -> dict[str, Any]:
    from decimal import Decimal

    rows = [
        emulation_services.CriterionRow("1", "Doanh thu", Decimal(60)),
        emulation_services.CriterionRow("2", "Tuyên truyền", Decimal(40)),
    ]
    save, advance = emulation_services.criteria_set_save, emulation_services.movement_advance
    criteria = emulation_services.criteria_set_publish(
        actor=None, criteria_set=save(actor=None, organisation=world.tct, name="Bộ tiêu chí", rows=rows)
    )
    draft_set = save(actor=None, organisation=world.tct, name="Bộ tiêu chí nháp", rows=rows)
    found: dict[str, Any] = {"draft_set": draft_set}
    for name in ("published", "movement"):
        movement = emulation_services.movement_create(
            actor=None,
            organisation=world.tct,
            data=emulation_services.MovementInput(
                name=f"Dân vận khéo ({name})", starts_on=dt.date(2024, 1, 1), ends_on=dt.date(2024, 12, 31)
            ),
        )
        model = emulation_services.model_add(
            actor=None,
            movement=movement,
            data=emulation_services.ModelInput(name="Mô hình 1", field="economy", criteria_set=criteria),
        )
        advance(actor=None, movement=movement)
        registration = emulation_services.register(actor=None, model=model, organisation=world.cell_b)
        emulation_services.registration_decide(actor=None, registration=registration, approve=True)
        emulation_services.council_add(actor=None, movement=movement, user=world.users["norole"], chair=True)
        advance(actor=None, movement=movement)
        if name == "published":
            advance(actor=None, movement=advance(actor=None, movement=movement))
        found[name] = movement
        found["registration"] = registration
    return found


def _awards(world: World, person: Any) -> dict[str, Any]:
    from dangbo.awards import services as award_services
    from dangbo.awards.models import AwardType

    decision = award_services.decision_register(
        actor=None,
        organisation=world.tct,
        data=award_services.DecisionInput(
            number="12/QĐ-TCT",
            signed_on=dt.date(2025, 1, 10),
            issuer="Tổng Giám đốc",
            issuer_level="co_so",
            year=2024,
        ),
        entries=[award_services.AwardEntry(AwardType.objects.get(code="GK"), person)],
    )
    proposal = award_services.proposal_create(
        actor=None,
        proposer=world.cell_a,
        subject=person,
        data=award_services.ProposalInput(
            award_type=AwardType.objects.get(code="GK"), year=2025, achievements="Xuất sắc"
        ),
    )
    return {"award": decision.awards.get(), "proposal": proposal}


def _client(role: str, sessions: dict[str, str]) -> Client:
    """A client with the role's session (a fresh one each time: a request may log it out)."""
    client = Client()
    if role != "anon":
        client.cookies[settings.SESSION_COOKIE_NAME] = sessions[role]
    return client


def _allowed(status: int, location: str, role: str, api: bool) -> bool:
    if status in (401, 403, 404):
        return False
    if status == 302 and "/dang-nhap/" in location and role == "anon":
        return False
    return status in (200, 201, 204, 301, 302, 400)


@pytest.fixture(scope="module")
def hidden_identity_numbers(matrix: Any, django_db_blocker: Any) -> dict[str, frozenset[str]]:
    """For each role, the full identity numbers (CCCD) of the fixture it may not see: those of the
    members it does not hold IDENTITY_VIEW over (security test 2026-12, H2)."""
    with django_db_blocker.unblock():
        members = list(PartyMember.objects.exclude(national_id=None))
        users = {user.username: user for user in get_user_model().objects.filter(username__in=ROLES)}
        hidden = {
            role: frozenset(
                m.national_id
                for m in members
                if role not in users or not allowed(users[role], Perm.IDENTITY_VIEW, m)
            )
            for role in ROLES
        }
    assert hidden["secretary"] and hidden["anon"], "the fixture needs identity numbers to look for"
    assert not hidden["office"], "the office may see every number of the fixture"
    return hidden


def _body_text(response: Any) -> str:
    """What a response carries, readable: a page or JSON as text, the parts of a zip (.xlsx, .docx)
    unpacked, a PDF's extracted text besides its bytes."""
    raw = b"".join(response.streaming_content) if response.streaming else response.content
    if raw[:4] == b"PK\x03\x04":
        with zipfile.ZipFile(io.BytesIO(raw)) as packed:
            raw = b"".join(packed.read(name) for name in packed.namelist())
    elif raw[:5] == b"%PDF-":
        try:
            extracted = "".join(page.extract_text() for page in PdfReader(io.BytesIO(raw)).pages)
        except (PdfReadError, ValueError):
            extracted = ""  # an uploaded stand-in, not a real PDF
        return extracted + raw.decode("latin-1")
    return raw.decode("utf-8", "replace")


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_route_allows_exactly_the_roles_in_the_matrix(name, matrix, hidden_identity_numbers, db):
    """… and no response carries a full identity number to a role that may not see it."""
    world, extras, sessions = matrix
    method, target, allowed_roles = MATRIX[name]
    url = reverse(name, kwargs=target(world, extras))
    mismatches, leaks = [], []
    for role in ROLES:
        client = _client(role, sessions)
        response = {"POST": client.post, "DELETE": client.delete}.get(method, client.get)(url, {})
        got = _allowed(response.status_code, response.get("Location", ""), role, name.startswith("api"))
        if got != (role in allowed_roles):
            mismatches.append(f"{role}: HTTP {response.status_code} ({'allowed' if got else 'denied'})")
        body = _body_text(response)
        leaks += [f"{role}: {number}" for number in sorted(hidden_identity_numbers[role]) if number in body]
    assert mismatches == [], f"{method} {url}"
    assert leaks == [], f"{method} {url} shows full identity numbers"


# Downloads are files, not pages: their query count is asserted not to grow with the rows instead
# (tests/members/test_views.py).
DOWNLOADS = {
    "members:export_csv",
    "members:export_xlsx",
    "members:register_pdf",
    "members:badges_pdf",
    "members:import_template",
    "documents:file",
    "documents:evidence",
    "documents:word",
    "documents:pdf",
    "meetings:minutes_word",
    "meetings:minutes_pdf",
    "meetings:sign_in_pdf",
    "meetings:invitation_pdf",
    "meetings:ics",
    "meetings:calendar_feed",
    "evaluation:word",
    "awards:certificate",
}


@pytest.mark.parametrize(
    "name", sorted(n for n, (method, _, _) in MATRIX.items() if method == "GET" and n not in DOWNLOADS)
)
def test_every_page_needs_at_most_ten_queries(name, matrix, db, django_assert_max_num_queries):
    world, extras, sessions = matrix
    _method, target, allowed_roles = MATRIX[name]
    role = next(r for r in ("office", "sysadmin", "secretary", "member", "anon") if r in allowed_roles)
    url = reverse(name, kwargs=target(world, extras))
    client = _client(role, sessions)
    with django_assert_max_num_queries(10):
        response = client.get(url)
    assert response.status_code in (200, 301, 302, 400)  # 400: a list that needs a parameter
