"""Deny by default: a verified second factor for staff (and for parents who enrolled one)
on every view not marked otherwise, idle and absolute session limits, and no caching of
anything a signed-in person sees. Sign-in itself is Django's LoginRequiredMiddleware."""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from liaison.accounts.second_factor import has_confirmed_device, requires_second_factor
from liaison.audit.models import AuditAction
from liaison.audit.services import audit_record
from liaison.client_address import client_ip

SESSION_STARTED = "liaison_session_started"
SESSION_LAST_SEEN = "liaison_session_last_seen"
# How stale the stored "last seen" may grow before it is written again: a session is then
# written about once a minute instead of on every request, and the idle limit holds to
# within this many seconds.
LAST_SEEN_WRITE_SECONDS = 60


class SecondFactorMiddleware:
    """django-otp tells whether this session passed a device; this enforces it on every
    view but the public ones (``login_not_required``) and those marked
    ``second_factor_not_required``. It runs after Django's LoginRequiredMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs) -> HttpResponse | None:
        user = request.user
        if (
            not user.is_authenticated
            or not getattr(view_func, "login_required", True)
            or not getattr(view_func, "second_factor_required", True)
            or user.is_verified()
            or not requires_second_factor(user)
        ):
            return None
        target = "second_factor_verify" if has_confirmed_device(user) else "second_factor_enrol"
        return redirect(reverse(target))


def idle_limit_seconds(user) -> int:
    minutes = settings.SESSION_IDLE_MINUTES_PARENT if user.is_parent else settings.SESSION_IDLE_MINUTES_STAFF
    return minutes * 60


class SessionTimeoutMiddleware:
    """Ends a session after the idle limit of the user's role, or after the absolute limit."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated:
            now = time.time()
            session = request.session
            started = session.setdefault(SESSION_STARTED, now)
            last_seen = session.get(SESSION_LAST_SEEN, now)
            idle_expired = now - last_seen > idle_limit_seconds(user)
            absolute_expired = now - started > settings.SESSION_ABSOLUTE_HOURS * 3600
            if idle_expired or absolute_expired:
                audit_record(
                    action=AuditAction.SESSION_EXPIRED,
                    actor=user,
                    ip_address=client_ip(request),
                    detail={"reason": "idle" if idle_expired else "absolute"},
                )
                logout(request)
                messages.info(request, _("You were signed out because your session expired. Please sign in again."))
                return redirect(reverse("account_login"))
            if SESSION_LAST_SEEN not in session or now - last_seen >= LAST_SEEN_WRITE_SECONDS:
                session[SESSION_LAST_SEEN] = now
        return self.get_response(request)


class NoStoreMiddleware:
    """Nothing a signed-in person sees may be kept by the browser or a proxy."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.user.is_authenticated or not request.path.startswith("/static/"):
            # A view that already forbids storing ("private, no-store" on a photo) keeps its words.
            if "no-store" not in response.get("Cache-Control", ""):
                response["Cache-Control"] = "no-store, max-age=0"
            response["Pragma"] = "no-cache"
        response.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()")
        return response
