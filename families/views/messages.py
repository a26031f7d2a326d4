"""The staff side of the message thread with the parents. Liaison staff who may change
the case reply; others who may see the case read. Police partners never see it."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from families.case_page import case_context
from families.forms.messages import PortalMessageForm
from families.selectors.messages import portal_thread
from families.services.messages import MESSAGE_MAX_LENGTH, portal_message_send, portal_messages_mark_read
from liaison.access import CHANGE, VIEW, allows, get_family_or_404
from liaison.forms import form_page

SECTION = "messages"


@require_http_methods(["GET", "POST"])
def message_thread(request: HttpRequest, pk: int) -> HttpResponse:
    action = CHANGE if request.method == "POST" else VIEW
    family = get_family_or_404(request, pk, action, section=SECTION)
    form = PortalMessageForm(request.POST if request.method == "POST" else None, label=_("Reply to the parents"))

    def reply(text: str):
        return portal_message_send(family=family, author=request.user, text=text, from_parent=False)

    def show(form) -> HttpResponse:
        if request.user.pk == family.liaison_officer_id:
            # The parents wrote to their officer: only the officer's reading counts as read.
            portal_messages_mark_read(family=family, reader_is_parent=False)
        context = case_context(
            request,
            family,
            "families:messages",
            thread=portal_thread(family),
            form=form,
            limit=MESSAGE_MAX_LENGTH,
            can_reply=action == CHANGE or allows(request.user, family, CHANGE),
        )
        return render(request, "families/messages/case_thread.html", context)

    return form_page(
        request,
        form,
        save=reply,
        success=_("Your reply is sent."),
        redirect_to=reverse("families:messages", args=[family.pk]),
        show=show,
    )
