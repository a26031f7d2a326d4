"""Who is trusted as a person: a suspicion shuts out the person (every account, every
family), not one record. Every way into the portal and every notification to parents
starts from ``trusted_members``; every family a signed-in account reaches, from
``account_shut_out``.

The one rule of who a person is (``people_of``): every record of theirs in every family
(the same account, an address on the record or on its account, and in the family of a
record the same name: one person recorded twice) and every account on one of those
records or at one of their addresses. It is read anew for each question (a mark set or
lifted counts from the next statement on), in a few small statements through the
indexes, whatever the number of records; within one request an account's answer is kept
(``ShutOutPerRequestMiddleware``)."""

from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from functools import cached_property

from django.db.models import Q, QuerySet
from django.db.models.functions import Lower

from families.models import CriminalCase, Family, HouseholdMember
from liaison.accounts.models import Role, User
from liaison.compiled import is_stand_in, read_compiled
from liaison.expressions import InSubquery

# What a record says of the person it stands for.
PERSON_KEYS = ("id", "family_id", "user_id", "email", "user__email", "full_name")


def name_key(name: str) -> str:
    """A name as the same-name rule compares it: case and spacing left aside."""
    return " ".join(name.split()).casefold()


@dataclass(frozen=True)
class People:
    """The people some household records stand for (``people_of``). ``records`` holds each
    of their records as (id, family id, account id or None, address in lower case)."""

    records: frozenset[tuple[int, int, int | None, str]]
    accounts: frozenset[int]
    addresses: frozenset[str]
    names: frozenset[tuple[int, str]]

    @cached_property
    def record_ids(self) -> frozenset[int]:
        return frozenset(record[0] for record in self.records)

    def includes_account(self, user) -> bool:
        return user.pk in self.accounts

    def holds(self, member: HouseholdMember) -> bool:
        """Whether this record is one of theirs, or linked to an account of theirs."""
        return member.pk in self.record_ids or member.user_id in self.accounts

    def includes_invitee(self, *, email: str, full_name: str = "", family_id: int | None = None) -> bool:
        """Whether someone invited at ``email`` (as ``full_name`` in ``family_id``) is one of
        these people: one of their addresses, or one of their names in that family."""
        if email.strip().lower() in self.addresses:
            return True
        return family_id is not None and bool(full_name.strip()) and (family_id, name_key(full_name)) in self.names


NOBODY = People(records=frozenset(), accounts=frozenset(), addresses=frozenset(), names=frozenset())


def people_of(members: QuerySet[HouseholdMember]) -> People:
    """The people these household records stand for (the rule above)."""
    return people_of_rows(list(members.order_by().values(*PERSON_KEYS)))


def _accounts_at(addresses: set[str]) -> dict[int, str]:
    if not addresses:
        return {}
    return dict(User.objects.filter(email__in=addresses).order_by().values_list("pk", "email"))


def people_of_rows(marked: list[dict]) -> People:
    """The people of these records, read as ``.values(*PERSON_KEYS)`` (``people_of``)."""
    if not marked:
        return NOBODY
    ids = {row["id"] for row in marked}
    addresses = {row["email"].strip().lower() for row in marked} | {row["user__email"] for row in marked}
    addresses -= {"", None}
    # Account addresses are kept in lower case (see ``UserManager.create_user``).
    accounts = {row["user_id"]: row["user__email"] for row in marked if row["user_id"]} | _accounts_at(addresses)
    names = frozenset((row["family_id"], name_key(row["full_name"])) for row in marked)
    same_key = Q(pk__in=ids) | Q(user_id__in=set(accounts)) | Q(family_id__in={family for family, _ in names})
    if addresses:
        same_key |= Q(address__in=addresses)
    candidates = (
        HouseholdMember.objects.annotate(address=Lower("email"))
        .filter(same_key)
        .order_by()
        .values_list("pk", "family_id", "user_id", "address", "user__email", "full_name")
    )
    records, linked = set(), {}
    for pk, family, account, address, account_address, full_name in candidates:
        if pk in ids or account in accounts or address in addresses or (family, name_key(full_name)) in names:
            records.add((pk, family, account, address))
            if account:
                linked[account] = account_address
    accounts |= linked
    recorded_at = {address for *_, address in records} - {""}
    accounts |= _accounts_at(recorded_at - addresses)
    return People(
        records=frozenset(records),
        accounts=frozenset(accounts),
        addresses=frozenset(recorded_at | set(accounts.values())),
        names=names,
    )


def untrusted_members() -> QuerySet[HouseholdMember]:
    """Household members marked suspected, or named as the suspect of a criminal case of
    their family."""
    named_suspect = CriminalCase.objects.filter(suspected_caregiver__isnull=False).values("suspected_caregiver_id")
    return HouseholdMember.objects.filter(Q(is_suspected=True) | InSubquery("pk", named_suspect))


