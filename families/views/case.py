"""The caseload, the family overview, opening and closing a case, and handovers."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_GET, require_http_methods

from families import pdf
from families.forms.case import FamilyCloseForm, FamilyEditForm, FamilyOpenForm, HandoverForm
from families.selectors import case as selectors
from families.selectors.handover import handover_pack_context
from families.selectors.progress import progress_summary
from families.services import case as services
from families.views.common import apply_errors, case_context, kept_case_page
from liaison.access import CHANGE, SUPERVISE, VIEW, allows, can, can_see_section, families_for, get_family_or_404
from liaison.attention import attach_attention, attention_lists
from liaison.audit.models import AuditAction
from liaison.audit.services import audit_record
from liaison.fragments import cached_fragment
from liaison.services import reminders_mark_read

PAGE_SIZE = 25
SORT_OPTIONS = [
    ("status", _lazy("Status")),
    ("reference", _lazy("Reference")),
    ("name", _lazy("Family name")),
    ("risk", _lazy("Highest risk first")),
    ("last_contact", _lazy("Longest without contact first")),
    ("next_contact", _lazy("Next planned contact")),
]


@require_GET
def caseload(request: HttpRequest) -> HttpResponse:
    """The families this person works with, with what needs attention."""
    if not can(request.user, VIEW):
        raise Http404
    content = cached_fragment(
        "caseload",
        user=request.user,
        families=families_for(request.user, VIEW),
        parts=[sorted(request.GET.lists())],
        make=lambda: render_to_string("families/partials/caseload_content.html", _caseload(request), request=request),
    )
    audit_record(
        action=AuditAction.CASE_LIST_VIEWED, actor=request.user, detail={"page": request.GET.get("page", "1")[:10]}
    )
    reminders_mark_read(user=request.user, page="families:caseload")
    return render(request, "families/caseload.html", {"content": content})


def _caseload(request: HttpRequest) -> dict:
    search = request.GET.get("q", "").strip()[:100]
    sort = request.GET.get("sort", "status")
    families = selectors.caseload(request.user, search=search, sort=sort)
    page = Paginator(families, PAGE_SIZE).get_page(request.GET.get("page"))
    own = [] if search else _own_families(request.user)
    attach_attention([*page.object_list, *own])  # one pass for the page and the officer's own lists
    return {
        "page": page,
        "search": search,
        "sort": sort,
        "sort_options": SORT_OPTIONS,
        "risk_by_rank": selectors.RISK_BY_RANK,
        "can_open": can(request.user, CHANGE),
        "my_attention": [attention for attention in attention_lists(own) if attention.families],
    }


def _own_families(user) -> list:
    """An officer's own families, for their version of the supervisor's attention lists."""
    if not user.is_officer:
        return []
    return list(selectors.with_attention(selectors.listed(families_for(user, CHANGE))))


@require_GET
def family_detail(request: HttpRequest, pk: int) -> HttpResponse:
    family = get_family_or_404(request, pk, VIEW)

    def overview() -> dict:
        return {
            "can_change": allows(request.user, family, CHANGE),
            "can_supervise": allows(request.user, family, SUPERVISE),
            "progress": progress_summary(family) if can_see_section(request.user, "progress", family) else None,
            **selectors.family_overview(family),
        }

    return kept_case_page(
        request,
        family,
        "families:detail",
        template="families/family_detail.html",
        part="families/partials/family_overview.html",
        make=overview,
    )


@require_http_methods(["GET", "POST"])
def family_open(request: HttpRequest) -> HttpResponse:
    if not can(request.user, CHANGE):
        raise Http404
    form = FamilyOpenForm(request.POST if request.method == "POST" else None, opened_by=request.user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        officer = data.pop("liaison_officer", request.user)
        try:
            family = services.family_open(created_by=request.user, officer=officer, **data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The case %(reference)s is open.") % {"reference": family.reference})
            return redirect("families:detail", pk=family.pk)
    return render(request, "families/family_open.html", {"form": form}, status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
def family_edit(request: HttpRequest, pk: int) -> HttpResponse:
    family = get_family_or_404(request, pk, CHANGE)
    form = FamilyEditForm(request.POST if request.method == "POST" else None, instance=family)
    if request.method == "POST" and form.is_valid():
        try:
            services.family_update(family=family, changed_by=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The case is saved."))
            return redirect("families:detail", pk=family.pk)
    context = case_context(request, family, "families:edit", form=form)
    return render(request, "families/family_edit.html", context, status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
def family_close(request: HttpRequest, pk: int) -> HttpResponse:
    family = get_family_or_404(request, pk, CHANGE)
    form = FamilyCloseForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        services.family_close(family=family, closed_by=request.user, closing_reason=form.cleaned_data["closing_reason"])
        messages.success(
            request,
            _("The case %(reference)s is closed and in the archive. Only an administrator can open it now.")
            % {"reference": family.reference},
        )
        return redirect("families:caseload")
    context = case_context(request, family, "families:close", form=form)
    return render(request, "families/family_close.html", context, status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
def handover_create(request: HttpRequest, pk: int) -> HttpResponse:
    family = get_family_or_404(request, pk, SUPERVISE, section="handovers")
    form = HandoverForm(request.POST if request.method == "POST" else None, family=family)
    if request.method == "POST" and form.is_valid():
        try:
            services.handover_create(family=family, supervisor=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The case was handed over. The new officer is asked to acknowledge it."))
            return redirect("families:detail", pk=family.pk)
    context = case_context(request, family, "families:handover_create", form=form)
    return render(request, "families/handover_form.html", context, status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
def handover_acknowledge(request: HttpRequest, pk: int) -> HttpResponse:
    family = get_family_or_404(request, pk, CHANGE, section="handovers")
    handover = family.handovers.filter(acknowledged_at__isnull=True, to_officer=request.user).first()
    if handover is None:
        raise Http404
    if request.method == "POST":
        services.handover_acknowledge(handover=handover, officer=request.user)
        messages.success(request, _("You acknowledged the handover. The case is yours."))
        return redirect("families:detail", pk=family.pk)
    context = case_context(request, family, "families:handover_acknowledge", handover=handover)
    return render(request, "families/handover_acknowledge.html", context)


@require_GET
def handover_pack(request: HttpRequest, pk: int) -> HttpResponse:
    """The handover pack as a PDF with a neutral file name."""
    family = get_family_or_404(request, pk, VIEW, section="handovers")
    return pdf.pdf_response(
        request,
        "families/handover_pack.html",
        handover_pack_context(family, request.user),
        filename="handover-pack.pdf",
    )
