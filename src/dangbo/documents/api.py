"""API v1 for the register of documents: list, read, register, withdraw, links, chain — scoped."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, inline_serializer
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from dangbo.api.base import LOOKUP_ID, IdField, StrictInput, query_id
from dangbo.core.scoping import allowed, scope
from dangbo.documents import selectors, services
from dangbo.documents.models import Document, DocumentLink
from dangbo.documents.selectors import Filters
from dangbo.orgs.models import Organisation
from dangbo.reports import services as report_services
from dangbo.reports.render import PdfUnavailable
from dangbo.reports.views import export_response
from dangbo.rules import documents as rules
from dangbo.rules.roles import Perm

FIELDS = [
    "id",
    "symbol",
    "system",
    "type_code",
    "type_name",
    "number",
    "year",
    "issuer_org",
    "issuer_code",
    "issuer_name",
    "organisation",
    "term",
    "issued_on",
    "signer_name",
    "signer_post",
    "summary",
    "secrecy",
    "status",
    "registered",
    "recipients",
    "has_file",
    "withdrawn_on",
    "withdrawal_reason",
]


class DocumentOut(serializers.ModelSerializer):
    type_name = serializers.SerializerMethodField()
    has_file = serializers.SerializerMethodField()

    class Meta:
        model = Document
        fields = FIELDS

    def get_type_name(self, document: Document) -> str | None:
        return rules.type_name(document.type_code, document.system) if document.type_code else None  # type: ignore[arg-type]

    def get_has_file(self, document: Document) -> bool:
        return bool(document.file)


class DocumentDetailOut(DocumentOut):
    class Meta:
        model = Document
        fields = [*FIELDS, "body"]


class DocumentIn(StrictInput):
    organisation = IdField(help_text="the organisation whose register keeps the document")
    own = serializers.BooleanField(help_text="true: issued by that organisation and numbered by the service")
    type_code = serializers.CharField(max_length=10, required=False, allow_blank=True)
    number = serializers.CharField(
        max_length=10, required=False, allow_blank=True, help_text="typed only for a document issued earlier"
    )
    symbol = serializers.CharField(
        max_length=100, required=False, allow_blank=True, help_text="another body's"
    )
    issuer_name = serializers.CharField(max_length=255, required=False, allow_blank=True)
    issued_on = serializers.DateField()
    summary = serializers.CharField(max_length=1000)
    signer_name = serializers.CharField(max_length=150, required=False, allow_blank=True)
    signer_post = serializers.CharField(max_length=150, required=False, allow_blank=True)
    body = serializers.CharField(required=False, allow_blank=True, max_length=1_000_000)
    secrecy = serializers.ChoiceField(choices=Document.Secrecy.choices, required=False)
    recipients = serializers.CharField(required=False, allow_blank=True, max_length=10_000)
    implements = serializers.CharField(required=False, allow_blank=True, max_length=10_000)
    file = serializers.FileField(required=False)


class CorrectIn(StrictInput):
    reason = serializers.CharField(max_length=500, help_text="why the entry is corrected; kept in the log")
    summary = serializers.CharField(max_length=1000, required=False, allow_blank=True)
    issuer_name = serializers.CharField(max_length=255, required=False, allow_blank=True)
    signer_name = serializers.CharField(max_length=150, required=False, allow_blank=True)
    signer_post = serializers.CharField(max_length=150, required=False, allow_blank=True)
    body = serializers.CharField(required=False, allow_blank=True, max_length=1_000_000)
    secrecy = serializers.ChoiceField(choices=Document.Secrecy.choices, required=False)
    recipients = serializers.CharField(required=False, allow_blank=True, max_length=10_000)
    file = serializers.FileField(required=False)


class WithdrawIn(StrictInput):
    reason = serializers.CharField(max_length=500)
    on = serializers.DateField(required=False)


class LinkIn(StrictInput):
    target = IdField()
    kind = serializers.ChoiceField(choices=DocumentLink.Kind.choices)


class UnlinkIn(StrictInput):
    link = IdField()


class LinkOut(serializers.ModelSerializer):
    class Meta:
        model = DocumentLink
        fields = ["id", "from_doc", "to_doc", "kind"]


class EdgeOut(serializers.Serializer):
    from_doc = serializers.IntegerField()
    to_doc = serializers.IntegerField()
    kind = serializers.CharField()


class ChainOut(serializers.Serializer):
    document = serializers.IntegerField()
    up = EdgeOut(many=True, help_text="links above: from_doc implements/amends/replaces to_doc")
    down = EdgeOut(many=True, help_text="links below")
    documents = DocumentOut(many=True, help_text="every document of the chain the caller may see")


NextNumberOut = inline_serializer(
    "NextNumberOut",
    {
        "symbol": serializers.CharField(),
        "number": serializers.IntegerField(),
        "term": serializers.CharField(),
    },
)

FILTER_PARAMS = [
    OpenApiParameter("type_code", str, description="type code, e.g. NQ, CT, CTr"),
    OpenApiParameter("issuer", str, description="issuer code, e.g. TW, TTg, ĐU"),
    OpenApiParameter("system", str, enum=Document.System.values),
    OpenApiParameter("year", int),
    OpenApiParameter("from", dt.date, description="issued on or after"),
    OpenApiParameter("to", dt.date, description="issued on or before"),
    OpenApiParameter("q", str, description="accent-insensitive words of the number or summary"),
    OpenApiParameter("organisation", int, description="only the registers of this subtree"),
]


DetailOut = inline_serializer("DetailOut", {"detail": serializers.CharField()})
NOT_READABLE = OpenApiResponse(DetailOut, description="no such document among those the caller may read")


def _export_schema(fmt: report_services.Format, extra: dict[Any, Any] | None = None) -> Any:
    label = {"docx": "Word (.docx)", "pdf": "PDF"}[fmt]
    return extend_schema(
        summary=f"The document in the Party's format as {label}",
        description=(
            f"The document laid out in the Party's format (36-HD/VPTW) as {label}, as an attachment "
            "named after its number and date. A confidential document's export is recorded in the "
            "audit chain."
        ),
        responses={
            (200, report_services.CONTENT_TYPES[fmt]): OpenApiTypes.BINARY,
            404: NOT_READABLE,
            **(extra or {}),
        },
    )


def _date(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


@extend_schema(tags=["documents"])
class DocumentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The register of documents the caller may see: filters, accent-insensitive search, the chain."""

    lookup_value_regex = LOOKUP_ID

    def get_serializer_class(self) -> Any:
        return DocumentDetailOut if self.action == "retrieve" else DocumentOut

    def get_queryset(self) -> QuerySet[Document]:
        params = self.request.query_params
        year = query_id(params.get("year"))
        organisation = None
        if "organisation" in params:
            pk = query_id(params["organisation"])
            organisation = Organisation.objects.filter(pk=pk).first() if pk else None
            if organisation is None:
                return Document.objects.none()
        filters = Filters(
            type_code=params.get("type_code", ""),
            issuer=params.get("issuer", ""),
            system=params.get("system", ""),
            year=year if year and year < 10_000 else None,
            date_from=_date(params.get("from")),
            date_to=_date(params.get("to")),
            query=params.get("q", ""),
            organisation=organisation,
        )
        return selectors.register(self.request.user, filters)

    @extend_schema(parameters=FILTER_PARAMS)
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(
        request={"application/json": DocumentIn, "multipart/form-data": DocumentIn},
        responses=DocumentDetailOut,
    )
    def create(self, request: Request) -> Response:
        data = DocumentIn(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        organisation = get_object_or_404(
            scope(Organisation.objects.all(), request.user, Perm.DOCUMENT_CHANGE),
            pk=values.pop("organisation"),
        )
        document = services.document_register(actor=request.user, organisation=organisation, **values)
        return Response(DocumentDetailOut(document).data, status=status.HTTP_201_CREATED)

    def perform_content_negotiation(self, request: Request, force: bool = False) -> Any:
        # The exports answer with a file whatever the Accept header says; their errors are JSON.
        return super().perform_content_negotiation(request, force=force or self.action in {"word", "pdf"})

    def _export(self, pk: int, fmt: report_services.Format) -> HttpResponse | Response:
        document = get_object_or_404(selectors.documents_visible(self.request.user), pk=pk)
        try:
            export = report_services.document_export(actor=self.request.user, document=document, fmt=fmt)
        except PdfUnavailable:
            return Response(
                {
                    "detail": _(
                        "This server cannot make PDF files (WeasyPrint and Pango are not installed); the Word export works."
                    )
                },
                status=status.HTTP_503_SERVICE_UNAVAILABLE,
            )
        return export_response(export)

    @_export_schema("docx")
    @action(detail=True, methods=["get"])
    def word(self, request: Request, pk: int) -> HttpResponse | Response:
        return self._export(pk, "docx")

    @_export_schema("pdf", {503: OpenApiResponse(DetailOut, description="PDF cannot be made on this server")})
    @action(detail=True, methods=["get"])
    def pdf(self, request: Request, pk: int) -> HttpResponse | Response:
        return self._export(pk, "pdf")

    def _to_change(self, pk: int) -> Document:
        document = get_object_or_404(selectors.documents_visible(self.request.user), pk=pk)
        if not allowed(self.request.user, Perm.DOCUMENT_CHANGE, document):
            self.permission_denied(self.request)
        return document

    @extend_schema(responses=ChainOut)
    @action(detail=True, methods=["get"])
    def chain(self, request: Request, pk: int) -> Response:
        """The chain above and below the document, at any depth, as links and documents."""
        document = get_object_or_404(selectors.documents_visible(request.user), pk=pk)
        up, down = selectors.chain_edges(document.pk)
        ids = {e.from_id for e in up + down} | {e.to_id for e in up + down} | {document.pk}
        visible = selectors.documents_visible(request.user).in_bulk(ids)

        def edges(found: list[selectors.Edge]) -> list[dict[str, Any]]:
            return [
                {"from_doc": e.from_id, "to_doc": e.to_id, "kind": e.kind}
                for e in found
                if e.from_id in visible and e.to_id in visible
            ]

        return Response(
            {
                "document": document.pk,
                "up": edges(up),
                "down": edges(down),
                "documents": DocumentOut(sorted(visible.values(), key=lambda d: d.pk), many=True).data,
            }
        )

    @extend_schema(
        parameters=[
            OpenApiParameter("organisation", int, required=True),
            OpenApiParameter("type_code", str, required=True),
            OpenApiParameter("on", dt.date, description="the issue date (default today)"),
        ],
        responses=NextNumberOut,
    )
    @action(detail=False, methods=["get"], url_path="next-number")
    def next_number(self, request: Request) -> Response:
        """The number registering a document of this type would give now (a proposal, not a reservation)."""
        params = request.query_params
        pk = query_id(params.get("organisation"))
        organisation = (
            scope(Organisation.objects.all(), request.user, Perm.DOCUMENT_CHANGE).filter(pk=pk).first()
            if pk
            else None
        )
        if organisation is None:
            raise serializers.ValidationError(
                {"organisation": [_("Choose a party organisation within your scope.")]}
            )
        type_code = params.get("type_code", "")
        if type_code not in rules.DOC_TYPES["party"]:
            raise serializers.ValidationError(
                {"type_code": [_("Choose the type of document from the list.")]}
            )
        on = _date(params.get("on")) or timezone.localdate()
        proposals = selectors.proposals(organisation, on)
        symbol = proposals.symbol(organisation, type_code)
        if not symbol or proposals.term is None:
            raise serializers.ValidationError(
                {
                    "on": [
                        _(
                            "No number can be proposed: %(org)s has no committee term containing %(date)s, or no issuer code."
                        )
                        % {"org": organisation.name, "date": on.strftime("%d/%m/%Y")}
                    ]
                }
            )
        return Response(
            {"symbol": symbol, "number": proposals.next_numbers[type_code], "term": proposals.term.name}
        )

    @extend_schema(request=WithdrawIn, responses=DocumentDetailOut)
    @action(detail=True, methods=["post"])
    def withdraw(self, request: Request, pk: int) -> Response:
        document = self._to_change(pk)
        data = WithdrawIn(data=request.data)
        data.is_valid(raise_exception=True)
        document = services.document_withdraw(actor=request.user, document=document, **data.validated_data)
        return Response(DocumentDetailOut(document).data)

    @extend_schema(
        request={"application/json": CorrectIn, "multipart/form-data": CorrectIn},
        responses=DocumentDetailOut,
    )
    @action(detail=True, methods=["post"])
    def correct(self, request: Request, pk: int) -> Response:
        """Correct the entry: the fields sent replace the kept ones, those left out keep their values;
        the number, type, issuer and date are not corrected (withdraw and register again)."""
        document = self._to_change(pk)
        data = CorrectIn(data=request.data)
        data.is_valid(raise_exception=True)
        values = {name: getattr(document, name) for name in services.CORRECTABLE}
        values.update(data.validated_data)
        document = services.document_correct(actor=request.user, document=document, **values)
        return Response(DocumentDetailOut(document).data)

    @extend_schema(request=LinkIn, responses=LinkOut)
    @action(detail=True, methods=["post"])
    def links(self, request: Request, pk: int) -> Response:
        """Link this document to another: implements, cites, amends or replaces (again: change the relation)."""
        document = self._to_change(pk)
        data = LinkIn(data=request.data)
        data.is_valid(raise_exception=True)
        target = get_object_or_404(
            selectors.documents_visible(request.user), pk=data.validated_data["target"]
        )
        link = services.document_link(
            actor=request.user, source=document, target=target, kind=data.validated_data["kind"]
        )
        return Response(LinkOut(link).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=UnlinkIn, responses={204: None})
    @action(detail=True, methods=["post"])
    def unlink(self, request: Request, pk: int) -> Response:
        document = self._to_change(pk)
        data = UnlinkIn(data=request.data)
        data.is_valid(raise_exception=True)
        link = get_object_or_404(
            DocumentLink.objects.filter(from_doc=document), pk=data.validated_data["link"]
        )
        services.document_unlink(actor=request.user, link=link)
        return Response(status=status.HTTP_204_NO_CONTENT)
