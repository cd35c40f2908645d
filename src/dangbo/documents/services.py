"""Every write to the register of documents: registration (numbering, references), withdrawal, links.

Keyword-only functions taking the acting user (None for the system, e.g. the demo loader); each
checks the permission through the scoping function, validates everything before writing (a refused
call changes nothing and names the field) and records an audit event per written row.

Numbering (rules.md §4): a Party document of ours takes the next number of its type in the issuer's
committee term. The counter row of that sequence is locked (SELECT … FOR UPDATE; SQLite's IMMEDIATE
transactions already admit one writer), so two clerks never get the same number; a number typed by
hand for a document entered after the fact is refused when it was ever given, withdrawn or not; the
unique constraint on the documents is the last guard.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import unicodedata
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from dangbo.core import audit
from dangbo.core.scoping import allowed, require
from dangbo.core.uploads import file_problem
from dangbo.documents import selectors
from dangbo.documents.models import CHAIN_KINDS, Document, DocumentCounter, DocumentLink
from dangbo.orgs.models import CommitteeTerm, Organisation
from dangbo.rules import documents as rules
from dangbo.rules.roles import Perm
from dangbo.rules.vietnamese import fold, format_date, one_line, running_text

FILE_TYPES = (".pdf", ".docx", ".doc", ".odt")
CHAIN_LOCK = 7_406_001  # PostgreSQL advisory lock serialising changes to the chain's links


def _check(actor: Any, perm: Perm, instance: Any) -> None:
    if actor is not None:
        require(actor, perm, instance)


_line = one_line
_text = running_text


def _search_text(document: Document) -> str:
    parts = (
        document.symbol,
        document.summary,
        document.issuer_name,
        document.issuer_code,
        document.signer_name,
        rules.type_name(document.type_code, document.system) or "",  # type: ignore[arg-type]
    )
    return fold(" ".join(p for p in parts if p))


def _audit_after(document: Document) -> dict[str, Any]:
    """The document as the audit chain keeps it: the text and the attached file by their hashes."""
    data = audit.snapshot(document, exclude=("body", "file"))
    data["body_sha256"] = hashlib.sha256(document.body.encode("utf-8")).hexdigest()
    if document.file:
        digest = hashlib.sha256()
        with document.file.open("rb") as stored:
            for chunk in stored.chunks():
                digest.update(chunk)
        data["file"], data["file_sha256"] = document.file.name, digest.hexdigest()
    return data


def _label(document: Document) -> str:
    date = f" ngày {format_date(document.issued_on)}" if document.issued_on else ""
    return f"{document.symbol}{date}"


# --- Numbering -----------------------------------------------------------------------------------


def _locked_counter(organisation: Organisation, term: CommitteeTerm, type_code: str) -> DocumentCounter:
    """The sequence's counter row, locked until the transaction ends; created on first use."""
    counter = DocumentCounter.objects.select_for_update().filter(term=term, type_code=type_code).first()
    if counter is None:
        highest = Document.objects.filter(issuer_org=organisation, term=term, type_code=type_code).aggregate(
            n=Max("number")
        )["n"]
        try:
            with transaction.atomic():
                DocumentCounter.objects.create(term=term, type_code=type_code, last=highest or 0)
        except IntegrityError:
            pass  # another clerk created it a moment ago: wait for their lock below
        counter = DocumentCounter.objects.select_for_update().get(term=term, type_code=type_code)
    return counter


def _used_message(document: Document) -> str:
    return _(
        "Number %(symbol)s was already given to “%(summary)s”%(withdrawn)s (term %(term)s); "
        "a number is never given twice."
    ) % {
        "symbol": _label(document),
        "summary": document.summary or "—",
        "withdrawn": _(", since withdrawn") if document.status == Document.Status.WITHDRAWN else "",
        "term": document.term.name if document.term else "—",
    }


