"""Pages of the organisation trees, people and posts. Thin: parse, call a selector or service, render."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from dangbo.core import audit
from dangbo.core.scoping import allowed, grant_for, has_any, require, scope
from dangbo.orgs import selectors, services
from dangbo.orgs.forms import (
    AppointmentForm,
    EndAppointmentForm,
    MergeForm,
    MoveForm,
    PersonForm,
    RoleForm,
    TermForm,
    TreeNodeForm,
)
from dangbo.orgs.labels import ORG_KIND_LABELS, ROLE_LABELS, UNIT_KIND_LABELS
from dangbo.orgs.models import Appointment, Organisation, Person, RoleAssignment, TreeNode, Unit
from dangbo.rules.roles import Perm, Role

TREES: dict[str, dict[str, Any]] = {
    "org": {
        "model": Organisation,
        "view": Perm.ORG_VIEW,
        "change": Perm.ORG_CHANGE,
        "labels": ORG_KIND_LABELS,
        "list_url": "orgs:org_tree",
        "detail_url": "orgs:org_detail",
    },
    "unit": {
        "model": Unit,
        "view": Perm.UNIT_VIEW,
        "change": Perm.UNIT_CHANGE,
        "labels": UNIT_KIND_LABELS,
        "list_url": "orgs:unit_tree",
        "detail_url": "orgs:unit_detail",
    },
}


def _get_visible(model: type[TreeNode], user: Any, pk: int) -> Any:
    try:
        return selectors.tree_visible(model, user).get(pk=pk)
    except model.DoesNotExist as exc:
        raise Http404 from exc


def apply_service(form: Any, action: Callable[[], Any]) -> Any:
    """Run a service; put its validation errors on the form (nothing is saved on error)."""
    try:
        return action()
    except ValidationError as exc:
        if hasattr(exc, "error_dict"):
            for field, errors in exc.error_dict.items():
                for error in errors:
                    form.add_error(field if field in form.fields else None, error)
        else:
            for message in exc.messages:
                form.add_error(None, message)
    return None


def form_page(
    request: HttpRequest, form: Any, *, node: Any, conf: dict[str, Any], tree: str, title: Any
) -> HttpResponse:
    """Every form page looks the same: title, back link to the node, error summary, fields."""
    context = {"form": form, "node": node, "conf": conf, "tree": tree, "title": title}
    return render(request, "orgs/form.html", context)


def home(request: HttpRequest) -> HttpResponse:
    """A member (no other role) starts in their handbook; the offices in the party tree."""
    roles = grant_for(request.user, Perm.ORG_VIEW).roles
    if not request.user.is_superuser and roles <= {Role.MEMBER.value}:
        return redirect("handbook:home")
    return redirect("orgs:org_tree")


def tree(request: HttpRequest, tree: str) -> HttpResponse:
    conf = TREES[tree]
    model = conf["model"]
    if not has_any(request.user, conf["view"]):
        raise PermissionDenied
    query = request.GET.get("q", "").strip()
    context: dict[str, Any] = {"tree": tree, "conf": conf, "query": query}
    if query:
        results = selectors.tree_search(model, request.user, query)
        context["results"] = results
        context["result_paths"] = selectors.ancestors_by_path(model, results)
        other = "unit" if tree == "org" else "org"
        if not results and has_any(request.user, TREES[other]["view"]):
            # "buu dien ha noi" is a business unit, not a party organisation: say where it is
            context["elsewhere"] = {
                "tree": other,
                "url": TREES[other]["list_url"],
                "count": selectors.tree_search_count(TREES[other]["model"], request.user, query),
            }
    else:
        roots = selectors.tree_roots(model, request.user)
        context["roots"] = [(root, selectors.tree_children(model, request.user, root)) for root in roots]
    return render(request, "orgs/tree.html", context)


def node_detail(request: HttpRequest, tree: str, pk: int) -> HttpResponse:
    conf = TREES[tree]
    model = conf["model"]
    node = _get_visible(model, request.user, pk)
    user = request.user
    ancestors, children = selectors.tree_neighbourhood(model, user, node)
    context: dict[str, Any] = {
        "tree": tree,
        "conf": conf,
        "node": node,
        "ancestors": ancestors,
        "children": children,
        "kind_label": conf["labels"].get(node.kind, node.kind),
        "can_change": allowed(user, conf["change"], node),
        "can_post": allowed(
            user,
            Perm.POSITION_CHANGE,
            Appointment(organisation=node) if tree == "org" else Appointment(unit=node),
        ),
        "can_audit": allowed(user, Perm.AUDIT_VIEW, node),
        "can_roles": tree == "org" and allowed(user, Perm.ROLE_MANAGE, node),
        "can_add_person": tree == "org" and allowed(user, Perm.PERSON_CHANGE, Person(organisation=node)),
    }
    if tree == "org":
        context["posts"] = selectors.current_posts(organisation=node)
        context["terms"] = list(node.terms.all())
        context["units"] = list(scope(node.units.all(), user, Perm.UNIT_VIEW))
        context["people"] = selectors.people_of(user, node)
    else:
        context["posts"] = selectors.current_posts(unit=node)
        context["led_by"] = list(scope(node.led_by.all(), user, Perm.ORG_VIEW))
    return render(request, "orgs/detail.html", context)


def node_edit(request: HttpRequest, tree: str, pk: int) -> HttpResponse:
    conf = TREES[tree]
    node = _get_visible(conf["model"], request.user, pk)
    require(request.user, conf["change"], node)
    initial = {"name": node.name, "short_name": node.short_name, "code": node.code, "kind": node.kind}
    if tree == "org":
        initial["place"] = node.place
    form = TreeNodeForm(request.POST or None, model=conf["model"], initial=initial)
    if request.method == "POST" and form.is_valid():
        update = services.organisation_update if tree == "org" else services.unit_update
        key = "organisation" if tree == "org" else "unit"
        if apply_service(form, lambda: update(actor=request.user, **{key: node}, **form.cleaned_data)):
            messages.success(request, _("Saved."))
            return redirect(conf["detail_url"], pk=node.pk)
    return form_page(
        request, form, node=node, conf=conf, tree=tree, title=_("Edit %(name)s") % {"name": node.name}
    )


def node_add_child(request: HttpRequest, tree: str, pk: int) -> HttpResponse:
    conf = TREES[tree]
    parent = _get_visible(conf["model"], request.user, pk)
    require(request.user, conf["change"], parent)
    form = TreeNodeForm(request.POST or None, model=conf["model"])
    if request.method == "POST" and form.is_valid():
        create = services.organisation_create if tree == "org" else services.unit_create
        child = apply_service(form, lambda: create(actor=request.user, parent=parent, **form.cleaned_data))
        if child:
            messages.success(request, _("Created %(name)s.") % {"name": child.name})
            return redirect(conf["detail_url"], pk=child.pk)
    return form_page(
        request,
        form,
        node=parent,
        conf=conf,
        tree=tree,
        title=_("Add under %(name)s") % {"name": parent.name},
    )


def node_move(request: HttpRequest, tree: str, pk: int) -> HttpResponse:
    conf = TREES[tree]
    model = conf["model"]
    node = _get_visible(model, request.user, pk)
    require(request.user, conf["change"], node)
    targets = scope(model.objects.filter(dissolved_on__isnull=True), request.user, conf["change"]).exclude(
        path__within=node.path
    )
    form = MoveForm(request.POST or None, queryset=targets.order_by("path"))
    if request.method == "POST" and form.is_valid():
        move = services.organisation_move if tree == "org" else services.unit_move
        key = "organisation" if tree == "org" else "unit"
        if apply_service(
            form, lambda: move(actor=request.user, **{key: node}, new_parent=form.cleaned_data["new_parent"])
        ):
            messages.success(request, _("Moved."))
            return redirect(conf["detail_url"], pk=node.pk)
    return form_page(
        request, form, node=node, conf=conf, tree=tree, title=_("Move %(name)s") % {"name": node.name}
    )


def org_merge(request: HttpRequest, pk: int) -> HttpResponse:
    conf = TREES["org"]
    node = _get_visible(Organisation, request.user, pk)
    require(request.user, Perm.ORG_CHANGE, node)
    targets = scope(
        Organisation.objects.filter(dissolved_on__isnull=True, kind=node.kind), request.user, Perm.ORG_CHANGE
    ).exclude(pk=node.pk)
    form = MergeForm(request.POST or None, queryset=targets.order_by("path"))
    if request.method == "POST" and form.is_valid():
        target = apply_service(
            form,
            lambda: services.organisation_merge(
                actor=request.user,
                source=node,
                target=form.cleaned_data["target"],
                on=form.cleaned_data["on"],
            ),
        )
        if target:
            messages.success(request, _("Merged into %(name)s.") % {"name": target.name})
            return redirect("orgs:org_detail", pk=target.pk)
    return form_page(
        request, form, node=node, conf=conf, tree="org", title=_("Merge %(name)s") % {"name": node.name}
    )


def term_add(request: HttpRequest, pk: int) -> HttpResponse:
    node = _get_visible(Organisation, request.user, pk)
    require(request.user, Perm.ORG_CHANGE, node)
    form = TermForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if apply_service(
            form, lambda: services.term_create(actor=request.user, organisation=node, **form.cleaned_data)
        ):
            messages.success(request, _("Term added."))
            return redirect("orgs:org_detail", pk=node.pk)
    return form_page(request, form, node=node, conf=TREES["org"], tree="org", title=_("Add a committee term"))


def appointment_add(request: HttpRequest, tree: str, pk: int) -> HttpResponse:
    conf = TREES[tree]
    node = _get_visible(conf["model"], request.user, pk)
    place = {"organisation": node} if tree == "org" else {"unit": node}
    require(request.user, Perm.POSITION_CHANGE, Appointment(**place))
    form = AppointmentForm(request.POST or None, people=selectors.people_visible(request.user), place=node)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if apply_service(form, lambda: services.appointment_create(actor=request.user, **place, **data)):
            messages.success(request, _("Post recorded."))
            return redirect(conf["detail_url"], pk=node.pk)
    return form_page(request, form, node=node, conf=conf, tree=tree, title=_("Record a post holder"))


def appointment_end(request: HttpRequest, pk: int) -> HttpResponse:
    appointment = get_object_or_404(selectors.appointments_visible(request.user), pk=pk)
    require(request.user, Perm.POSITION_CHANGE, appointment)
    form = EndAppointmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if apply_service(
            form,
            lambda: services.appointment_end(
                actor=request.user, appointment=appointment, ends_on=form.cleaned_data["ends_on"]
            ),
        ):
            messages.success(request, _("Appointment ended."))
            return redirect("orgs:person_detail", pk=appointment.person_id)
    tree = "org" if appointment.organisation_id else "unit"
    title = _("End the appointment: %(a)s") % {"a": appointment}
    return form_page(request, form, node=appointment.place, conf=TREES[tree], tree=tree, title=title)


def person_add(request: HttpRequest, pk: int) -> HttpResponse:
    node = _get_visible(Organisation, request.user, pk)
    require(request.user, Perm.PERSON_CHANGE, Person(organisation=node))
    form = PersonForm(request.POST or None, units=selectors.tree_visible(Unit, request.user))
    if request.method == "POST" and form.is_valid():
        person = apply_service(
            form, lambda: services.person_create(actor=request.user, organisation=node, **form.cleaned_data)
        )
        if person:
            messages.success(request, _("Added %(name)s.") % {"name": person.full_name})
            return redirect("orgs:person_detail", pk=person.pk)
    return form_page(
        request,
        form,
        node=node,
        conf=TREES["org"],
        tree="org",
        title=_("Add a person to %(name)s") % {"name": node.name},
    )


def person_edit(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        person = selectors.person_detail(request.user, pk)
    except Person.DoesNotExist as exc:
        raise Http404 from exc
    require(request.user, Perm.PERSON_CHANGE, person)
    fields = ("full_name", "gender", "birth_date", "email", "phone", "is_party_member", "unit")
    form = PersonForm(
        request.POST or None,
        units=selectors.tree_visible(Unit, request.user),
        initial={name: getattr(person, name) for name in fields},
    )
    if request.method == "POST" and form.is_valid():
        if apply_service(
            form, lambda: services.person_update(actor=request.user, person=person, **form.cleaned_data)
        ):
            messages.success(request, _("Saved."))
            return redirect("orgs:person_detail", pk=person.pk)
    return form_page(
        request,
        form,
        node=person.organisation,
        conf=TREES["org"],
        tree="org",
        title=_("Edit %(name)s") % {"name": person.full_name},
    )


def roles(request: HttpRequest, pk: int) -> HttpResponse:
    """Who has which role on this organisation (and so over its subtree); grant and revoke."""
    node = _get_visible(Organisation, request.user, pk)
    require(request.user, Perm.ROLE_MANAGE, node)
    form = RoleForm(request.POST or None, roles=services.grantable_roles(request.user, node))
    if request.method == "POST" and form.is_valid():
        if apply_service(
            form,
            lambda: services.role_assign(
                actor=request.user,
                user=form.cleaned_data["username"],
                organisation=node,
                role=form.cleaned_data["role"],
            ),
        ):
            messages.success(request, _("Role granted."))
            return redirect("orgs:roles", pk=node.pk)
    assignments = (
        node.role_assignments.active().select_related("user__person").order_by("role", "user__username")
    )
    return render(
        request,
        "orgs/roles.html",
        {
            "node": node,
            "form": form,
            "assignments": assignments,
            "conf": TREES["org"],
            "tree": "org",
            "role_labels": ROLE_LABELS,
        },
    )


def role_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = get_object_or_404(
        scope(RoleAssignment.objects.active(), request.user, Perm.ROLE_MANAGE).select_related("organisation"),
        pk=pk,
    )
    if request.method != "POST":
        return redirect("orgs:roles", pk=assignment.organisation_id)
    services.role_revoke(actor=request.user, assignment=assignment)
    messages.success(request, _("Role revoked."))
    return redirect("orgs:roles", pk=assignment.organisation_id)


def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        person = selectors.person_detail(request.user, pk)
    except Person.DoesNotExist as exc:
        raise Http404 from exc
    return render(
        request,
        "orgs/person.html",
        {
            "person": person,
            "posts": selectors.posts_of_person(person),
            "can_audit": allowed(request.user, Perm.AUDIT_VIEW, person),
            "can_post": allowed(request.user, Perm.POSITION_CHANGE, person),
            "can_change": allowed(request.user, Perm.PERSON_CHANGE, person),
        },
    )


HISTORY_KINDS: dict[str, tuple[type[Organisation] | type[Unit] | type[Person], Perm, str]] = {
    "org": (Organisation, Perm.ORG_VIEW, "orgs:org_detail"),
    "unit": (Unit, Perm.UNIT_VIEW, "orgs:unit_detail"),
    "person": (Person, Perm.PERSON_VIEW, "orgs:person_detail"),
}


def history(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    model, view_perm, detail_url = HISTORY_KINDS[kind]
    instance = get_object_or_404(scope(model.objects.all(), request.user, view_perm), pk=pk)
    if not allowed(request.user, Perm.AUDIT_VIEW, instance):
        raise PermissionDenied
    page = Paginator(audit.with_access(audit.history(instance), request.user).order_by("-seq"), 50).get_page(
        request.GET.get("page")
    )
    return render(request, "core/history.html", {"object": instance, "page": page, "detail_url": detail_url})
