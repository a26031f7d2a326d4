"""The minutes of a multi-agency meeting, for the supervisors of its team and the police
partners of its unit: the decisions per item, the actions agreed with an owner agency,
and marking an action done (its own, or one carried over from an earlier meeting). Also
the full lists of overdue actions and of notes for the parents not yet sent, a page at a
time. Who sees a meeting is the access policy's (``meetings_for``); everyone else gets 404."""

from functools import partial

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from families.forms.meeting_minutes import ActionDoneForm, ActionForm, DecisionForm
from families.models import AgendaItem, Meeting
from families.selectors import meetings as selectors
from families.services import meetings as services
from liaison.access import get_meeting_or_404, may_schedule_meetings, meetings_for
from liaison.audit.models import AuditAction
from liaison.audit.services import audit_record
from liaison.forms import form_page, posted_data
from liaison.staff.meeting_attention import notes_due

PAGE_SIZE = 20


def _minutes_url(meeting: Meeting) -> str:
    return reverse("meeting_minutes", args=[meeting.pk])


def _is_held(meeting: Meeting) -> bool:
    return meeting.cancelled_at is None and meeting.held_on <= timezone.localdate()


def _item_or_404(meeting: Meeting, item_pk: int) -> AgendaItem:
    item = selectors.agenda_item_of(meeting, item_pk)
    if item is None:
        raise Http404
    return item


@require_GET
def meeting_minutes(request: HttpRequest, pk: int) -> HttpResponse:
    """Every item with its decisions and actions, and the open actions carried over from
    earlier meetings, a page at a time; recording starts on the day of the meeting."""
    meeting = get_meeting_or_404(request, pk)
    carried = Paginator(selectors.carried_actions(meeting), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "meeting": meeting,
        "items": [item for item in selectors.meeting_items(meeting) if item.withdrawn_at is None],
        "page": carried,
        "held": _is_held(meeting),
        "today": timezone.localdate(),
    }
    return render(request, "liaison/meetings/minutes.html", context)


def _minutes_form_page(
    request: HttpRequest, meeting: Meeting, form, *, save, success: str, template: str, redirect_to: str = "", **extra
):
    back = redirect_to or _minutes_url(meeting)

    def show(form) -> HttpResponse:
        context = {"form": form, "meeting": meeting, "held": _is_held(meeting), "cancel_url": back}
        return render(request, template, context | extra)

    return form_page(request, form, save=save, success=success, redirect_to=back, show=show)


@require_http_methods(["GET", "POST"])
def decision_add(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    meeting = get_meeting_or_404(request, pk)
    item = _item_or_404(meeting, item_pk)
    return _minutes_form_page(
        request,
        meeting,
        DecisionForm(posted_data(request)),
        save=partial(services.decision_record, item=item, recorded_by=request.user),
        success=_("The decision is in the minutes."),
        template="liaison/meetings/decision_form.html",
        item=item,
    )


@require_http_methods(["GET", "POST"])
def action_add(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    meeting = get_meeting_or_404(request, pk)
    item = _item_or_404(meeting, item_pk)
    return _minutes_form_page(
        request,
        meeting,
        ActionForm(posted_data(request)),
        save=partial(services.action_agree, meeting=meeting, item=item, agreed_by=request.user),
        success=_("The action is in the minutes."),
        template="liaison/meetings/action_form.html",
        item=item,
    )


@require_http_methods(["GET", "POST"])
def action_done(request: HttpRequest, pk: int, action_pk: int) -> HttpResponse:
    """Mark done an action of this meeting, or one carried over to it (then back to the
    meeting's page, where the carried actions are listed)."""
    meeting = get_meeting_or_404(request, pk)
    action = selectors.action_on_agenda(meeting, action_pk)
    if action is None:
        raise Http404
    carried = action.meeting_id != meeting.pk
    back = reverse("meeting", args=[meeting.pk]) if carried else _minutes_url(meeting)
    form = ActionDoneForm(posted_data(request), initial={"done_on": timezone.localdate()})
    return _minutes_form_page(
        request,
        action.meeting,
        form,
        save=partial(services.action_complete, action=action, done_by=request.user),
        success=_("The action is marked done."),
        template="liaison/meetings/action_done_form.html",
        action=action,
        redirect_to=back,
    )


def _keeper_or_404(request: HttpRequest) -> None:
    if not may_schedule_meetings(request.user):
        raise Http404


@require_GET
def overdue_actions(request: HttpRequest) -> HttpResponse:
    """Every open action past its due date of the person's meetings, oldest due first."""
    _keeper_or_404(request)
    page = Paginator(selectors.overdue_actions_for(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)
    families = sorted({action.item.family_id for action in page.object_list if action.item and action.item.family_id})
    audit_record(
        action=AuditAction.CASE_LIST_VIEWED,
        actor=request.user,
        detail={"page": "meeting_overdue_actions", "families": families},
    )
    return render(request, "liaison/meetings/overdue_actions.html", {"page": page})


@require_GET
def notes_not_sent(request: HttpRequest) -> HttpResponse:
    """Every family item of the person's meetings whose note to the parents is not sent yet."""
    _keeper_or_404(request)
    items = selectors.outcome_notes_not_sent(meetings_for(request.user))
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = notes_due(list(page.object_list))
    audit_record(
        action=AuditAction.CASE_LIST_VIEWED,
        actor=request.user,
        detail={"page": "meeting_notes_not_sent", "families": sorted({item.family_id for item in page.object_list})},
    )
    return render(request, "liaison/meetings/notes_not_sent.html", {"page": page})