def _allocate(organisation: Organisation, term: CommitteeTerm, type_code: str, wanted: int | None) -> int:
    """The number the document gets: the next of the sequence, or the one typed if never given."""
    counter = _locked_counter(organisation, term, type_code)
    if wanted is None:
        number = counter.last + 1
    else:
        clash = (
            Document.objects.filter(issuer_org=organisation, term=term, type_code=type_code, number=wanted)
            .select_related("term")
            .first()
        )
        if clash is not None:
            raise ValidationError({"number": _used_message(clash)})
        number = wanted
    if number > counter.last:
        counter.last = number
        counter.save(update_fields=["last"])
    return number


def _parse_number(value: int | str | None) -> int | None:
    """A number typed by hand: digits from 1 to 9999, or nothing (take the proposed one)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    text = str(value).strip()
    if not text.isascii() or not text.isdigit() or not 1 <= int(text) <= rules.MAX_NUMBER:
        raise ValueError(text)
    return int(text)


def _term_for(organisation: Organisation, issued_on: dt.date) -> CommitteeTerm:
    terms = selectors.terms_of(organisation)
    term = selectors.term_containing(terms, issued_on)
    if term is not None:
        return term
    if terms and issued_on < terms[0].starts_on:
        message = _(
            "The issue date %(date)s is before the first committee term of %(org)s starts (%(start)s)."
        ) % {
            "date": format_date(issued_on),
            "org": organisation.name,
            "start": format_date(terms[0].starts_on),
        }
    else:
        message = _(
            "The issue date %(date)s falls in no committee term of %(org)s: add the term on the "
            "organisation's page first."
        ) % {"date": format_date(issued_on), "org": organisation.name}
    raise ValidationError({"issued_on": message})


# --- References ----------------------------------------------------------------------------------


def _lock_chain() -> None:
    """Serialise changes to implements/amends/replaces links, so two concurrent links can never
    close a cycle that neither saw. SQLite's IMMEDIATE transactions are serial already."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [CHAIN_LOCK])


def _find_referenced(
    organisation: Organisation, ref: rules.DocRef, before: dt.date | None
) -> Document | None:
    """The document a reference names, looked up in the citing organisation's register and those above
    it: same symbol, and the same date when the reference gives one. The nearest register wins, then
    a document issued before the citing one, then the latest."""
    qs = Document.objects.filter(
        symbol=rules.format_symbol(ref.symbol), org_path__in=selectors.registers_above(organisation)
    )
    if ref.issued_on is not None:
        qs = qs.filter(Q(issued_on=ref.issued_on) | Q(issued_on__isnull=True))
    candidates = list(qs)
    if not candidates:
        return None

    def preference(doc: Document) -> tuple[Any, ...]:
        earlier = before is None or doc.issued_on is None or doc.issued_on <= before
        return (len(doc.org_path), doc.registered, earlier, doc.issued_on or dt.date.min)

    return max(candidates, key=preference)


def _placeholder(actor: Any, organisation: Organisation, ref: rules.DocRef) -> Document:
    """A document known only from a reference, kept in the citing organisation's register until the
    office enters it (then it is completed in place and keeps its links)."""
    today = timezone.localdate()
    document = Document(
        organisation=organisation,
        org_path=organisation.path,
        issuer_code=ref.issuer_code,
        system=ref.system,
        type_code=ref.type_code,
        number=ref.number,
        year=ref.year,
        symbol=rules.format_symbol(ref.symbol),
        issued_on=ref.issued_on if ref.issued_on and ref.issued_on <= today else None,
        registered=False,
        created_by=actor,
    )
    document.search_text = _search_text(document)
    document.save()
    audit.record(actor=actor, action="document.placeholder", instance=document, after=_audit_after(document))
    return document


