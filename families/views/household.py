"""Children and caregivers of the household, and the suspicion mark."""

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from families.case_page import case_form_page, save_form
from families.forms.household import ChildForm, MemberForm, ReasonForm
from families.selectors.household import accounts_of_person
from families.services import household as services
from liaison.access import CHANGE, SUPERVISE, get_family_or_404


@require_http_methods(["GET", "POST"])
def child_add(request: HttpRequest, pk: int) -> HttpResponse:
    family = get_family_or_404(request, pk, CHANGE, section="household")
    form = ChildForm(request.POST if request.method == "POST" else None)

    def save(**data):
        return services.child_add(family=family, created_by=request.user, **data)

    return save_form(request, form, family, save, _("The child is added.")) or case_form_page(
        request, family, "families/child_form.html", "families:child_add", form
    )


@require_http_methods(["GET", "POST"])
def child_edit(request: HttpRequest, pk: int, child_pk: int) -> HttpResponse:
    family = get_family_or_404(request, pk, CHANGE, section="household")
    child = family.children.filter(pk=child_pk).first()
    if child is None:
        raise Http404
    form = ChildForm(request.POST if request.method == "POST" else None, instance=child)

    def save(**data):
        return services.child_update(child=child, changed_by=request.user, **data)

    return save_form(request, form, family, save, _("The child's details are saved.")) or case_form_page(
        request, family, "families/child_form.html", "families:child_edit", form, child=child
    )


@require_http_methods(["GET", "POST"])
def member_add(request: HttpRequest, pk: int) -> HttpResponse:
    family = get_family_or_404(request, pk, CHANGE, section="household")
    form = MemberForm(request.POST if request.method == "POST" else None)

    def save(**data):
        return services.member_add(family=family, created_by=request.user, **data)

    return save_form(request, form, family, save, _("The caregiver is added.")) or case_form_page(
        request, family, "families/member_form.html", "families:member_add", form
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

    def save(**data):
        return services.member_update(member=member, changed_by=request.user, **data)

    return save_form(request, form, family, save, _("The caregiver's details are saved.")) or case_form_page(
        request, family, "families/member_form.html", "families:member_edit", form, member=member
    )


@require_http_methods(["GET", "POST"])
def suspicion_mark(request: HttpRequest, pk: int, member_pk: int) -> HttpResponse:
    family = get_family_or_404(request, pk, CHANGE, section="household")
    member = _member_or_404(family, member_pk)
    form = ReasonForm(request.POST if request.method == "POST" else None)

    def save(reason: str):
        return services.suspicion_mark(member=member, marked_by=request.user, reason=reason)

    has_account = accounts_of_person(member).exists()
    return save_form(request, form, family, save, _shut_out_message(has_account)) or case_form_page(
        request, family, "families/suspicion_mark.html", "families:suspicion_mark", form, member=member
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

    def save(reason: str):
        return services.suspicion_lift(member=member, lifted_by=request.user, reason=reason)

    return save_form(request, form, family, save, _("The suspicion mark is lifted.")) or case_form_page(
        request, family, "families/suspicion_lift.html", "families:suspicion_lift", form, member=member
    )
