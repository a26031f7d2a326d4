"""The parents' side of the message thread with their liaison officer, and their choice of
how they hear that there is something new. A suspected caregiver has no portal family,
so every page here is a 404 for them."""

from functools import partial

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from families.forms.messages import NotifyByForm, PortalMessageForm
from families.models import FamilyStatus
from families.selectors.messages import portal_thread
from families.services.messages import MESSAGE_MAX_LENGTH, portal_message_send, portal_messages_mark_read
from liaison.access import get_portal_family_or_404
from liaison.accounts.services import user_notify_by_set
from liaison.forms import form_page


@require_http_methods(["GET", "POST"])
def portal_messages(request: HttpRequest) -> HttpResponse:
    """The thread, oldest first; opening it marks the officer's messages as read."""
    family = get_portal_family_or_404(request)
    form = PortalMessageForm(request.POST if request.method == "POST" else None, label=_("Write a message"))

    def send(text: str):
        return portal_message_send(family=family, author=request.user, text=text, from_parent=True)

    def show(form) -> HttpResponse:
        portal_messages_mark_read(family=family, reader_is_parent=True)
        context = {
            "family": family,
            "thread": portal_thread(family, for_parent=True),
            "form": form,
            "limit": MESSAGE_MAX_LENGTH,
            "can_send": family.status != FamilyStatus.CLOSED,
        }
        return render(request, "portal/messages.html", context)

    return form_page(
        request,
        form,
        save=send,
        success=_("Your message is sent to your liaison officer."),
        redirect_to="portal:messages",
        show=show,
    )


@require_http_methods(["GET", "POST"])
def portal_notifications(request: HttpRequest) -> HttpResponse:
    """Parents choose whether they get an e-mail that says only: there is something new."""
    get_portal_family_or_404(request)
    form = NotifyByForm(
        request.POST if request.method == "POST" else None, initial={"notify_by": request.user.notify_by}
    )
    return form_page(
        request,
        form,
        save=partial(user_notify_by_set, user=request.user),
        success=_("Your choice is saved."),
        redirect_to="portal:notifications",
        show=lambda form: render(request, "portal/notifications.html", {"form": form}),
    )