def _link_references(
    actor: Any,
    document: Document,
    refs: Sequence[tuple[rules.DocRef, str]],
    before: dt.date | None,
    *,
    keep_links: bool = False,
) -> None:
    """Link a document to every document its references name — existing ones found by number and
    date, missing ones kept as placeholders — once per document, "implements" winning over "cites".
    `keep_links`: a document already linked keeps its link as it is (a correction adds, never changes)."""
    organisation = document.organisation
    linked = set(document.links_out.values_list("to_doc_id", flat=True)) if keep_links else set()
    targets: dict[int, tuple[Document, str]] = {}
    for ref, kind in refs:
        if rules.format_symbol(ref.symbol) == document.symbol and ref.issued_on in (None, document.issued_on):
            continue  # the document naming itself
        target = _find_referenced(organisation, ref, before) or _placeholder(actor, organisation, ref)
        if target.pk == document.pk or target.pk in linked:
            continue
        known = targets.get(target.pk)
        if known is None or kind == DocumentLink.Kind.IMPLEMENTS:
            targets[target.pk] = (target, kind)
    for target, kind in targets.values():
        _link(actor, document, target, kind)


# --- Registration --------------------------------------------------------------------------------


@transaction.atomic
def document_register(
    *,
    actor: Any,
    organisation: Organisation,
    own: bool,
    issued_on: dt.date | None,
    summary: str,
    type_code: str = "",
    number: int | str | None = None,
    symbol: str = "",
    issuer_name: str = "",
    signer_name: str = "",
    signer_post: str = "",
    body: str = "",
    file: Any = None,
    secrecy: str = Document.Secrecy.NORMAL,
    recipients: str = "",
    implements: str = "",
) -> Document:
    """Enter a document in `organisation`'s register.

    `own=True`: a Party document the organisation issues; it takes the next number of `type_code`
    in the committee term of `issued_on`, or `number` when typed by hand (a document entered after
    the fact) if that number was never given. `own=False`: a document of another body, given by its
    full `symbol` ("28/CT-TTg", "03-CT/TW"). References in the summary and text become "cites"
    links, those in `implements` "implements" links; documents not yet in the register are kept as
    placeholders. A placeholder of the same number and date is completed instead of duplicated."""
    organisation = Organisation.objects.get(pk=organisation.pk)  # its path as it is now
    _check(actor, Perm.DOCUMENT_CHANGE, Document(org_path=organisation.path))
    errors: dict[str, str] = {}
    summary, body, recipients = _line(summary), _text(body), _text(recipients)
    issuer_name, signer_name, signer_post = _line(issuer_name), _line(signer_name), _line(signer_post)
    type_code = unicodedata.normalize("NFC", type_code or "").strip()

    if organisation.dissolved_on:
        errors["organisation"] = _("“%(name)s” has been dissolved.") % {"name": organisation.name}
    if not summary:
        errors["summary"] = _("Enter the summary (trích yếu) of the document.")
    if secrecy not in Document.Secrecy.values:
        errors["secrecy"] = _("Choose a secrecy level from the list.")
    elif (
        secrecy != Document.Secrecy.NORMAL
        and actor is not None
        and not allowed(actor, Perm.DOCUMENT_SECRET_VIEW, Document(org_path=organisation.path))
    ):
        errors["secrecy"] = _("You may not read confidential documents, so you cannot register one.")
    today = timezone.localdate()
    if issued_on is None:
        errors["issued_on"] = _("Enter the date the document was issued.")
    elif issued_on > today:
        errors["issued_on"] = _("The issue date %(date)s is in the future.") % {
            "date": format_date(issued_on)
        }

    parsed: rules.DocSymbol | None = None
    term: CommitteeTerm | None = None
    wanted: int | None = None
    if own:
        if type_code not in rules.DOC_TYPES["party"]:
            errors["type_code"] = _("Choose the type of document from the list.")
        try:
            selectors.own_symbol(organisation, type_code or "NQ", 1)
        except ValueError:
            errors["organisation"] = _(
                "“%(name)s” has no issuer code for document numbers (e.g. ĐU): add it on the "
                "organisation's page first."
            ) % {"name": organisation.name}
        try:
            wanted = _parse_number(number)
        except ValueError:
            errors["number"] = _(
                "The number “%(value)s” is not valid: write a whole number from 1 to 9999, or leave it "
                "empty to take the proposed number."
            ) % {"value": number}
        if issued_on is not None and "issued_on" not in errors:
            try:
                term = _term_for(organisation, issued_on)
            except ValidationError as exc:
                errors.update({k: v[0] for k, v in exc.message_dict.items()})
    else:
        try:
            parsed = rules.parse_symbol(symbol)
        except ValueError as exc:
            mentioned = rules.extract_references(symbol)  # "Chỉ thị số 28/CT-TTg" pasted whole
            if len(mentioned) == 1:
                parsed = mentioned[0].symbol
            elif symbol.strip():
                errors["symbol"] = str(exc)
            else:
                errors["symbol"] = _("Enter the number and symbol, e.g. 28/CT-TTg.")

    implemented = rules.extract_references(implements or "")
    if (implements or "").strip() and not implemented:
        errors["implements"] = _(
            "No document number found in “%(text)s”: write for example 03-CT/TW ngày 19/5/2021."
        ) % {"text": _line(implements)[:80]}
    if file:
        problem = file_problem(file, FILE_TYPES)
        if problem:
            errors["file"] = problem
    if errors:
        raise ValidationError(errors)
    assert issued_on is not None

    if own:
        assert term is not None
        number_given = _allocate(organisation, term, type_code, wanted)
        parsed = selectors.own_symbol(organisation, type_code, number_given)
    assert parsed is not None
    symbol_text = rules.format_symbol(parsed)
    if not own:
        twin = Document.objects.filter(
            organisation=organisation, symbol=symbol_text, issued_on=issued_on, registered=True
        ).first()
        if twin is not None:
            raise ValidationError(
                {"symbol": _("%(doc)s is already in this register.") % {"doc": _label(twin)}}
            )

    placeholder = (
        Document.objects.select_for_update()
        .filter(organisation=organisation, symbol=symbol_text, registered=False)
        .filter(Q(issued_on=issued_on) | Q(issued_on__isnull=True))
        .order_by("issued_on")
        .first()
    )
    document = placeholder or Document(organisation=organisation, created_by=actor)
    before = _audit_after(document) if placeholder else None
    document.org_path = organisation.path
    document.issuer_org = organisation if own else None
    document.issuer_code = parsed.issuer_code
    document.issuer_name = issuer_name or (organisation.name if own else "")
    document.system = parsed.system
    document.type_code = parsed.type_code
    document.number = parsed.number
    document.year = parsed.year
    document.symbol = symbol_text
    document.term = term
    document.issued_on = issued_on
    document.signer_name, document.signer_post = signer_name, signer_post
    document.summary, document.body, document.recipients = summary, body, recipients
    document.secrecy = secrecy
    document.registered = True
    if file:
        document.file_name = _line(file.name)[:255]
        document.file = file
    document.search_text = _search_text(document)
    try:
        with transaction.atomic():
            document.save()
    except IntegrityError as exc:  # the last guard: the same number given twice
        raise ValidationError({"number": _("This number has just been given to another document.")}) from exc
    audit.record(
        actor=actor,
        action="document.complete" if placeholder else "document.register",
        instance=document,
        before=before,
        after=_audit_after(document),
    )

    cited = [(ref, DocumentLink.Kind.CITES) for ref in rules.extract_references(f"{summary}\n{body}")]
    implementing = [(ref, DocumentLink.Kind.IMPLEMENTS) for ref in implemented]
    _link_references(actor, document, cited + implementing, issued_on)
    _absorb_placeholders(actor, document)
    return document


