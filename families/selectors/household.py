"""Who a household member is as a person: the same person may be recorded in more than
one family, and reached through an account or an e-mail address."""

from django.db.models import Q, QuerySet

from families.models import HouseholdMember
from liaison.access import people_of
from liaison.accounts.models import User


def accounts_of_person(member: HouseholdMember) -> QuerySet[User]:
    """Every account of the person this member record stands for (``people_of``)."""
    return User.objects.filter(pk__in=people_of(HouseholdMember.objects.filter(pk=member.pk)).accounts)


def _addresses(member: HouseholdMember) -> set[str]:
    addresses = {member.email.strip().lower()}
    if member.user_id:
        addresses.add(member.user.email)
    return addresses - {""}


def person_records(member: HouseholdMember) -> QuerySet[HouseholdMember]:
    """Every record of this person that is not erased, in every family, earliest first:
    the records linked to the same account or holding the same e-mail address (of the
    record or of its account). Subject access and erasure work on all of them at once."""
    same_person = Q(pk=member.pk)
    if member.user_id:
        same_person |= Q(user_id=member.user_id)
    for address in _addresses(member):
        same_person |= Q(email__iexact=address) | Q(user__email=address)
    return (
        HouseholdMember.objects.filter(same_person).filter(Q(pk=member.pk) | Q(erased_at__isnull=True)).order_by("pk")
    )
