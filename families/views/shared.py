"""What the parents shared, on the staff side: the case section with every item and its
status, the police's answer to an item, and the list of items still waiting for the
police across the families a person may see."""

from functools import partial

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from families.case_page import case_context, case_form_page
from families.forms.shared import AcknowledgeForm
from families.models import ContextSource, Family, SharedInformation, SharedStatus
from families.selectors import shared as selectors
from families.services.shared import shared_information_acknowledge
from families.views.contexts import contexts_on_source_page
from liaison.access import ACKNOWLEDGE, VIEW, allows, can, can_see_section, families_for, get_family_or_404
from liaison.audit.models import AuditAction
from liaison.audit.services import audit_record
from liaison.staff.attention import PoliceTask, attach_due_dates, police_waiting
from liaison.staff.services import reminders_mark_read
from liaison.uploads import attachment_response

SECTION = selectors.SECTION
PAGE_SIZE = 25


def _item_or_404(family: Family, item_pk: int) -> SharedInformation:
    item = selectors.shared_item_of(family, item_pk)
    if item is None:
        raise Http404
    return item


@require_GET
def shared_list(request: HttpRequest, pk: int) -> HttpResponse:
    family = get_family_or_404(request, pk, VIEW, section=SECTION)
    page = Paginator(selectors.shared_by_parents(family), PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)
    context = case_context(
        request,
        family,
        "families:shared",
        page=page,
        can_acknowledge=allows(request.user, family, ACKNOWLEDGE),
        sent=SharedStatus.SENT,
        source=ContextSource.SHARED_INFORMATION,
        **contexts_on_source_page(request, family, ContextSource.SHARED_INFORMATION, page.object_list),
    )
    return render(request, "families/shared/list.html", context)


@require_GET
def shared_attachment(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    family = get_family_or_404(request, pk, VIEW, section=SECTION)
    item = selectors.shared_item_of(family, item_pk)
    return attachment_response(item.attachment if item else None, item.attachment_type if item else "")


@require_http_methods(["GET", "POST"])
def shared_acknowledge(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    """A police partner of the family's unit says the item arrived and what became of it."""
    family = get_family_or_404(request, pk, ACKNOWLEDGE, section=SECTION)
    item = _item_or_404(family, item_pk)
    initial = {"feedback": item.police_feedback}
    if item.status != SharedStatus.SENT:
        initial["status"] = item.status
    form = AcknowledgeForm(request.POST if request.method == "POST" else None, initial=initial)
    return case_form_page(
        request,
        family,
        form,
        save=partial(shared_information_acknowledge, item=item, officer=request.user),
        success=_("Saved. The parents now see what became of their information."),
        redirect_to=reverse("families:shared", args=[family.pk]),
        template="families/shared/acknowledge.html",
        current="families:shared_acknowledge",
        item=item,
    )


@require_GET
def shared_waiting(request: HttpRequest) -> HttpResponse:
    """What waits for the police in every open family this person may see, with the due
    dates of the family's police unit: items still marked 'sent' (oldest first, a page
    at a time), agreed plans to endorse and texts for the parents to approve. For a
    police partner it is their to-do list, and where their reminders point."""
    if not can_see_section(request.user, SECTION):
        raise Http404
    page = Paginator(selectors.awaiting_acknowledgement(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    attach_due_dates(page.object_list)
    others = police_waiting(families_for(request.user, VIEW), tasks=(PoliceTask.ENDORSE, PoliceTask.APPROVE))
    audit_record(
        action=AuditAction.CASE_LIST_VIEWED,
        actor=request.user,
        detail={"list": "shared_waiting", "page": page.number},
    )
    reminders_mark_read(user=request.user, page="families:shared_waiting")
    context = {
        "page": page,
        "plans": [item for item in others if item.task == PoliceTask.ENDORSE],
        "texts": [item for item in others if item.task == PoliceTask.APPROVE],
        "can_acknowledge": can(request.user, ACKNOWLEDGE),
    }
    return render(request, "families/shared/waiting.html", context)