def _absorb_placeholders(actor: Any, document: Document) -> None:
    """Placeholders of the same number (and date) kept by registers below this one — a cell cited the
    committee's resolution before the office entered it — are replaced by the document: their links
    move to it and the empty placeholder goes, each step audited."""
    twins = (
        Document.objects.select_for_update()
        .filter(symbol=document.symbol, registered=False, org_path__within=document.org_path)
        .filter(Q(issued_on=document.issued_on) | Q(issued_on__isnull=True))
        .exclude(pk=document.pk)
    )
    for twin in twins:
        for link in list(twin.links_in.select_related("from_doc")):
            if link.from_doc_id != document.pk:
                _link(actor, link.from_doc, document, link.kind)
            _remove_link(actor, link)
        for link in list(twin.links_out.select_related("to_doc")):
            if link.to_doc_id != document.pk:
                _link(actor, document, link.to_doc, link.kind)
            _remove_link(actor, link)
        audit.record(
            actor=actor,
            action="document.placeholder_merge",
            instance=twin,
            before=_audit_after(twin),
            after={"merged_into": document.pk},
        )
        twin.delete()


# --- Withdrawal ----------------------------------------------------------------------------------


@transaction.atomic
def document_withdraw(*, actor: Any, document: Document, reason: str, on: dt.date | None = None) -> Document:
    """Withdraw a registered document (thu hồi). Its number stays given: it is never proposed again."""
    document = Document.objects.select_for_update().get(pk=document.pk)
    _check(actor, Perm.DOCUMENT_CHANGE, document)
    reason = _line(reason)
    if not reason:
        raise ValidationError({"reason": _("Write why the document is withdrawn.")})
    if not document.registered:
        raise ValidationError({"reason": _("A document not yet in the register cannot be withdrawn.")})
    if document.status == Document.Status.WITHDRAWN:
        raise ValidationError({"reason": _("This document was withdrawn already.")})
    before = _audit_after(document)
    document.status = Document.Status.WITHDRAWN
    document.withdrawn_on = on or timezone.localdate()
    document.withdrawal_reason = reason[:500]
    document.save(update_fields=["status", "withdrawn_on", "withdrawal_reason"])
    audit.record(
        actor=actor,
        action="document.withdraw",
        instance=document,
        before=before,
        after=_audit_after(document),
    )
    return document


