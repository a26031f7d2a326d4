"""Pages of multi-agency meetings, for the supervisors of a team and the police partners
of a unit: the list of their meetings, scheduling and changing one, its agenda with the
actions carried over from earlier meetings, and putting an item on the agenda. Who sees
a meeting is the access policy's (``meetings_for``); everyone else gets 404."""

from functools import partial

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from families.forms.meetings import AgendaItemForm, MeetingChangeForm, MeetingForm
from families.models import Meeting, MeetingAttendance
from families.selectors import meetings as selectors
from families.selectors.contexts import hit_rows, hits_for_unit
from families.services import meetings as services
from liaison import pdf
from liaison.access import (
    agenda_contexts_for,
    agenda_families_for,
    agenda_hits_unit,
    get_meeting_or_404,
    may_schedule_meetings,
)
from liaison.forms import form_page, posted_data
from liaison.staff.meeting_attention import meeting_attention
from liaison.staff.meeting_pack import meeting_pack

PAGE_SIZE = 20
# The code of the refusal when someone else saved the meeting first (answered with 409).
CONFLICT = "conflict"


def _keeper_or_404(request: HttpRequest) -> None:
    if not may_schedule_meetings(request.user):
        raise Http404


def _meeting_url(meeting: Meeting) -> str:
    return reverse("meeting", args=[meeting.pk])


@require_GET
def meeting_list(request: HttpRequest) -> HttpResponse:
    """The meetings of the person's team or unit, newest first, a page at a time."""
    _keeper_or_404(request)
    page = Paginator(selectors.meetings_list(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page": page, "today": timezone.localdate()} | meeting_attention(request.user)
    return render(request, "liaison/meetings/list.html", context)


@require_GET
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The meeting: when, where, who, its agenda and the open actions carried over."""
    meeting = get_meeting_or_404(request, pk)
    context = {
        "meeting": meeting,
        "attendances": list(meeting.attendances.current()),
        "items": list(selectors.meeting_items(meeting)),
        "carried": list(selectors.carried_actions(meeting)),
        "agenda_open": meeting.cancelled_at is None and meeting.held_on >= timezone.localdate(),
    }
    return render(request, "liaison/meetings/detail.html", context)


def _meeting_form_page(request: HttpRequest, form, *, save, success: str, heading: str, cancel_url: str):
    def show(form) -> HttpResponse:
        status = 409 if form.has_error(NON_FIELD_ERRORS, code=CONFLICT) else 200
        context = {"form": form, "heading": heading, "cancel_url": cancel_url}
        return render(request, "liaison/meetings/form.html", context, status=status)

    return form_page(request, form, save=save, success=success, redirect_to=_meeting_url, show=show)


@require_http_methods(["GET", "POST"])
def meeting_schedule(request: HttpRequest) -> HttpResponse:
    _keeper_or_404(request)
    return _meeting_form_page(
        request,
        MeetingForm(posted_data(request)),
        save=partial(services.meeting_schedule, scheduled_by=request.user),
        success=_("The meeting is scheduled."),
        heading=_("Schedule a meeting"),
        cancel_url=reverse("meetings"),
    )


def _refusing_conflicts(form, meeting: Meeting, save):
    def claim(**data):
        try:
            return save(**data)
        except services.MeetingConflict:
            form.data = form.data.copy()
            form.data["base_revision"] = Meeting.objects.values_list("revision", flat=True).get(pk=meeting.pk)
            raise ValidationError(
                _(
                    "Someone else changed this meeting while you were editing. Your changes are still below: "
                    "check the meeting, then save again if they are still right."
                ),
                code=CONFLICT,
            ) from None

    return claim


@require_http_methods(["GET", "POST"])
def meeting_edit(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_meeting_or_404(request, pk)
    form = MeetingChangeForm(posted_data(request), meeting=meeting)
    return _meeting_form_page(
        request,
        form,
        save=_refusing_conflicts(
            form, meeting, partial(services.meeting_change, meeting=meeting, changed_by=request.user)
        ),
        success=_("The meeting is changed."),
        heading=_("Change the meeting"),
        cancel_url=_meeting_url(meeting),
    )


def _contexts_to_choose(request: HttpRequest, meeting: Meeting) -> dict:
    """What the access policy lets this keeper put on the agenda as a context: a police
    partner the hits of their unit (in the words of a family of that unit), a supervisor
    the contexts of their team's families."""
    unit = agenda_hits_unit(request.user, meeting)
    if unit is None:
        return {"contexts": agenda_contexts_for(request.user, meeting)}
    hits = hits_for_unit(unit)
    return {"hits": hits, "hit_labels": {row.hit.pk: row.label for row in hit_rows(unit, hits)}}


@require_http_methods(["GET", "POST"])
def agenda_item_add(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_meeting_or_404(request, pk)
    form = AgendaItemForm(
        posted_data(request),
        families=agenda_families_for(request.user, meeting),
        **_contexts_to_choose(request, meeting),
    )

    def show(form) -> HttpResponse:
        context = {"form": form, "meeting": meeting, "cancel_url": _meeting_url(meeting)}
        return render(request, "liaison/meetings/item_form.html", context)

    return form_page(
        request,
        form,
        save=partial(services.agenda_item_add, meeting=meeting, added_by=request.user),
        success=_("The item is on the agenda."),
        redirect_to=_meeting_url(meeting),
        show=show,
    )


def _attending_or_404(meeting: Meeting, agency: str) -> MeetingAttendance:
    attendance = meeting.attendances.current().filter(agency=agency).first()
    if attendance is None:
        raise Http404
    return attendance


def _pack_context(meeting: Meeting, attendance: MeetingAttendance) -> dict:
    return {"meeting": meeting, "attendance": attendance, "pack": meeting_pack(meeting, attendance.agency)}


@require_GET
def meeting_pack_page(request: HttpRequest, pk: int, agency: str) -> HttpResponse:
    """The pack of one attending agency on screen: only what that agency may receive."""
    meeting = get_meeting_or_404(request, pk)
    attendance = _attending_or_404(meeting, agency)
    context = _pack_context(meeting, attendance) | {"attendances": list(meeting.attendances.current())}
    return render(request, "liaison/meetings/pack.html", context)


@require_GET
def meeting_pack_pdf(request: HttpRequest, pk: int, agency: str) -> HttpResponse:
    """The same pack printed, with the agency's name and the meeting date on every page."""
    meeting = get_meeting_or_404(request, pk)
    attendance = _attending_or_404(meeting, agency)
    footer = _("Pack for %(agency)s · meeting of %(date)s") % {
        "agency": attendance.get_agency_display(),
        "date": date_format(meeting.held_on, "DATE_FORMAT"),
    }
    return pdf.pdf_response(
        request,
        "liaison/meetings/pack_pdf.html",
        _pack_context(meeting, attendance) | {"language": translation.get_language(), "footer": footer},
        filename="meeting-pack.pdf",
        page_css=pdf.page_footer_css(footer, _("Page %(page)s of %(pages)s")),
    )