def untrusted_member_rows() -> QuerySet:
    """The ``untrusted_members`` as ``people_of_rows`` reads them (a statement of its own,
    or a part of one read together)."""
    return untrusted_members().order_by().values(*PERSON_KEYS)


def untrusted_people() -> People:
    """Every person untrusted anywhere, as a person (``people_of`` of ``untrusted_members``),
    the first statement compiled once per process."""
    return people_of_rows(read_compiled(("untrusted members",), untrusted_member_rows, {}))


# On a user read for a request: whether any household record is linked to the account
# or holds its address (``liaison.accounts.authentication.ask_with_user``). Without one,
# the account cannot be a suspected person's: most staff ask nothing more.
HAS_HOUSEHOLD_RECORD = "has_household_record"


def household_record_question(quote, user: dict[str, str]) -> str:
    """The SQL of ``HAS_HOUSEHOLD_RECORD`` (through the indexes on the account and on the
    address in lower case)."""
    table = quote(HouseholdMember._meta.db_table)
    account = quote(HouseholdMember._meta.get_field("user").column)
    address = quote(HouseholdMember._meta.get_field("email").column)
    return (
        f"EXISTS(SELECT 1 FROM {table} m"  # noqa: S608  # nosec B608 - the models' own names
        f" WHERE m.{account} = {user['id']} OR LOWER(m.{address}) = {user['email']})"
    )


# Within a request: whether each account asked about is shut out (None: not in a request).
_shut_out_in_request: ContextVar[dict[int, bool] | None] = ContextVar("shut_out_in_request", default=None)


@contextmanager
def one_request():
    """Within it ``account_shut_out`` answers each account once: a page asks the policy
    several times, and within one request the answer changes only by another person's
    action, which counts from their next request."""
    token = _shut_out_in_request.set({})
    try:
        yield
    finally:
        _shut_out_in_request.reset(token)


class ShutOutPerRequestMiddleware:
    """Each request is ``one_request``."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with one_request():
            return self.get_response(request)


def account_shut_out(user) -> bool:
    """Whether this account belongs to a person untrusted anywhere, whatever its role: then
    it reaches no family at all (``families_for``). A stand-in of a compiled statement is
    never shut out (the real account was asked first, ``rows_for_user``)."""
    if not getattr(user, "is_authenticated", False) or user.pk is None or is_stand_in(user.pk):
        return False
    if getattr(user, HAS_HOUSEHOLD_RECORD, True) is False:
        return False  # an untrusted person's account is linked to a record of theirs or at its address
    answers = _shut_out_in_request.get()
    if answers is not None and user.pk in answers:
        return answers[user.pk]
    answer = untrusted_people().includes_account(user)
    if answers is not None:
        answers[user.pk] = answer
    return answer


def members_of_account(user) -> QuerySet[HouseholdMember]:
    """The household records linked to this account, none when it is shut out: the records
    through which a parent reaches their family."""
    if account_shut_out(user):
        return HouseholdMember.objects.none()
    return HouseholdMember.objects.filter(user=user)


def trusted_members() -> QuerySet[HouseholdMember]:
    """Household members who may reach their family: no record of a person untrusted
    anywhere, and with no account that belongs to such a person (``untrusted_people``).
    Every way into the portal and every notification to parents starts here. The lists
    are read when it is called: never build a statement compiled once from it."""
    untrusted = untrusted_people()
    return HouseholdMember.objects.exclude(pk__in=untrusted.record_ids).exclude(user_id__in=untrusted.accounts)


def shut_out_of_portal(user) -> bool:
    """A parent who is untrusted in any family may not even sign in, reset a password or
    accept an invitation: they get nothing, not even a hint."""
    return getattr(user, "role", None) == Role.PARENT and untrusted_people().includes_account(user)


def untrusted_person(*, email: str, full_name: str = "", family=None) -> bool:
    """Whether an invitation for this person would reach someone untrusted: an address of
    an untrusted person (on a record or an account), or in the family itself the name of
    an untrusted member."""
    family_id = family.pk if family is not None else None
    return untrusted_people().includes_invitee(email=email, full_name=full_name, family_id=family_id)


def portal_users_of(family: Family) -> QuerySet[User]:
    """The parents who may see this family's portal, and so the only people who may ever
    be told that something is new in it. Built like the portal filter above: a suspected
    caregiver never matches, nor does an inactive account."""
    members = trusted_members().filter(family=family, user__isnull=False)
    return User.objects.filter(pk__in=members.values("user_id"), role=Role.PARENT, is_active=True)
