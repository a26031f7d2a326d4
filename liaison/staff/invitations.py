"""Invitations, the only way in: staff invited by administrators and supervisors,
parents by their liaison officer as the household member already recorded."""

from functools import partial

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from liaison.access import invitable_members_for, invitation_roles_for, invitations_for
from liaison.accounts.forms import AcceptInvitationForm
from liaison.forms import form_page
from liaison.staff import services
from liaison.staff.forms import InvitationForm


@require_GET
def invitation_list(request: HttpRequest) -> HttpResponse:
    if not invitation_roles_for(request.user):
        raise Http404
    invitations = invitations_for(request.user)
    page = Paginator(invitations.select_related("team", "police_unit", "family", "created_by"), 25).get_page(
        request.GET.get("page")
    )
    return render(request, "accounts/invitation_list.html", {"page": page})


def _invitation_initial(request: HttpRequest) -> dict:
    """Coming from the household page, the member to invite is chosen already, with the
    e-mail address recorded for them."""
    member = invitable_members_for(request.user).filter(pk=_int_or_none(request.GET.get("member"))).first()
    return {"member": member.pk, "email": member.email} if member else {}


def _int_or_none(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() and len(value) < 12 else None


@require_http_methods(["GET", "POST"])
def invitation_create(request: HttpRequest) -> HttpResponse:
    form = InvitationForm(
        request.POST if request.method == "POST" else None, inviter=request.user, initial=_invitation_initial(request)
    )
    if not form.fields["role"].choices:
        raise Http404
    return form_page(
        request,
        form,
        save=partial(services.invitation_create, created_by=request.user, build_url=request.build_absolute_uri),
        success=lambda _invitation: _("The invitation was sent to %(email)s.") % {"email": form.cleaned_data["email"]},
        redirect_to="invitation_list",
        show=lambda form: render(request, "accounts/invitation_form.html", {"form": form}),
    )


@require_http_methods(["GET", "POST"])
def invitation_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    invitation = invitations_for(request.user).filter(pk=pk).first()
    if invitation is None:
        raise Http404
    if request.method == "POST":
        try:
            services.invitation_revoke(invitation=invitation, revoked_by=request.user)
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(request, _("The invitation was withdrawn."))
        return redirect("invitation_list")
    return render(request, "accounts/invitation_revoke.html", {"invitation": invitation})


@login_not_required
@require_http_methods(["GET", "POST"])
def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    invitation = services.invitation_for_token(token)
    if invitation is None:
        return render(request, "accounts/invitation_invalid.html", status=404)
    if request.user.is_authenticated:
        logout(request)
    form = AcceptInvitationForm(request.POST if request.method == "POST" else None, invitation=invitation)

    def accept(password1: str, password2: str):
        return services.invitation_accept(request=request, token=token, password=password1)

    return form_page(
        request,
        form,
        save=accept,
        success=_("Welcome. Your account is ready."),
        redirect_to="home",
        show=lambda form: render(request, "accounts/invitation_accept.html", {"form": form, "invitation": invitation}),
    )
