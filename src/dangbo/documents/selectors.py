"""Reads of the register of documents — always through the scoping function.

Who sees what (docs/decisions.md): an ordinary document is read by holders of DOCUMENT_VIEW in the
organisation that keeps it, its subtree, and the organisations *below* it (a resolution of the
party committee is read in every cell under it); a confidential one only by holders of
DOCUMENT_SECRET_VIEW in the keeping organisation or above it.
"""

from __future__ import annotations

import datetime as dt
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.db.models import Q, QuerySet

from dangbo.core.paths import path_ids
from dangbo.core.scoping import scope_condition
from dangbo.documents.models import CHAIN_KINDS, Document, DocumentCounter, DocumentLink
from dangbo.orgs.models import CommitteeTerm, Organisation
from dangbo.rules import documents as rules
from dangbo.rules.roles import Perm
from dangbo.rules.vietnamese import fold


def documents_visible(user: Any) -> QuerySet[Document]:
    ordinary = scope_condition(Document, user, Perm.DOCUMENT_VIEW, upward=True)
    secret = scope_condition(Document, user, Perm.DOCUMENT_SECRET_VIEW)
    normal = Q(secrecy=Document.Secrecy.NORMAL)
    return Document.objects.filter((normal & ordinary) | (~normal & secret))


def is_visible(user: Any, document: Document) -> bool:
    return documents_visible(user).filter(pk=document.pk).exists()


@dataclass(frozen=True)
class Filters:
    """What the register page and the API filter on; empty values filter nothing."""

    type_code: str = ""
    issuer: str = ""  # issuer code, e.g. "TW", "TTg", "ĐU"
    system: str = ""
    year: int | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    query: str = ""  # accent-insensitive words, each must occur in the number, summary, issuer or signer
    organisation: Organisation | None = None  # the registers of this subtree


def register(user: Any, filters: Filters | None = None) -> QuerySet[Document]:
    """The register, newest first (documents only referred to come last): the documents the user may
    see that match every filter."""
    filters = filters or Filters()
    qs = documents_visible(user)
    if filters.type_code:
        qs = qs.filter(type_code=filters.type_code)
    if filters.issuer:
        qs = qs.filter(issuer_code=filters.issuer)
    if filters.system:
        qs = qs.filter(system=filters.system)
    if filters.year:
        qs = qs.filter(issued_on__year=filters.year)
    if filters.date_from:
        qs = qs.filter(issued_on__gte=filters.date_from)
    if filters.date_to:
        qs = qs.filter(issued_on__lte=filters.date_to)
    if filters.organisation is not None:
        qs = qs.filter(org_path__within=filters.organisation.path)
    for word in fold(filters.query).split():
        qs = qs.filter(search_text__contains=word)
    return qs.select_related("organisation").order_by("-registered", "-issued_on", "-pk")


def issuer_codes(user: Any) -> list[str]:
    """The issuer codes of the documents a user may see, for the register's filter."""
    return list(
        documents_visible(user).order_by("issuer_code").values_list("issuer_code", flat=True).distinct()
    )


# --- Numbering -----------------------------------------------------------------------------------


def terms_of(organisation: Organisation) -> list[CommitteeTerm]:
    return list(CommitteeTerm.objects.filter(organisation=organisation).order_by("starts_on"))


def term_containing(terms: Iterable[CommitteeTerm], day: dt.date) -> CommitteeTerm | None:
    for term in terms:
        if term.starts_on <= day and (term.ends_on is None or day <= term.ends_on):
            return term
    return None


def own_symbol(organisation: Organisation, type_code: str, number: int) -> rules.DocSymbol:
    """The symbol of a Party document our organisation issues: its code is the issuer code.
    Raises ValueError when the organisation has no code that can stand in a number."""
    return rules.DocSymbol(number=number, type_code=type_code, issuer_code=organisation.code, system="party")


@dataclass(frozen=True)
class Proposals:
    """The next number of every Party document type for one organisation on one day."""

    term: CommitteeTerm | None
    next_numbers: dict[str, int] = field(default_factory=dict)

    def symbol(self, organisation: Organisation, type_code: str) -> str:
        if self.term is None or type_code not in self.next_numbers:
            return ""
        try:
            return rules.format_symbol(own_symbol(organisation, type_code, self.next_numbers[type_code]))
        except ValueError:
            return ""


def proposals(organisation: Organisation, on: dt.date) -> Proposals:
    """What registering a document of each type now would number it (two queries). A proposal, not a
    reservation: the number is given under the counter's lock when the document is registered."""
    term = term_containing(terms_of(organisation), on)
    if term is None:
        return Proposals(None)
    last = dict(DocumentCounter.objects.filter(term=term).values_list("type_code", "last"))
    return Proposals(term, {code: last.get(code, 0) + 1 for code in rules.DOC_TYPES["party"]})


# --- Links and the chain -------------------------------------------------------------------------


def links_visible(user: Any) -> QuerySet[DocumentLink]:
    """The links whose two ends the user may read."""
    visible = documents_visible(user).values("pk")
    return DocumentLink.objects.filter(from_doc__in=visible, to_doc__in=visible)


def links_of(user: Any, document: Document) -> tuple[list[DocumentLink], list[DocumentLink]]:
    """The document's direct links of every kind whose other end the user may see (one query):
    (links from it, links to it)."""
    links = list(
        links_visible(user)
        .filter(Q(from_doc=document) | Q(to_doc=document))
        .select_related("from_doc", "to_doc")
        .order_by("kind", "pk")
    )
    return (
        [link for link in links if link.from_doc_id == document.pk],
        [link for link in links if link.to_doc_id == document.pk],
    )


@dataclass(frozen=True)
class Edge:
    from_id: int
    to_id: int
    kind: str


