"""The register of documents (sổ văn bản), the counters that number them, and the links between them.

A document sits in the register of one party organisation (`organisation`): the documents it issues
(`issuer_org` is then that organisation, and the number comes from its counter for the type and the
committee term) and the documents it receives or refers to from outside bodies (Ban Bí thư, Thủ
tướng, the superior committee …: `issuer_org` is empty, the issuer is the code and name in the
symbol). A document mentioned in another one's text but not yet entered is a *placeholder*
(`registered=False`) that the office completes later; its links stay. Documents are never deleted:
a withdrawn document keeps its number. See docs/decisions.md.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from dangbo.core.paths import PathField
from dangbo.orgs.models import CommitteeTerm, Organisation


class DocumentCounter(models.Model):
    """The last number given in one sequence: one organisation's documents of one type in one term.

    Registration locks this row (SELECT … FOR UPDATE), so two clerks numbering the same type at the
    same moment queue here; the unique constraint on the documents is the last guard."""

    term = models.ForeignKey(CommitteeTerm, on_delete=models.PROTECT, related_name="+")
    type_code = models.CharField(max_length=10)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["term", "type_code"], name="document_counter_uniq")]

    def __str__(self) -> str:
        return f"{self.term} {self.type_code}: {self.last}"


class Document(models.Model):
    class System(models.TextChoices):
        PARTY = "party", _("Party document")
        STATE = "state", _("State document")

    class Secrecy(models.TextChoices):
        NORMAL = "normal", _("Ordinary")
        SECRET = "secret", _("Secret (mật)")
        TOP_SECRET = "top_secret", _("Top secret (tối mật)")
        ABSOLUTE = "absolute", _("Absolute secret (tuyệt mật)")

    class Status(models.TextChoices):
        REGISTERED = "registered", _("In force")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="documents",
        verbose_name=_("register of"),
        db_index=False,  # org_path (its copy) is indexed
    )
    org_path = PathField(max_length=255, editable=False)  # copy of organisation.path; indexed in Meta
    issuer_org = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="issued_documents",
        verbose_name=_("issued by (our organisation)"),
        db_index=False,  # the numbering constraint's index starts with it
    )
    issuer_code = models.CharField(_("issuer code"), max_length=40)
    issuer_name = models.CharField(_("issuing body"), max_length=255, blank=True)
    system = models.CharField(_("document system"), max_length=5, choices=System.choices)
    type_code = models.CharField(_("type"), max_length=10, blank=True)
    number = models.PositiveIntegerField(_("number"))
    year = models.PositiveSmallIntegerField(_("year in the number"), null=True, blank=True)
    symbol = models.CharField(_("number and symbol"), max_length=60)  # canonical: format_symbol
    term = models.ForeignKey(
        CommitteeTerm,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("committee term"),
    )
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    signer_name = models.CharField(_("signed by"), max_length=150, blank=True)
    signer_post = models.CharField(_("signer's post"), max_length=150, blank=True)
    summary = models.CharField(_("summary"), max_length=1000, blank=True)
    body = models.TextField(_("text"), blank=True)
    file = models.FileField(_("attached file"), upload_to="van-ban/%Y/", max_length=255, blank=True)
    file_name = models.CharField(_("file name"), max_length=255, blank=True)
    secrecy = models.CharField(_("secrecy"), max_length=12, choices=Secrecy.choices, default=Secrecy.NORMAL)
    recipients = models.TextField(_("recipients"), blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.REGISTERED, editable=False
    )
    registered = models.BooleanField(_("entered in the register"), default=True, editable=False)
    withdrawn_on = models.DateField(_("withdrawn on"), null=True, blank=True, editable=False)
    withdrawal_reason = models.CharField(_("reason for withdrawal"), max_length=500, blank=True)
    search_text = models.TextField(blank=True, editable=False)  # folded symbol, summary, issuer, signer
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    SCOPE = (("party", "org_path"),)
    PATH_COPIES = (("party", "org_path"),)  # rewritten when an organisation moves (core.paths)

    class Meta:
        ordering = ["-issued_on", "-pk"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        indexes = [
            models.Index(fields=["org_path", "issued_on"], name="document_path_date_idx"),
            models.Index(fields=["symbol"], name="document_symbol_idx"),
        ]
        constraints = [
            # A number is never given twice in a sequence, withdrawn or not (the last guard: the
            # service refuses first, under the counter's lock).
            models.UniqueConstraint(
                fields=["issuer_org", "term", "type_code", "number"],
                condition=Q(issuer_org__isnull=False),
                name="document_number_uniq",
            ),
            # Our own documents are kept in the issuer's register and numbered within a term.
            models.CheckConstraint(
                condition=Q(issuer_org__isnull=True) | Q(issuer_org=F("organisation"), term__isnull=False),
                name="document_own_in_issuer_register",
            ),
            models.CheckConstraint(condition=Q(number__gte=1), name="document_number_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.symbol} {self.summary}".strip()

    @property
    def is_secret(self) -> bool:
        return self.secrecy != self.Secrecy.NORMAL

    @property
    def is_own(self) -> bool:
        return self.issuer_org_id is not None


class DocumentLink(models.Model):
    """`from_doc` implements / cites / amends / replaces `to_doc`; one link per ordered pair."""

    class Kind(models.TextChoices):
        IMPLEMENTS = "implements", _("implements")
        CITES = "cites", _("cites")
        AMENDS = "amends", _("amends")
        REPLACES = "replaces", _("replaces")

    from_doc = models.ForeignKey(
        Document,
        on_delete=models.PROTECT,
        related_name="links_out",
        verbose_name=_("document"),
        db_index=False,
    )
    to_doc = models.ForeignKey(
        Document, on_delete=models.PROTECT, related_name="links_in", verbose_name=_("linked document")
    )
    kind = models.CharField(_("relation"), max_length=12, choices=Kind.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    SCOPE = (("party", "from_doc__org_path"),)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["from_doc", "to_doc"], name="document_link_uniq"),
            models.CheckConstraint(condition=~Q(from_doc=F("to_doc")), name="document_link_not_self"),
        ]
        verbose_name = _("document link")
        verbose_name_plural = _("document links")

    def __str__(self) -> str:
        return f"{self.from_doc_id} {self.kind} {self.to_doc_id}"


# The chain follows these kinds, which may never form a cycle; "cites" may (two texts can cite
# each other) and is shown one step only.
CHAIN_KINDS = (DocumentLink.Kind.IMPLEMENTS, DocumentLink.Kind.AMENDS, DocumentLink.Kind.REPLACES)
