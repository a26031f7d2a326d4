"""Reads of the referrals of a family with their consent and status history, and of the
consents recorded for the family. A fixed number of queries however many there are."""

from django.db.models import Prefetch, QuerySet

from families.models import Consent, Family, Referral, ReferralStatusChange


def referrals_of(family: Family) -> QuerySet[Referral]:
    history = ReferralStatusChange.objects.select_related("created_by").order_by("changed_on", "pk")
    return (
        Referral.objects.filter(family=family)
        .select_related("consent__given_by", "involvement", "created_by")
        .prefetch_related(Prefetch("status_changes", queryset=history))
        .order_by("-sent_on", "-pk")
    )


def referral_of(family: Family, referral_pk: int) -> Referral | None:
    return referrals_of(family).filter(pk=referral_pk).first()


def consents_of(family: Family) -> QuerySet[Consent]:
    return (
        Consent.objects.filter(family=family)
        .select_related("given_by", "about_member", "child", "created_by", "referral")
        .order_by("-given_on", "-pk")
    )