# --- Links ---------------------------------------------------------------------------------------


def _link(actor: Any, source: Document, target: Document, kind: str) -> DocumentLink:
    if kind not in DocumentLink.Kind.values:
        raise ValidationError({"kind": _("Choose a relation from the list.")})
    if source.pk == target.pk:
        raise ValidationError({"target": _("A document cannot be linked to itself.")})
    if kind in CHAIN_KINDS:
        _lock_chain()
        if source.pk in selectors.reachable_above(target.pk):
            raise ValidationError(
                {
                    "target": _(
                        "%(target)s already implements, amends or replaces %(source)s, directly or "
                        "through other documents: this link would make a document implement itself."
                    )
                    % {"target": _label(target), "source": _label(source)}
                }
            )
    link = DocumentLink.objects.filter(from_doc=source, to_doc=target).first()
    if link is not None:
        if link.kind == kind:
            return link
        before = audit.snapshot(link)
        link.kind = kind
        link.save(update_fields=["kind"])
        audit.record(
            actor=actor,
            action="document.link_change",
            instance=link,
            before=before,
            after=audit.snapshot(link),
        )
        return link
    link = DocumentLink.objects.create(from_doc=source, to_doc=target, kind=kind)
    audit.record(actor=actor, action="document.link", instance=link, after=audit.snapshot(link))
    return link


@transaction.atomic
def document_link(*, actor: Any, source: Document, target: Document, kind: str) -> DocumentLink:
    """Record that `source` implements / cites / amends / replaces `target` (one relation per pair:
    linking again changes the relation). Implements, amends and replaces may never form a cycle."""
    source = Document.objects.get(pk=source.pk)
    _check(actor, Perm.DOCUMENT_CHANGE, source)
    if actor is not None and not selectors.is_visible(actor, target):
        raise ValidationError({"target": _("No such document in the registers you can see.")})
    return _link(actor, source, target, kind)


