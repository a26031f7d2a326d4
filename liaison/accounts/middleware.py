"""Deny by default: a verified second factor for staff (and for parents who enrolled one)
on every view not marked otherwise, idle and absolute session limits, and no caching of
anything a signed-in person sees. Sign-in itself is Django's LoginRequiredMiddleware,
asked in an order that lets a public view skip reading the user."""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import SESSION_KEY, logout
from django.contrib.auth.middleware import LoginRequiredMiddleware as DjangoLoginRequiredMiddleware
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.functional import LazyObject, empty
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


class LoginRequiredMiddleware(DjangoLoginRequiredMiddleware):
    """Django's sign-in on every view not marked ``login_not_required``, asking the view's
    mark before the user: a public view (the health check) reads neither the user nor
    their device. The same answer for every view as Django's own."""

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs) -> HttpResponse | None:
        if not getattr(view_func, "login_required", True):
            return None
        refused = super().process_view(request, view_func, view_args, view_kwargs)
        if refused is None:
            # Read now, the user needs no more waiting: the view and the access policy ask
            # it for their role and ids some hundred times a page, each time through two
            # lazy wrappers (Django's and django-otp's) otherwise.
            request.user = unwrapped(request.user)
        return refused


def unwrapped(user):
    """The user a lazy object (or a lazy object of a lazy object) stands for."""
    while isinstance(user, LazyObject):
        if user._wrapped is empty:
            user._setup()
        user = user._wrapped
    return user


class SecondFactorMiddleware:
    """django-otp tells whether this session passed a device; this enforces it on every
    view but the public ones (``login_not_required``) and those marked
    ``second_factor_not_required``. It runs after Django's LoginRequiredMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs) -> HttpResponse | None:
        # The view's marks first: a public view never reads the user nor their device.
        if not getattr(view_func, "login_required", True) or not getattr(view_func, "second_factor_required", True):
            return None
        user = request.user
        if not user.is_authenticated or user.is_verified() or not requires_second_factor(user):
            return None
        target = "second_factor_verify" if has_confirmed_device(user) else "second_factor_enrol"
        return redirect(reverse(target))


def idle_limit_seconds(user) -> int:
    minutes = settings.SESSION_IDLE_MINUTES_PARENT if user.is_parent else settings.SESSION_IDLE_MINUTES_STAFF
    return minutes * 60


def shortest_idle_limit_seconds() -> int:
    return min(settings.SESSION_IDLE_MINUTES_PARENT, settings.SESSION_IDLE_MINUTES_STAFF) * 60


def expiry_reason(request: HttpRequest, *, idle_seconds: float, age_seconds: float) -> str | None:
    """Why this signed-in session has ended ("idle" or "absolute"), or None. The user (one
    query, and their device's) is read only when the role decides it: a session idle for
    less than the shortest limit of any role has not ended by idling."""
    if idle_seconds > shortest_idle_limit_seconds():
        user = request.user
        if user.is_authenticated and idle_seconds > idle_limit_seconds(user):
            return "idle"
    if age_seconds > settings.SESSION_ABSOLUTE_HOURS * 3600:
        return "absolute"
    return None


class SessionTimeoutMiddleware:
    """Ends a session after the idle limit of the user's role, or after the absolute limit.

    Whether someone is signed in is asked of the session, not of the user: a page that
    needs no sign-in (the health check) then costs no query for the user. Every page that
    does still reads the user and checks their session hash (sign-out everywhere, a new
    password) through Django's LoginRequiredMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        session = request.session
        if SESSION_KEY in session:
            now = time.time()
            started = session.setdefault(SESSION_STARTED, now)
            last_seen = session.get(SESSION_LAST_SEEN, now)
            reason = expiry_reason(request, idle_seconds=now - last_seen, age_seconds=now - started)
            if reason:
                return self._end(request, reason)
            if SESSION_LAST_SEEN not in session or now - last_seen >= LAST_SEEN_WRITE_SECONDS:
                session[SESSION_LAST_SEEN] = now
        return self.get_response(request)

    def _end(self, request: HttpRequest, reason: str) -> HttpResponse:
        user = request.user
        if user.is_authenticated:
            audit_record(
                action=AuditAction.SESSION_EXPIRED,
                actor=user,
                ip_address=client_ip(request),
                detail={"reason": reason},
            )
            logout(request)
            messages.info(request, _("You were signed out because your session expired. Please sign in again."))
            return redirect(reverse("account_login"))
        # A session whose user no longer signs in with it (sessions ended everywhere, account
        # switched off) already answers as signed out: nothing is left to end.
        return self.get_response(request)


class NoStoreMiddleware:
    """Nothing a signed-in person sees may be kept by the browser or a proxy."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        # The path first: only a static file (served before this, by WhiteNoise) reads the user.
        if not request.path.startswith("/static/") or request.user.is_authenticated:
            # A view that already forbids storing ("private, no-store" on a photo) keeps its words.
            if "no-store" not in response.get("Cache-Control", ""):
                response["Cache-Control"] = "no-store, max-age=0"
            response["Pragma"] = "no-cache"
        response.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()")
        return response
