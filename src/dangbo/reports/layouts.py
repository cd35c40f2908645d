"""Layouts of the register's documents: what `render.to_docx` / `render.to_pdf` print for a `Document`.

Reads only the document given (already scoped by the caller's selector) and its organisation's
ancestors (one query) — never what the reader may not see.
"""

from __future__ import annotations

from dataclasses import dataclass

from dangbo.core.paths import path_ids
from dangbo.documents.models import Document
from dangbo.orgs.models import Organisation
from dangbo.reports.render import PartyLayout, Signature, blocks_from_text
from dangbo.rules import documents as rules

# The mark printed under the number of a confidential document (Luật Bảo vệ bí mật nhà nước 2018:
# "MẬT", "TỐI MẬT", "TUYỆT MẬT").
SECRECY_MARKS = {
    Document.Secrecy.SECRET: "MẬT",
    Document.Secrecy.TOP_SECRET: "TỐI MẬT",
    Document.Secrecy.ABSOLUTE: "TUYỆT MẬT",
}
# Types whose name is not printed as a title: a công văn carries its summary under the number.
UNTITLED_TYPES = {"CV"}


def _ancestors(organisation: Organisation) -> list[Organisation]:
    """The organisation and those above it, nearest first (one query)."""
    ids = path_ids(organisation.path)
    found = Organisation.objects.filter(pk__in=ids).only("pk", "name", "kind", "place", "path").in_bulk()
    return [found[pk] for pk in reversed(ids) if pk in found]


def place_of(organisation: Organisation, ancestors: list[Organisation] | None = None) -> str:
    """The place printed on an organisation's documents: its own, else the nearest one above,
    else `rules.DEFAULT_PLACE`."""
    chain = ancestors if ancestors is not None else _ancestors(organisation)
    return next((o.place for o in chain if o.place), rules.DEFAULT_PLACE)


@dataclass(frozen=True)
class IssuingBody:
    """What the header and signature of an organisation's own documents print."""

    superior: str  # the parent's name ("Đảng bộ Khối …"), printed upper case above the issuer
    issuer: str  # its committee ("Đảng ủy Tổng công ty …", `rules.issuer_title`)
    place: str  # `place_of`
    kind: str  # rules.orgs.OrgKind value, for `rules.signature_lines`


def issuing_body(organisation: Organisation) -> IssuingBody:
    """The issuing body of documents our `organisation` issues (a review, a resolution): one query."""
    chain = _ancestors(organisation)
    return IssuingBody(
        superior=chain[1].name if len(chain) > 1 else "",
        issuer=rules.issuer_title(organisation.name),
        place=place_of(organisation, chain),
        kind=organisation.kind,
    )


def _type_name(document: Document) -> str:
    if not document.type_code or document.type_code in UNTITLED_TYPES:
        return ""
    name = rules.type_name(document.type_code, document.system)  # type: ignore[arg-type]
    # ⚠ "QĐ" names both quyết định and quy định in the Party's table: the first is printed.
    return (name or "").split(" / ")[0]


def _recipients(text: str) -> list[str]:
    """One recipient per line; a leading "-" typed by the clerk is not doubled."""
    items = []
    for line in text.splitlines():
        item = line.strip().removeprefix("-").removeprefix("–").strip()
        if item:
            items.append(item)
    return items


def layout_of_document(document: Document) -> PartyLayout:
    """The layout of a registered (or referred-to) document, from its record.

    Our own documents are issued by the organisation's committee (`rules.issuer_title`) under its
    parent as the superior body, at the organisation's place; other bodies' documents print the
    issuer named in the register and no place (the register does not know it)."""
    # Our own documents are kept in the issuer's register (a check constraint), so the register's
    # organisation — already read with the document — is the issuer.
    body = issuing_body(document.organisation) if document.is_own else None
    superior, place = (body.superior, body.place) if body else ("", "")
    issuer = body.issuer if body else (document.issuer_name or document.issuer_code)
    kind = body.kind if body else None
    capacity, post = rules.signature_lines(document.signer_post, kind)
    return PartyLayout(
        superior=superior,
        issuer=issuer,
        symbol=document.symbol,
        place=place,
        issued_on=document.issued_on,
        type_name=_type_name(document),
        summary=document.summary,
        blocks=blocks_from_text(document.body),
        signature=Signature(capacity=capacity, post=post, name=document.signer_name),
        recipients=_recipients(document.recipients),
        secrecy=SECRECY_MARKS.get(document.secrecy),  # type: ignore[call-overload]
        system=document.system,  # type: ignore[arg-type]
    )
