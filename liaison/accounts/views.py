from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from liaison.access import invitable_members_for, invitation_roles_for, invitations_for
from liaison.accounts import services
from liaison.accounts.forms import AcceptInvitationForm, CodeForm, ContactDetailsForm, InvitationForm
from liaison.accounts.second_factor import (
    backup_device_for,
    has_confirmed_device,
    pending_totp_device,
    qr_code_svg,
    requires_second_factor,
    second_factor_not_required,
    secret_as_text,
)
from liaison.forms import apply_errors


@require_GET
def security(request: HttpRequest) -> HttpResponse:
    """The person's own security page: second factor, backup codes, signing out everywhere."""
    user = request.user
    backup = backup_device_for(user) if has_confirmed_device(user) else None
    return render(
        request,
        "accounts/security.html",
        {
            "has_device": has_confirmed_device(user),
            "second_factor_required": requires_second_factor(user),
            "backup_codes_left": backup.remaining if backup else 0,
        },
    )


@require_http_methods(["GET", "POST"])
def contact_details(request: HttpRequest) -> HttpResponse:
    """Staff say how and when parents can reach them (shown in the parents' portal)."""
    if not request.user.is_staff_role:
        raise Http404
    form = ContactDetailsForm(request.POST if request.method == "POST" else None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.contact_details_update(user=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Your contact details are saved."))
            return redirect("security")
    return render(request, "accounts/contact_details.html", {"form": form}, status=400 if form.errors else 200)


@second_factor_not_required
@require_http_methods(["GET", "POST"])
def second_factor_enrol(request: HttpRequest) -> HttpResponse:
    if has_confirmed_device(request.user) and not request.user.is_verified():
        return redirect("second_factor_verify")
    device = pending_totp_device(request.user)
    form = CodeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            codes = services.second_factor_confirm(request=request, token=form.cleaned_data["token"])
        except ValidationError as error:
            apply_errors(form, error)
        else:
            return render(request, "accounts/backup_codes.html", {"codes": codes, "enrolled": True})
    return render(
        request,
        "accounts/second_factor_enrol.html",
        {"form": form, "qr_svg": qr_code_svg(device), "secret": secret_as_text(device)},
        status=400 if form.errors else 200,
    )


@second_factor_not_required
@require_http_methods(["GET", "POST"])
def second_factor_verify(request: HttpRequest) -> HttpResponse:
    if not has_confirmed_device(request.user):
        return redirect("second_factor_enrol")
    if request.user.is_verified():
        return redirect("home")
    form = CodeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.second_factor_verify(request=request, token=form.cleaned_data["token"])
        except ValidationError as error:
            apply_errors(form, error)
        else:
            return redirect("home")
    return render(request, "accounts/second_factor_verify.html", {"form": form}, status=400 if form.errors else 200)


@require_POST
def backup_codes_regenerate(request: HttpRequest) -> HttpResponse:
    if not has_confirmed_device(request.user):
        raise Http404
    codes = services.backup_codes_issue(user=request.user)
    return render(request, "accounts/backup_codes.html", {"codes": codes, "enrolled": False})


@require_http_methods(["GET", "POST"])
def sign_out_everywhere(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        services.sign_out_everywhere(user=request.user)
        logout(request)
        messages.success(request, _("You are signed out on every device."))
        return redirect("account_login")
    return render(request, "accounts/sign_out_everywhere.html")


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
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.invitation_create(
                created_by=request.user,
                email=data["email"],
                full_name=data.get("full_name", ""),
                role=data["role"],
                team=data.get("team"),
                police_unit=data.get("police_unit"),
                member=data.get("member"),
                build_url=request.build_absolute_uri,
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The invitation was sent to %(email)s.") % {"email": data["email"]})
            return redirect("invitation_list")
    return render(request, "accounts/invitation_form.html", {"form": form}, status=400 if form.errors else 200)


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
    if request.method == "POST" and form.is_valid():
        try:
            services.invitation_accept(request=request, token=token, password=form.cleaned_data["password1"])
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Welcome. Your account is ready."))
            return redirect("home")
    return render(
        request,
        "accounts/invitation_accept.html",
        {"form": form, "invitation": invitation},
        status=400 if form.errors else 200,
    )


def locked_out(request: HttpRequest, credentials=None, *args, **kwargs) -> HttpResponse:
    """django-axes calls this when an account is locked from this address."""
    return render(request, "accounts/locked_out.html", status=429)