def chain_edges(document_id: int) -> tuple[list[Edge], list[Edge]]:
    """Every implements/amends/replaces link above the document (what it implements, at any depth)
    and below it (what implements it), in ONE recursive query, whatever the depth. UNION (not UNION
    ALL) stops at documents already reached, so even a cycle (refused by the services) would end."""
    table = connection.ops.quote_name(DocumentLink._meta.db_table)
    kinds = ", ".join(["%s"] * len(CHAIN_KINDS))
    sql = f"""
        WITH RECURSIVE up(id) AS (
            SELECT CAST(%s AS bigint)
            UNION
            SELECT l.to_doc_id FROM {table} l JOIN up ON l.from_doc_id = up.id WHERE l.kind IN ({kinds})
        ), down(id) AS (
            SELECT CAST(%s AS bigint)
            UNION
            SELECT l.from_doc_id FROM {table} l JOIN down ON l.to_doc_id = down.id WHERE l.kind IN ({kinds})
        )
        SELECT 'up', l.from_doc_id, l.to_doc_id, l.kind FROM {table} l
         WHERE l.kind IN ({kinds}) AND l.from_doc_id IN (SELECT id FROM up)
        UNION ALL
        SELECT 'down', l.from_doc_id, l.to_doc_id, l.kind FROM {table} l
         WHERE l.kind IN ({kinds}) AND l.to_doc_id IN (SELECT id FROM down)
    """
    kind_values = [str(k) for k in CHAIN_KINDS]
    params: list[int | str] = [
        document_id,
        *kind_values,
        document_id,
        *kind_values,
        *kind_values,
        *kind_values,
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    up = [Edge(r[1], r[2], r[3]) for r in rows if r[0] == "up"]
    down = [Edge(r[1], r[2], r[3]) for r in rows if r[0] == "down"]
    return up, down


def reachable_above(document_id: int) -> set[int]:
    """Ids of the documents this one implements, amends or replaces, at any depth."""
    up, _down = chain_edges(document_id)
    return {edge.to_id for edge in up}


@dataclass
class ChainNode:
    document: Document
    kind: str  # the link's kind, read from the child's side of the tree ("" for the root)
    children: list[ChainNode] = field(default_factory=list)
    repeated: bool = False  # shown already elsewhere in this tree: not expanded again


@dataclass
class Chain:
    document: Document
    up: list[ChainNode]  # what the document implements, and what those implement …
    down: list[ChainNode]  # what implements the document, and what implements those …

    @property
    def size(self) -> int:
        """How many distinct documents the chain shows besides the document itself."""

        def ids(nodes: list[ChainNode]) -> set[int]:
            return {pk for n in nodes for pk in (n.document.pk, *ids(n.children))}

        return len(ids(self.up) | ids(self.down))


def _order(document: Document) -> tuple[Any, ...]:
    return (document.issued_on or dt.date.max, document.symbol, document.pk)


def _tree(root_id: int, edges: list[Edge], documents: dict[int, Document], upward: bool) -> list[ChainNode]:
    """Nested nodes from the root through visible documents only. A document met twice (one that
    implements two documents of the same chain) is expanded where it is nearest to the root — the
    tree is built level by level — and marked as repeated elsewhere."""
    following: dict[int, list[Edge]] = {}
    for edge in edges:
        following.setdefault(edge.from_id if upward else edge.to_id, []).append(edge)

    def children_of(doc_id: int) -> list[ChainNode]:
        others = ((edge.to_id if upward else edge.from_id, edge.kind) for edge in following.get(doc_id, []))
        nodes = [ChainNode(documents[other], kind) for other, kind in others if other in documents]
        return sorted(nodes, key=lambda n: _order(n.document))

    expanded: set[int] = {root_id}
    queue: deque[ChainNode] = deque()

    def attach(nodes: list[ChainNode]) -> list[ChainNode]:
        for node in nodes:
            if node.document.pk in expanded:
                node.repeated = True
            else:
                expanded.add(node.document.pk)
                queue.append(node)
        return nodes

    top = attach(children_of(root_id))
    while queue:
        node = queue.popleft()
        node.children = attach(children_of(node.document.pk))
    return top


def chain(user: Any, document: Document) -> Chain:
    """The document's chain up and down at any depth: two queries (the links, then the documents the
    user may see among them), whatever its length. A document the user may not see is left out with
    everything reached only through it."""
    up, down = chain_edges(document.pk)
    ids = {e.from_id for e in up + down} | {e.to_id for e in up + down}
    ids.discard(document.pk)
    documents = documents_visible(user).in_bulk(ids) if ids else {}
    return Chain(
        document, _tree(document.pk, up, documents, True), _tree(document.pk, down, documents, False)
    )


def registers_above(organisation: Organisation) -> list[str]:
    """The paths of an organisation and every organisation above it: where its references are looked up."""
    ids = path_ids(organisation.path)
    return ["/" + "/".join(str(i) for i in ids[:n]) + "/" for n in range(1, len(ids) + 1)]


def find_by_symbol(user: Any, text: str, issued_on: dt.date | None = None) -> list[Document]:
    """The documents the user may see bearing a number typed or pasted ("03-CT/TW", "Chỉ thị số
    28/CT-TTg"), with that issue date when given. Raises ValueError (Vietnamese) for a malformed number."""
    try:
        symbol = rules.parse_symbol(text)
    except ValueError:
        mentioned = rules.extract_references(text)
        if len(mentioned) != 1:
            raise
        symbol = mentioned[0].symbol
        issued_on = issued_on or mentioned[0].issued_on
    qs = documents_visible(user).filter(symbol=rules.format_symbol(symbol))
    if issued_on is not None:
        qs = qs.filter(issued_on=issued_on)
    return list(qs.order_by("-issued_on", "pk")[:20])
