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

from typing import Any

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


# --- Implementation: tasks and targets set by a document, and their progress ---------------------


class Task(models.Model):
    """A task or a numeric target (nhiệm vụ, chỉ tiêu) that a document sets for one organisation
    or one business unit, with its owner and dates.

    The assigning organisation is the register that keeps the document; its office sets the task,
    the assignee reports progress. The task keeps a copy of its latest progress (`percent`, `value`,
    `last_report_on`, `done_on`), rewritten by the service in the report's transaction, so that the
    dashboard's statuses and roll-ups are computed by the database (`rules/tasks.py` is the same
    rule in Python; tests keep them equal). A task is never deleted: it is cancelled."""

    class Kind(models.TextChoices):
        TASK = "task", _("Task")
        TARGET = "target", _("Target")

    document = models.ForeignKey(
        Document, on_delete=models.PROTECT, related_name="tasks", verbose_name=_("document")
    )
    assigner = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("assigned by"),
        db_index=False,  # assigner_path (its copy) is indexed
    )
    assigner_path = PathField(max_length=255, editable=False)
    assignee_org = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="tasks",
        verbose_name=_("assigned to (party organisation)"),
        db_index=False,
    )
    assignee_unit = models.ForeignKey(
        "orgs.Unit",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="tasks",
        verbose_name=_("assigned to (unit)"),
        db_index=False,
    )
    # Copies of the assignee's path in its own tree (one of the two is set), for scoping.
    assignee_path = PathField(max_length=255, null=True, blank=True, editable=False)
    assignee_unit_path = PathField(max_length=255, null=True, blank=True, editable=False)
    title = models.CharField(_("task"), max_length=500)
    description = models.TextField(_("details"), blank=True)
    kind = models.CharField(_("kind"), max_length=6, choices=Kind.choices, default=Kind.TASK)
    indicator = models.CharField(_("indicator"), max_length=255, blank=True)
    measure = models.CharField(_("unit of measure"), max_length=50, blank=True)
    target_value = models.DecimalField(
        _("target value"), max_digits=18, decimal_places=2, null=True, blank=True
    )
    owner = models.ForeignKey(
        "orgs.Person",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="tasks_owned",
        verbose_name=_("person in charge"),
    )
    start_on = models.DateField(_("start"))
    due_on = models.DateField(_("due"))
    percent = models.PositiveSmallIntegerField(_("progress (%)"), default=0, editable=False)
    value = models.DecimalField(
        _("value reached"), max_digits=18, decimal_places=2, null=True, blank=True, editable=False
    )
    last_report_on = models.DateField(_("last report"), null=True, blank=True, editable=False)
    done_on = models.DateField(_("done on"), null=True, blank=True, editable=False)
    # First day the task is behind schedule with its current progress (rules.tasks.risk_from).
    risk_from = models.DateField(null=True, blank=True, editable=False)
    cancelled_on = models.DateField(_("cancelled on"), null=True, blank=True, editable=False)
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=500, blank=True)
    # Folded title, indicator, assignee and document number (rules.vietnamese.fold), for search.
    search_text = models.TextField(blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    SCOPE = (("party", "assigner_path"), ("party", "assignee_path"), ("unit", "assignee_unit_path"))
    PATH_COPIES = (("party", "assigner_path"), ("party", "assignee_path"), ("unit", "assignee_unit_path"))

    class Meta:
        ordering = ["due_on", "pk"]
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        indexes = [
            models.Index(fields=["assigner_path", "due_on"], name="task_assigner_due_idx"),
            models.Index(fields=["assignee_path", "due_on"], name="task_assignee_due_idx"),
            models.Index(fields=["assignee_unit_path", "due_on"], name="task_unit_due_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(Q(assignee_org__isnull=False) & Q(assignee_unit__isnull=True))
                | (Q(assignee_org__isnull=True) & Q(assignee_unit__isnull=False)),
                name="task_one_assignee",
            ),
            models.CheckConstraint(condition=Q(due_on__gte=F("start_on")), name="task_due_after_start"),
            models.CheckConstraint(condition=Q(percent__lte=100), name="task_percent_at_most_100"),
            models.CheckConstraint(
                condition=Q(kind="task") | Q(target_value__gt=0), name="task_target_has_value"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def assignee(self) -> Any:
        return self.assignee_org or self.assignee_unit


class ProgressReport(models.Model):
    """What the assignee reported on a day: a percentage (tasks) or the value reached (targets),
    with text and evidence files. Reports are never edited; a correction is a later report."""

    task = models.ForeignKey(Task, on_delete=models.PROTECT, related_name="reports", verbose_name=_("task"))
    reported_on = models.DateField(_("report date"))
    percent = models.PositiveSmallIntegerField(_("progress (%)"), null=True, blank=True)
    value = models.DecimalField(_("value reached"), max_digits=18, decimal_places=2, null=True, blank=True)
    text = models.TextField(_("report"), blank=True)
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    SCOPE = (
        ("party", "task__assigner_path"),
        ("party", "task__assignee_path"),
        ("unit", "task__assignee_unit_path"),
    )

    class Meta:
        ordering = ["reported_on", "pk"]
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        constraints = [
            models.CheckConstraint(
                condition=Q(percent__isnull=True) | Q(percent__lte=100), name="report_percent_at_most_100"
            ),
            models.CheckConstraint(
                condition=Q(percent__isnull=False) | Q(value__isnull=False), name="report_has_figure"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.task_id} {self.reported_on}"


class Evidence(models.Model):
    """A file proving a report (minutes, photo, spreadsheet); checked by its content like every upload."""

    report = models.ForeignKey(
        ProgressReport, on_delete=models.PROTECT, related_name="evidence", verbose_name=_("report")
    )
    file = models.FileField(_("file"), upload_to="minh-chung/%Y/", max_length=255)
    file_name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveIntegerField(_("size"))
    sha256 = models.CharField(max_length=64, editable=False)

    SCOPE = (
        ("party", "report__task__assigner_path"),
        ("party", "report__task__assignee_path"),
        ("unit", "report__task__assignee_unit_path"),
    )

    class Meta:
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")

    def __str__(self) -> str:
        return self.file_name


# --- Study: a document assigned for study to a subtree, and the members who studied it -----------


class StudyAssignment(models.Model):
    """A document to be studied (học tập, quán triệt) by every member of an organisation's subtree
    by a deadline."""

    document = models.ForeignKey(
        Document, on_delete=models.PROTECT, related_name="studies", verbose_name=_("document")
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="studies",
        verbose_name=_("members of"),
        db_index=False,
    )
    org_path = PathField(max_length=255, editable=False)
    start_on = models.DateField(_("from"))
    due_on = models.DateField(_("deadline"))
    note = models.CharField(_("note"), max_length=500, blank=True)
    cancelled_on = models.DateField(_("cancelled on"), null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    SCOPE = (("party", "org_path"),)
    PATH_COPIES = (("party", "org_path"),)

    class Meta:
        ordering = ["-start_on", "-pk"]
        verbose_name = _("study assignment")
        verbose_name_plural = _("study assignments")
        indexes = [models.Index(fields=["org_path", "due_on"], name="study_path_due_idx")]
        constraints = [
            models.CheckConstraint(condition=Q(due_on__gte=F("start_on")), name="study_due_after_start"),
        ]

    def __str__(self) -> str:
        return f"{self.document_id} → {self.organisation_id}"


class StudyConfirmation(models.Model):
    """One member's confirmation that they studied the document; `org_path` is the member's
    organisation when they confirmed (completion is counted where they were)."""

    class Channel(models.TextChoices):
        SELF = "self", _("confirmed by the member")
        MEETING = "meeting", _("recorded at a cell meeting")
        OFFICE = "office", _("recorded by the office")

    assignment = models.ForeignKey(
        StudyAssignment, on_delete=models.PROTECT, related_name="confirmations", db_index=False
    )
    member = models.ForeignKey("members.PartyMember", on_delete=models.PROTECT, related_name="studies")
    org_path = PathField(max_length=255, editable=False)
    studied_on = models.DateField(_("studied on"))
    channel = models.CharField(_("how"), max_length=8, choices=Channel.choices, default=Channel.SELF)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    SCOPE = (("party", "org_path"),)
    PATH_COPIES = (("party", "org_path"),)

    class Meta:
        verbose_name = _("study confirmation")
        verbose_name_plural = _("study confirmations")
        constraints = [
            models.UniqueConstraint(fields=["assignment", "member"], name="study_confirmation_uniq"),
        ]
        indexes = [models.Index(fields=["assignment", "org_path"], name="study_conf_path_idx")]

    def __str__(self) -> str:
        return f"{self.assignment_id} {self.member_id}"
