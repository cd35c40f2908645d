"""Roles and what they may do. Pure data: a role assignment on an organisation grants these
permissions over that organisation's whole subtree (and the business units it leads)."""

from __future__ import annotations

from enum import StrEnum


class Perm(StrEnum):
    ORG_VIEW = "org.view"
    ORG_CHANGE = "org.change"
    UNIT_VIEW = "unit.view"
    UNIT_CHANGE = "unit.change"
    PERSON_VIEW = "person.view"
    PERSON_CHANGE = "person.change"
    POSITION_CHANGE = "position.change"
    AUDIT_VIEW = "audit.view"
    IDENTITY_VIEW = "identity.view"  # full citizen identity numbers (each view is logged)
    ROLE_MANAGE = "role.manage"
    # Documents: ordinary ones are read in the organisation that keeps them, its subtree and the
    # organisations below (scope(..., upward=True)); confidential ones (mật, tối mật, tuyệt mật)
    # only by those who need them, in the keeping organisation and above (docs/decisions.md).
    DOCUMENT_VIEW = "document.view"
    DOCUMENT_SECRET_VIEW = "document.secret_view"
    DOCUMENT_CHANGE = "document.change"  # register, number, link, withdraw; set tasks, assign study
    # Report progress on the tasks assigned to an organisation or unit of one's subtree (the task's
    # person in charge may always report on it).
    TASK_REPORT = "task.report"
    # Meetings: read the meetings of one's organisations (members: their cell's), and plan them,
    # record attendance and votes, draft the minutes (the chair and the secretary sign them).
    MEETING_VIEW = "meeting.view"
    MEETING_MANAGE = "meeting.manage"
    # Read and answer the opinions (góp ý) members of the cells below send to the committee.
    OPINION_ANSWER = "opinion.answer"
    # Read the meeting-quality figures of one's organisations (each cell's, the roll-ups above) and
    # the attendance of each member of a cell with the absence flags (Điều lệ Điều 8 k2).
    MEETING_REPORT = "meeting.report"
    # Emulation: read the movements of one's organisations and of those above (their published
    # results are public to everyone in the movement's reach) …
    EMULATION_VIEW = "emulation.view"
    # … register one's organisation or unit for a model and score it (self-assessment) …
    EMULATION_ENTRY = "emulation.entry"
    # … and run movements: criteria sets, models, the council, approving registrations, closing
    # and publishing the round (the council members score by their seat on the council).
    EMULATION_MANAGE = "emulation.manage"
    # Annual quality evaluation (366-QĐ/TW): read the rounds of one's organisations and of those
    # above (a member's own self-assessment needs no permission: their person record is the
    # credential) …
    EVALUATION_VIEW = "evaluation.view"
    # … propose a level for each member of one's cell, and self-assess the cell as a collective …
    EVALUATION_PROPOSE = "evaluation.propose"
    # … and, for the deciding committee, open and advance rounds and decide the levels.
    EVALUATION_DECIDE = "evaluation.decide"


class Role(StrEnum):
    MEMBER = "member"
    CELL_SECRETARY = "cell_secretary"
    COMMITTEE_OFFICE = "committee_office"
    INSPECTION = "inspection"
    EMULATION = "emulation"
    LEADER = "leader"
    SYSADMIN = "sysadmin"


_READ = frozenset(
    {
        Perm.ORG_VIEW,
        Perm.UNIT_VIEW,
        Perm.PERSON_VIEW,
        Perm.DOCUMENT_VIEW,
        Perm.MEETING_VIEW,
        Perm.MEETING_REPORT,
        Perm.EMULATION_VIEW,
        Perm.EVALUATION_VIEW,
    }
)

ROLE_PERMISSIONS: dict[Role, frozenset[Perm]] = {
    Role.MEMBER: frozenset(
        {
            Perm.ORG_VIEW,
            Perm.PERSON_VIEW,
            Perm.DOCUMENT_VIEW,
            Perm.MEETING_VIEW,
            Perm.EMULATION_VIEW,
            Perm.EVALUATION_VIEW,
        }
    ),
    Role.CELL_SECRETARY: _READ
    | {
        Perm.POSITION_CHANGE,
        Perm.PERSON_CHANGE,
        Perm.AUDIT_VIEW,
        Perm.TASK_REPORT,
        Perm.MEETING_MANAGE,
        Perm.EMULATION_ENTRY,
        Perm.EVALUATION_PROPOSE,
    },
    Role.COMMITTEE_OFFICE: _READ
    | {
        Perm.ORG_CHANGE,
        Perm.UNIT_CHANGE,
        Perm.PERSON_CHANGE,
        Perm.POSITION_CHANGE,
        Perm.AUDIT_VIEW,
        Perm.IDENTITY_VIEW,
        Perm.DOCUMENT_SECRET_VIEW,
        Perm.DOCUMENT_CHANGE,
        Perm.TASK_REPORT,
        Perm.MEETING_MANAGE,
        Perm.OPINION_ANSWER,
        Perm.EMULATION_ENTRY,
        Perm.EVALUATION_DECIDE,
    },
    Role.INSPECTION: _READ | {Perm.AUDIT_VIEW, Perm.IDENTITY_VIEW, Perm.DOCUMENT_SECRET_VIEW},
    Role.EMULATION: _READ | {Perm.EMULATION_ENTRY, Perm.EMULATION_MANAGE},
    Role.LEADER: _READ
    | {Perm.AUDIT_VIEW, Perm.DOCUMENT_SECRET_VIEW, Perm.TASK_REPORT, Perm.EVALUATION_DECIDE},
    # Administrators run the system; they do not need to read confidential documents, nor the
    # opinions members send to their committee.
    Role.SYSADMIN: frozenset(Perm) - {Perm.DOCUMENT_SECRET_VIEW, Perm.OPINION_ANSWER},
}


def permissions_of(role: str) -> frozenset[Perm]:
    return ROLE_PERMISSIONS[Role(role)]
