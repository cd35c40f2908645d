"""Translated labels for the codes defined in `dangbo.rules` (the rules layer has no Django)."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from dangbo.rules.orgs import OrgKind, UnitKind
from dangbo.rules.roles import Perm, Role

ORG_KIND_LABELS = {
    OrgKind.BLOC: _("Bloc party organisation"),
    OrgKind.UPPER: _("Upper-grassroots party organisation"),
    OrgKind.GRASSROOTS: _("Grassroots party organisation"),
    OrgKind.PARTIAL: _("Partial party organisation"),
    OrgKind.GRASSROOTS_CELL: _("Grassroots party cell"),
    OrgKind.CELL: _("Subordinate party cell"),
}

UNIT_KIND_LABELS = {
    UnitKind.CORPORATION: _("Corporation"),
    UnitKind.HEAD_OFFICE: _("Head office"),
    UnitKind.DEPARTMENT: _("Department"),
    UnitKind.SUBSIDIARY: _("Subsidiary company"),
    UnitKind.PROVINCIAL: _("Provincial post office"),
    UnitKind.POST_OFFICE: _("Post office"),
}

ROLE_LABELS = {
    Role.MEMBER: _("Party member"),
    Role.CELL_SECRETARY: _("Cell secretary"),
    Role.COMMITTEE_OFFICE: _("Committee office"),
    Role.INSPECTION: _("Inspection commission"),
    Role.EMULATION: _("Emulation council"),
    Role.LEADER: _("Leader"),
    Role.SYSADMIN: _("System administrator"),
}

# What each permission lets its holder do, as a refusal names it ("… rights you do not hold: …").
PERM_LABELS = {
    Perm.ORG_VIEW: pgettext_lazy("permission", "see party organisations"),
    Perm.ORG_CHANGE: pgettext_lazy("permission", "change party organisations"),
    Perm.UNIT_VIEW: pgettext_lazy("permission", "see business units"),
    Perm.UNIT_CHANGE: pgettext_lazy("permission", "change business units"),
    Perm.PERSON_VIEW: pgettext_lazy("permission", "see people's records"),
    Perm.PERSON_CHANGE: pgettext_lazy("permission", "change people's records"),
    Perm.POSITION_CHANGE: pgettext_lazy("permission", "record posts held"),
    Perm.AUDIT_VIEW: pgettext_lazy("permission", "read the audit log"),
    Perm.IDENTITY_VIEW: pgettext_lazy("permission", "see full citizen identity numbers"),
    Perm.ROLE_MANAGE: pgettext_lazy("permission", "grant and revoke roles"),
    Perm.DOCUMENT_VIEW: pgettext_lazy("permission", "read documents"),
    Perm.DOCUMENT_SECRET_VIEW: pgettext_lazy("permission", "read confidential documents"),
    Perm.DOCUMENT_CHANGE: pgettext_lazy("permission", "register documents"),
    Perm.TASK_REPORT: pgettext_lazy("permission", "report on tasks"),
    Perm.MEETING_VIEW: pgettext_lazy("permission", "see meetings"),
    Perm.MEETING_MANAGE: pgettext_lazy("permission", "run meetings"),
    Perm.OPINION_ANSWER: pgettext_lazy("permission", "read and answer members' opinions"),
    Perm.MEETING_REPORT: pgettext_lazy("permission", "see meeting quality"),
    Perm.EMULATION_VIEW: pgettext_lazy("permission", "see emulation movements"),
    Perm.EMULATION_ENTRY: pgettext_lazy("permission", "register and self-score in emulation"),
    Perm.EMULATION_MANAGE: pgettext_lazy("permission", "run emulation movements"),
    Perm.EVALUATION_VIEW: pgettext_lazy("permission", "see quality evaluations"),
    Perm.EVALUATION_PROPOSE: pgettext_lazy("permission", "propose quality levels"),
    Perm.EVALUATION_DECIDE: pgettext_lazy("permission", "decide quality levels"),
}
