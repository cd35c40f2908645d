"""Translated labels for the codes defined in `dangbo.rules` (the rules layer has no Django)."""

from django.utils.translation import gettext_lazy as _

from dangbo.rules.orgs import OrgKind, UnitKind
from dangbo.rules.roles import Role

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
