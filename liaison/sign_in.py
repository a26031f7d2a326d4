from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.utils import translation

from liaison.access import shut_out_of_portal
from liaison.accounts.models import User, site_language
from liaison.audit.models import AuditAction
from liaison.audit.services import audit_record
from liaison.client_address import client_ip


class InvitationOnlyAccountAdapter(DefaultAccountAdapter):
    """No public sign-up: people come in through an invitation (see accounts.services).
    A caregiver marked as suspected is refused like a wrong password, and gets no
    password-reset mail: nothing tells them that they were shut out. Every mail it sends
    is in the recipient's language, not the language of the page that set it off."""

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return False

    def get_client_ip(self, request: HttpRequest) -> str:
        """allauth's rate limits count per address: the same one as the lockout and the
        audit trail, so behind the proxy an office is not one address."""
        address = client_ip(request)
        if not address:
            raise PermissionDenied("Unable to determine client IP address")
        return address

    def authenticate(self, request: HttpRequest, **credentials):
        user = super().authenticate(request, **credentials)
        if user is not None and shut_out_of_portal(user):
            audit_record(action=AuditAction.SIGN_IN_FAILED, actor_email=user.email, detail={"reason": "shut_out"})
            # Counted as the failed sign-in it looks like, so that the lockout comes after
            # as many tries as for anyone who keeps typing a wrong password: the answers
            # never tell a shut-out person that their password is right.
            shown = {name: value for name, value in credentials.items() if name != "password"}
            user_login_failed.send(sender=__name__, credentials=shown, request=request)
            self.authentication_failed(request, **credentials)
            return None
        return user

    def send_password_reset_mail(self, user, email: str, context: dict) -> None:
        if shut_out_of_portal(user):
            return
        super().send_password_reset_mail(user, email, context)

    def post_login(self, request: HttpRequest, user, **kwargs) -> HttpResponse:
        """The pages open in the language the person chose before, on any device."""
        response = super().post_login(request, user, **kwargs)
        if user.language:
            remember_language(response, user.language)
        return response

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        with translation.override(language_of(email)):
            super().send_mail(template_prefix, email, context)


def language_of(email: str) -> str:
    """The language of the person with this address; the site's for an unknown one."""
    user = User.objects.filter(email__iexact=email).only("language").first()
    return user.preferred_language if user is not None else site_language()


def remember_language(response: HttpResponse, language: str) -> None:
    """The language cookie, set as Django's language switch sets it."""
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
