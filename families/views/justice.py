"""The justice journey on the staff side: the criminal cases of a family with their
milestones, recording and correcting them, and the police's approval of what the
parents may read. Who may do what is the access policy's answer, never the view's."""

from functools import partial

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from families.case_page import case_context, case_form_page
from families.forms.justice import ApproveForm, CriminalCaseForm, MilestoneForm
from families.models import CaseMilestone, CriminalCase, Family
from families.selectors import justice as selectors
from families.services import justice as services
from liaison.access import APPROVE_FOR_PARENTS, RECORD_JUSTICE, VIEW, allows, get_family_or_404, sees_police_only_notes

SECTION = selectors.SECTION


def _case_or_404(family: Family, case_pk: int) -> CriminalCase:
    case = selectors.criminal_case_of(family, case_pk)
    if case is None:
        raise Http404
    return case


def _milestone_or_404(family: Family, milestone_pk: int) -> CaseMilestone:
    milestone = selectors.milestone_of(family, milestone_pk)
    if milestone is None:
        raise Http404
    return milestone


@require_GET
def justice_list(request: HttpRequest, pk: int) -> HttpResponse:
    family = get_family_or_404(request, pk, VIEW, section=SECTION)
    context = case_context(
        request,
        family,
        "families:justice",
        cases=list(selectors.criminal_cases_of(family)),
        can_record=allows(request.user, family, RECORD_JUSTICE),
        can_approve=allows(request.user, family, APPROVE_FOR_PARENTS),
        police_notes=sees_police_only_notes(request.user),
    )
    return render(request, "families/justice/list.html", context)


# The police-only note is a field of these forms only for police partners, so it travels
# to the services only from their forms.
@require_http_methods(["GET", "POST"])
def criminal_case_add(request: HttpRequest, pk: int) -> HttpResponse:
    family = get_family_or_404(request, pk, RECORD_JUSTICE, section=SECTION)
    police = sees_police_only_notes(request.user)
    form = CriminalCaseForm(request.POST if request.method == "POST" else None, family=family, police=police)
    return case_form_page(
        request,
        family,
        form,
        save=partial(services.criminal_case_record, family=family, created_by=request.user),
        success=_("The criminal case is recorded."),
        redirect_to=reverse("families:justice", args=[family.pk]),
        template="families/justice/case_form.html",
        current="families:criminal_case_add",
        case=None,
    )


@require_http_methods(["GET", "POST"])
def criminal_case_edit(request: HttpRequest, pk: int, case_pk: int) -> HttpResponse:
    family = get_family_or_404(request, pk, RECORD_JUSTICE, section=SECTION)
    case = _case_or_404(family, case_pk)
    police = sees_police_only_notes(request.user)
    form = CriminalCaseForm(request.POST if request.method == "POST" else None, family=family, case=case, police=police)
    return case_form_page(
        request,
        family,
        form,
        save=partial(services.criminal_case_update, case=case, changed_by=request.user),
        success=_("The criminal case is saved."),
        redirect_to=reverse("families:justice", args=[family.pk]),
        template="families/justice/case_form.html",
        current="families:criminal_case_edit",
        case=case,
    )


@require_http_methods(["GET", "POST"])
def milestone_add(request: HttpRequest, pk: int, case_pk: int) -> HttpResponse:
    family = get_family_or_404(request, pk, RECORD_JUSTICE, section=SECTION)
    case = _case_or_404(family, case_pk)
    police = sees_police_only_notes(request.user)
    form = MilestoneForm(request.POST if request.method == "POST" else None, case=case, police=police)
    return case_form_page(
        request,
        family,
        form,
        save=partial(services.milestone_record, case=case, created_by=request.user),
        success=_("The step is recorded. The parents see nothing of it until the police approve."),
        redirect_to=reverse("families:justice", args=[family.pk]),
        template="families/justice/milestone_form.html",
        current="families:milestone_add",
        case=case,
        milestone=None,
    )


@require_http_methods(["GET", "POST"])
def milestone_edit(request: HttpRequest, pk: int, milestone_pk: int) -> HttpResponse:
    family = get_family_or_404(request, pk, RECORD_JUSTICE, section=SECTION)
    milestone = _milestone_or_404(family, milestone_pk)
    police = sees_police_only_notes(request.user)
    form = MilestoneForm(
        request.POST if request.method == "POST" else None, case=milestone.case, milestone=milestone, police=police
    )
    return case_form_page(
        request,
        family,
        form,
        save=partial(services.milestone_update, milestone=milestone, changed_by=request.user),
        success=_("The step is saved."),
        redirect_to=reverse("families:justice", args=[family.pk]),
        template="families/justice/milestone_form.html",
        current="families:milestone_edit",
        case=milestone.case,
        milestone=milestone,
    )


def _approved_message(approved: CaseMilestone) -> str:
    if services.visible_to_parents(approved):
        return _("Approved. The parents can read the text in their portal.")
    return _("Approved, but the portal does not show it: a caregiver is the suspect.")


@require_http_methods(["GET", "POST"])
def milestone_approve(request: HttpRequest, pk: int, milestone_pk: int) -> HttpResponse:
    """A police partner of the family's unit allows the parents to read the parents' text."""
    family = get_family_or_404(request, pk, APPROVE_FOR_PARENTS, section=SECTION)
    milestone = _milestone_or_404(family, milestone_pk)
    form = ApproveForm(request.POST if request.method == "POST" else None, milestone=milestone)
    return case_form_page(
        request,
        family,
        form,
        save=partial(services.milestone_approve, milestone=milestone, officer=request.user),
        success=_approved_message,
        redirect_to=reverse("families:justice", args=[family.pk]),
        template="families/justice/approve.html",
        current="families:milestone_approve",
        milestone=milestone,
    )


@require_POST
def milestone_approval_withdraw(request: HttpRequest, pk: int, milestone_pk: int) -> HttpResponse:
    family = get_family_or_404(request, pk, APPROVE_FOR_PARENTS, section=SECTION)
    milestone = _milestone_or_404(family, milestone_pk)
    services.milestone_approval_withdraw(milestone=milestone, officer=request.user)
    messages.success(request, _("The approval is withdrawn. The parents no longer see this text."))
    return redirect("families:justice", pk=family.pk)
