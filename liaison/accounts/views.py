from functools import partial

from django.contrib import messages
from django.contrib.auth import logout
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from liaison.accounts import services
from liaison.accounts.forms import CodeForm, ContactDetailsForm
from liaison.accounts.second_factor import (
    backup_device_for,
    has_confirmed_device,
    pending_totp_device,
    qr_code_svg,
    requires_second_factor,
    second_factor_not_required,
    secret_as_text,
)
from liaison.forms import form_page


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
    return form_page(
        request,
        form,
        save=partial(services.contact_details_update, user=request.user),
        success=_("Your contact details are saved."),
        redirect_to="security",
        show=lambda form: render(request, "accounts/contact_details.html", {"form": form}),
    )


@second_factor_not_required
@require_http_methods(["GET", "POST"])
def second_factor_enrol(request: HttpRequest) -> HttpResponse:
    if has_confirmed_device(request.user) and not request.user.is_verified():
        return redirect("second_factor_verify")
    device = pending_totp_device(request.user)
    form = CodeForm(request.POST if request.method == "POST" else None)
    return form_page(
        request,
        form,
        save=partial(services.second_factor_confirm, request=request),
        success=None,
        # The backup codes are shown once, on the answer itself, never at an address.
        redirect_to=lambda codes: render(request, "accounts/backup_codes.html", {"codes": codes, "enrolled": True}),
        show=lambda form: render(
            request,
            "accounts/second_factor_enrol.html",
            {"form": form, "qr_svg": qr_code_svg(device), "secret": secret_as_text(device)},
        ),
    )


@second_factor_not_required
@require_http_methods(["GET", "POST"])
def second_factor_verify(request: HttpRequest) -> HttpResponse:
    if not has_confirmed_device(request.user):
        return redirect("second_factor_enrol")
    if request.user.is_verified():
        return redirect("home")
    form = CodeForm(request.POST if request.method == "POST" else None)
    return form_page(
        request,
        form,
        save=partial(services.second_factor_verify, request=request),
        success=None,
        redirect_to="home",
        show=lambda form: render(request, "accounts/second_factor_verify.html", {"form": form}),
    )


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


def locked_out(request: HttpRequest, credentials=None, *args, **kwargs) -> HttpResponse:
    """django-axes calls this when an account is locked from this address."""
    return render(request, "accounts/locked_out.html", status=429)