def _remove_link(actor: Any, link: DocumentLink) -> None:
    audit.record(actor=actor, action="document.unlink", instance=link, before=audit.snapshot(link))
    link.delete()


@transaction.atomic
def document_unlink(*, actor: Any, link: DocumentLink) -> None:
    link = DocumentLink.objects.select_related("from_doc").get(pk=link.pk)
    _check(actor, Perm.DOCUMENT_CHANGE, link.from_doc)
    _remove_link(actor, link)


# --- Correction ----------------------------------------------------------------------------------

CORRECTABLE = ("summary", "issuer_name", "signer_name", "signer_post", "body", "recipients", "secrecy")


@transaction.atomic
def document_correct(
    *,
    actor: Any,
    document: Document,
    reason: str,
    summary: str,
    issuer_name: str = "",
    signer_name: str = "",
    signer_post: str = "",
    body: str = "",
    recipients: str = "",
    secrecy: str = Document.Secrecy.NORMAL,
    file: Any = None,
) -> Document:
    """Correct what the register holds about a document — its summary, issuing body, signer, text,
    recipients, secrecy or attached file — with the reason, kept in the audit chain beside the before
    and after. The number, type, issuer and date identify the document and are not corrected: a
    wrong one is withdrawn (its number stays given) and registered again. References that the new
    summary or text adds become "cites" links; links already made stay (remove them by hand)."""
    document = Document.objects.select_for_update().select_related("organisation").get(pk=document.pk)
    _check(actor, Perm.DOCUMENT_CHANGE, document)
    errors: dict[str, str] = {}
    reason = _line(reason)
    values = {
        "summary": _line(summary),
        "issuer_name": _line(issuer_name),
        "signer_name": _line(signer_name),
        "signer_post": _line(signer_post),
        "body": _text(body),
        "recipients": _text(recipients),
        "secrecy": secrecy,
    }
    if not document.registered:
        errors["summary"] = _("This document is not yet in the register: register it instead.")
    elif document.status == Document.Status.WITHDRAWN:
        errors["summary"] = _("A withdrawn document is kept as it was when withdrawn.")
    if not values["summary"]:
        errors["summary"] = _("Enter the summary (trích yếu) of the document.")
    if secrecy not in Document.Secrecy.values:
        errors["secrecy"] = _("Choose a secrecy level from the list.")
    elif (
        (secrecy != Document.Secrecy.NORMAL or document.is_secret)
        and actor is not None
        and not allowed(actor, Perm.DOCUMENT_SECRET_VIEW, document)
    ):
        errors["secrecy"] = _("You may not read confidential documents, so you cannot change their secrecy.")
    if file:
        problem = file_problem(file, FILE_TYPES)
        if problem:
            errors["file"] = problem
    changed = [name for name in CORRECTABLE if getattr(document, name) != values[name]]
    if not errors and not changed and not file:
        errors["reason"] = _("Nothing was changed: correct a field, then save.")
    if not reason:
        errors["reason"] = _("Write why the entry is corrected (e.g. the summary was mistyped).")
    if errors:
        raise ValidationError(errors)

    before = _audit_after(document)
    for name in changed:
        setattr(document, name, values[name])
    if file:
        document.file_name = _line(file.name)[:255]
        document.file = file
        changed += ["file", "file_name"]
    document.search_text = _search_text(document)
    document.save(update_fields=[*changed, "search_text"])
    audit.record(
        actor=actor,
        action="document.correct",
        instance=document,
        before=before,
        after={**_audit_after(document), "reason": reason[:500]},
    )
    if {"summary", "body"} & set(changed):
        cited = [
            (ref, DocumentLink.Kind.CITES)
            for ref in rules.extract_references(f"{document.summary}\n{document.body}")
        ]
        _link_references(actor, document, cited, document.issued_on, keep_links=True)
    return document
