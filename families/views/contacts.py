"""The contact log of a family: the list with open follow-up actions, logging a contact
with its follow-ups, and marking an action as done."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from families.case_page import case_context
from families.forms.contacts import ContactForm, FollowUpFormSet
from families.selectors import contacts as selectors
from families.services import contacts as services
from liaison.access import CHANGE, VIEW, allows, get_family_or_404
from liaison.forms import SUBMISSION_FIELD, apply_errors, submission_token, submit_once

PAGE_SIZE = 25
SECTION = "contacts"


@require_GET
def contact_list(request: HttpRequest, pk: int) -> HttpResponse:
    family = get_family_or_404(request, pk, VIEW, section=SECTION)
    page = Paginator(selectors.family_contacts(family), PAGE_SIZE).get_page(request.GET.get("page"))
    context = case_context(
        request,
        family,
        "families:contacts",
        page=page,
        open_follow_ups=list(selectors.open_follow_ups(family)),
        can_change=allows(request.user, family, CHANGE),
    )
    return render(request, "families/contacts/contact_list.html", context)


@require_http_methods(["GET", "POST"])
def contact_add(request: HttpRequest, pk: int) -> HttpResponse:
    family = get_family_or_404(request, pk, CHANGE, section=SECTION)
    data = request.POST if request.method == "POST" else None
    form = ContactForm(data)
    follow_ups = FollowUpFormSet(data, prefix="follow_ups")
    token = submission_token(request, form)
    if request.method == "POST" and all([form.is_valid(), follow_ups.is_valid()]):
        contact = {name: value for name, value in form.cleaned_data.items() if name != SUBMISSION_FIELD}

        def log() -> HttpResponse:
            services.contact_log(family=family, created_by=request.user, follow_ups=follow_ups.rows, **contact)
            messages.success(request, _("The contact is logged."))
            return redirect("families:contacts", pk=family.pk)

        try:
            return submit_once(request, token, log)
        except ValidationError as error:
            apply_errors(form, error)
    # One error summary at the top for the contact and its follow-up rows together.
    errors = form.error_list + follow_ups.error_list if data is not None else []
    context = case_context(
        request,
        family,
        "families:contact_add",
        form=form,
        follow_ups=follow_ups,
        summary={"errors": errors, "error_list": errors},
    )
    return render(request, "families/contacts/contact_form.html", context, status=400 if errors else 200)


@require_http_methods(["GET", "POST"])
def follow_up_done(request: HttpRequest, pk: int, action_pk: int) -> HttpResponse:
    family = get_family_or_404(request, pk, CHANGE, section=SECTION)
    action = family.follow_ups.select_related("contact", "completed_by").filter(pk=action_pk).first()
    if action is None:
        raise Http404
    error = ""
    if request.method == "POST":
        try:
            services.follow_up_complete(action=action, completed_by=request.user)
        except ValidationError as refused:
            error = " ".join(refused.messages)
        else:
            messages.success(request, _("The action “%(action)s” is marked as done.") % {"action": action.description})
            return redirect("families:contacts", pk=family.pk)
    context = case_context(
        request,
        family,
        "families:follow_up_done",
        action=action,
        error=error,
        today=timezone.localdate(),
    )
    return render(request, "families/contacts/follow_up_done.html", context, status=400 if error else 200)
