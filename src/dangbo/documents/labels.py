"""Readable names of link kinds, read from either end of a link."""

from django.utils.translation import gettext_lazy as _

from dangbo.documents.models import DocumentLink

Kind = DocumentLink.Kind

# "A implements B" read from A (the chain above a document) and from B (the chain below it).
LINK_LABELS = {
    "up": {
        Kind.IMPLEMENTS: _("implements"),
        Kind.CITES: _("cites"),
        Kind.AMENDS: _("amends"),
        Kind.REPLACES: _("replaces"),
    },
    "down": {
        Kind.IMPLEMENTS: _("is implemented by"),
        Kind.CITES: _("is cited by"),
        Kind.AMENDS: _("is amended by"),
        Kind.REPLACES: _("is replaced by"),
    },
}
