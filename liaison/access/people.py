"""Who is trusted as a person: a suspicion shuts out the person (every account, every
family), not one record. Every way into the portal and every notification to parents
starts from ``trusted_members``."""

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Lower

from families.models import CriminalCase, Family, HouseholdMember
from liaison.accounts.models import Role
from liaison.expressions import InSubquery


def untrusted_members() -> QuerySet[HouseholdMember]:
    """Household members marked suspected, or named as the suspect of a criminal case of
    their family."""
    named_suspect = CriminalCase.objects.filter(suspected_caregiver__isnull=False).values("suspected_caregiver_id")
    return HouseholdMember.objects.filter(Q(is_suspected=True) | InSubquery("pk", named_suspect))


def untrusted_records() -> QuerySet[HouseholdMember]:
    """Every record of a person who is untrusted anywhere, in every family: the untrusted
    records themselves; every other record on the same account, or holding the address
    of an untrusted record or of its account (as subject access and erasure find a
    person's records, ``families.selectors.household.person_records``); and in the
    family of an untrusted record, a record of the same name (one man recorded twice).
    A suspicion shuts out the person, not one record."""
    untrusted = untrusted_members()
    accounts = untrusted.filter(user__isnull=False)
    recorded_addresses = untrusted.exclude(email="").annotate(address=Lower("email")).values("address")
    # Account addresses are kept in lower case (see ``UserManager.create_user``).
    account_addresses = accounts.values("user__email")
    same_name = untrusted.filter(family=OuterRef("family_id"), full_name__iexact=OuterRef("full_name"))
    return HouseholdMember.objects.annotate(address=Lower("email")).filter(
        InSubquery("pk", untrusted.values("pk"))
        | InSubquery("user_id", accounts.values("user_id"))
        | InSubquery("address", recorded_addresses)
        | InSubquery("address", account_addresses)
        | Exists(same_name)
    )


def untrusted_accounts() -> QuerySet:
    """The accounts of a person who is untrusted anywhere: every account linked to one of
    their records (``untrusted_records``), and any account with an address recorded on
    one of them."""
    from liaison.accounts.models import User

    records = untrusted_records()
    linked = records.filter(user__isnull=False).values("user_id")
    addresses = records.exclude(email="").values("address")
    return User.objects.filter(InSubquery("pk", linked) | InSubquery("email", addresses))


def trusted_members() -> QuerySet[HouseholdMember]:
    """Household members who may reach their family: no record of a person untrusted
    anywhere, and with no account that belongs to such a person (``untrusted_records``,
    ``untrusted_accounts``). Every way into the portal and every notification to parents
    starts here."""
    untrusted_account = InSubquery("user_id", untrusted_accounts().values("pk"))
    return HouseholdMember.objects.exclude(InSubquery("pk", untrusted_records().values("pk"))).filter(
        Q(user__isnull=True) | ~Q(untrusted_account)
    )


def shut_out_of_portal(user) -> bool:
    """A parent who is untrusted in any family may not even sign in, reset a password or
    accept an invitation: they get nothing, not even a hint."""
    if getattr(user, "role", None) != Role.PARENT:
        return False
    return untrusted_accounts().filter(pk=user.pk).exists()


def untrusted_person(*, email: str, full_name: str = "", family=None) -> bool:
    """Whether an invitation for this person would reach someone untrusted: an untrusted
    member with this e-mail address anywhere (or an account with it), or in the family
    itself an untrusted member of the same name."""
    email = email.strip().lower()
    if email and untrusted_accounts().filter(email__iexact=email).exists():
        return True
    same_person = Q(email__iexact=email) if email else Q(pk__in=[])
    if family is not None and full_name.strip():
        same_person |= Q(family=family, full_name__iexact=full_name.strip())
    return untrusted_members().filter(same_person).exists()


def portal_users_of(family: Family) -> QuerySet:
    """The parents who may see this family's portal, and so the only people who may ever
    be told that something is new in it. Built like the portal filter above: a suspected
    caregiver never matches, nor does an inactive account."""
    from liaison.accounts.models import User

    members = trusted_members().filter(family=family, user__isnull=False)
    return User.objects.filter(pk__in=members.values("user_id"), role=Role.PARENT, is_active=True)
