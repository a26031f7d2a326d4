from allauth.account.adapter import DefaultAccountAdapter
from django.http import HttpRequest


class InvitationOnlyAccountAdapter(DefaultAccountAdapter):
    """No public sign-up: people come in through an invitation (see accounts.services)."""

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return False
