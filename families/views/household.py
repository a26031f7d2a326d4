"""Children and caregivers of the household, and the suspicion mark."""

from functools import partial

from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from families.case_page import case_form_page
from families.forms.household import ChildForm, MemberForm, ReasonForm
from families.selectors.household import accounts_of_person
from families.services import household as services
from liaison.access import CHANGE, SUPERVISE, get_family_or_404


@require_http_methods(["GET", "POST"])
def child_add(request: HttpRequest, pk: int) -> HttpResponse:
    family = get_family_or_404(request, pk, CHANGE, section="household")
    form = ChildForm(request.POST if request.method == "POST" else None)
    return case_form_page(
        request,
        family,
        form,
        save=partial(services.child_add, family=family, created_by=request.user),
        success=_("The child is added."),
        redirect_to=reverse("families:detail", args=[family.pk]),
        template="families/child_form.html",
        current="families:child_add",
    )


@require_http_methods(["GET", "POST"])
def child_edit(request: HttpRequest, pk: int, child_pk: int) -> HttpResponse:
    family = get_family_or_404(request, pk, CHANGE, section="household")
    child = family.children.filter(pk=child_pk).first()
    if child is None:
        raise Http404
    form = ChildForm(request.POST if request.method == "POST" else None, instance=child)
    return case_form_page(
        request,
        family,
        form,
        save=partial(services.child_update, child=child, changed_by=request.user),
        success=_("The child's details are saved."),
        redirect_to=reverse("families:detail", args=[family.pk]),
        template="families/child_form.html",
        current="families:child_edit",
        child=child,
    )


@require_http_methods(["GET", "POST"])
def member_add(request: HttpRequest, pk: int) -> HttpResponse:
    family = get_family_or_404(request, pk, CHANGE, section="household")
    form = MemberForm(request.POST if request.method == "POST" else None)
    return case_form_page(
        request,
        family,
        form,
        save=partial(services.member_add, family=family, created_by=request.user),
        success=_("The caregiver is added."),
        redirect_to=reverse("families:detail", args=[family.pk]),
        template="families/member_form.html",
        current="families:member_add",
    )


def _member_or_404(family, member_pk: int):
    member = family.household_members.filter(pk=member_pk).first()
    if member is None:
        raise Http404
    return member


@require_http_methods(["GET", "POST"])
def member_edit(request: HttpRequest, pk: int, member_pk: int) -> HttpResponse:
    family = get_family_or_404(request, pk, CHANGE, section="household")
    member = _member_or_404(family, member_pk)
    form = MemberForm(request.POST if request.method == "POST" else None, instance=member)
    return case_form_page(
        request,
        family,
        form,
        save=partial(services.member_update, member=member, changed_by=request.user),
        success=_("The caregiver's details are saved."),
        redirect_to=reverse("families:detail", args=[family.pk]),
        template="families/member_form.html",
        current="families:member_edit",
        member=member,
    )


@require_http_methods(["GET", "POST"])
def suspicion_mark(request: HttpRequest, pk: int, member_pk: int) -> HttpResponse:
    family = get_family_or_404(request, pk, CHANGE, section="household")
    member = _member_or_404(family, member_pk)
    form = ReasonForm(request.POST if request.method == "POST" else None)
    has_account = accounts_of_person(member).exists()
    return case_form_page(
        request,
        family,
        form,
        save=partial(services.suspicion_mark, member=member, marked_by=request.user),
        success=_shut_out_message(has_account),
        redirect_to=reverse("families:detail", args=[family.pk]),
        template="families/suspicion_mark.html",
        current="families:suspicion_mark",
        member=member,
    )


def _shut_out_message(has_account: bool) -> str:
    """Says only what is true once the mark is saved (see ``services.person_shut_out``)."""
    if has_account:
        return _(
            "The caregiver is marked as suspected. Their portal account is shut out of every family "
            "and every session they had has ended."
        )
    return _("The caregiver is marked as suspected. They have no portal account and cannot be invited to one.")


@require_http_methods(["GET", "POST"])
def suspicion_lift(request: HttpRequest, pk: int, member_pk: int) -> HttpResponse:
    family = get_family_or_404(request, pk, SUPERVISE, section="household")
    member = _member_or_404(family, member_pk)
    form = ReasonForm(request.POST if request.method == "POST" else None)
    return case_form_page(
        request,
        family,
        form,
        save=partial(services.suspicion_lift, member=member, lifted_by=request.user),
        success=_("The suspicion mark is lifted."),
        redirect_to=reverse("families:detail", args=[family.pk]),
        template="families/suspicion_lift.html",
        current="families:suspicion_lift",
        member=member,
    )
