"""A suspicion shuts out the person, not one record: every record of theirs, in every
family, and every account on one of them. The same person is found the way subject
access and erasure find them (``person_records``): the same account, an address on the
record or on its account, and in one family a record of the same name. Refused as a wrong
password is refused, down to the lockout after as many tries."""

import pytest
from django.core.cache import caches
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from families.models import HouseholdMember
from families.selectors.household import person_records
from families.services.household import member_add, suspicion_mark
from families.services.justice import criminal_case_record, criminal_case_update
from liaison.access import PORTAL, families_for, portal_users_of, shut_out_of_portal
from liaison.accounts.models import Role, User
from liaison.staff import services as account_services
from tests.factories import ChildFactory, FamilyFactory

pytestmark = pytest.mark.django_db

PASSWORD = "Correct-horse-battery-9"


def invite_and_accept(*, officer, member, email, rf) -> User:
    """The officer invites the recorded member at ``email``; the person accepts."""
    captured = {}
    account_services.invitation_create(
        created_by=officer,
        email=email,
        role=Role.PARENT,
        member=member,
        build_url=lambda path: captured.setdefault("path", path),
    )
    token = captured["path"].rstrip("/").rsplit("/", 1)[-1]
    request = rf.post("/")
    request.session = Client().session
    return account_services.invitation_accept(request=request, token=token, password=PASSWORD)


def signed_in(user) -> Client:
    client = Client()
    assert client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD}).status_code == 302
    return client


def test_mark_under_the_address_on_his_record_elsewhere_shuts_out_his_account(officer, other_officer, family, rf):
    in_a = member_add(family=family, created_by=officer, full_name="Rik", relation="stepfather", email="rik@home.org")
    account = invite_and_accept(officer=officer, member=in_a, email="rik@work.org", rf=rf)
    session = signed_in(account)
    assert session.get(reverse("portal:home")).status_code == 200  # he is in

    family_b = FamilyFactory(liaison_officer=other_officer, team=other_officer.team)
    in_b = member_add(
        family=family_b, created_by=other_officer, full_name="R. Stepfather", relation="father", email="rik@home.org"
    )
    suspicion_mark(member=in_b, marked_by=other_officer, reason="Known to police for exploitation")

    # The record in family A is a record of the same person, for subject access and erasure too.
    assert in_a.pk in set(person_records(in_b).values_list("pk", flat=True))
    assert shut_out_of_portal(account)
    assert not families_for(account, PORTAL).exists()
    assert account not in portal_users_of(family)
    assert session.get(reverse("portal:home")).status_code != 200


def test_a_person_marked_elsewhere_cannot_be_invited_at_another_address(officer, other_officer, family, rf, mailoutbox):
    """Family B marked the man under the address rik@home.org; family A records him with
    that same address and invites him at another one: no account is made for him."""
    family_b = FamilyFactory(liaison_officer=other_officer, team=other_officer.team)
    in_b = member_add(
        family=family_b, created_by=other_officer, full_name="R. Stepfather", relation="father", email="rik@home.org"
    )
    suspicion_mark(member=in_b, marked_by=other_officer, reason="Known to police for exploitation")

    in_a = member_add(family=family, created_by=officer, full_name="Rik", relation="stepfather", email="rik@home.org")
    try:
        account = invite_and_accept(officer=officer, member=in_a, email="rik@work.org", rf=rf)
    except ValidationError:
        assert not User.objects.filter(email="rik@work.org").exists()
        return
    pytest.fail(f"a person marked suspected elsewhere got an account: {account}")


def test_marking_one_record_shuts_out_the_same_named_record_with_an_account(english, officer, family, rf):
    first = member_add(family=family, created_by=officer, full_name="Rik Stepfather", relation="stepfather")
    second = member_add(
        family=family, created_by=officer, full_name="Rik Stepfather", relation="stepfather", email="rik@example.org"
    )
    account = invite_and_accept(officer=officer, member=second, email="rik@example.org", rf=rf)
    session = signed_in(account)
    assert session.get(reverse("portal:home")).status_code == 200

    response = english(officer).post(
        reverse("families:suspicion_mark", args=[family.pk, first.pk]),
        {"reason": "The child disclosed abuse by her stepfather"},
        follow=True,
    )
    assert response.status_code == 200
    assert session.get(reverse("portal:home")).status_code != 200
    assert not families_for(account, PORTAL).exists()
    assert account not in portal_users_of(family)


def test_a_suspected_caregiver_is_locked_out_like_anyone_who_keeps_failing(suspect_caregiver, parent):
    from tests.factories import PASSWORD as FACTORY_PASSWORD

    def six_tries(email: str, password: str) -> list[int]:
        client = Client()
        return [
            client.post(reverse("account_login"), {"login": email, "password": password}).status_code for _ in range(6)
        ]

    wrong = six_tries(parent.email, "not-the-password")
    refused = six_tries(suspect_caregiver.email, FACTORY_PASSWORD)
    assert wrong[-1] == 429
    assert refused == wrong


def test_the_mark_says_the_account_of_the_same_named_record_is_shut_out(english, officer, family, rf):
    first = member_add(family=family, created_by=officer, full_name="Rik Stepfather", relation="stepfather")
    second = member_add(
        family=family, created_by=officer, full_name="Rik Stepfather", relation="stepfather", email="rik@example.org"
    )
    account = invite_and_accept(officer=officer, member=second, email="rik@example.org", rf=rf)
    token = account.session_token
    page = (
        english(officer)
        .post(
            reverse("families:suspicion_mark", args=[family.pk, first.pk]),
            {"reason": "The child disclosed abuse by her stepfather"},
            follow=True,
        )
        .content.decode()
    )
    assert "Their portal account is shut out of every family" in page
    account.refresh_from_db()
    assert account.session_token != token  # every session of that account has ended


def test_naming_nobody_as_the_suspect_leaves_the_person_shut_out(officer, police, family, rf):
    """Naming a caregiver as the suspect of a criminal case marks them suspected: an edit
    of the case that names nobody leaves the mark, which only a supervisor lifts."""
    member = member_add(
        family=family, created_by=officer, full_name="Rik", relation="stepfather", email="rik@example.org"
    )
    account = invite_and_accept(officer=officer, member=member, email="rik@example.org", rf=rf)
    case = criminal_case_record(
        family=family,
        created_by=police,
        child=ChildFactory(family=family),
        opened_on=timezone.localdate(),
        suspected_caregiver=member,
    )
    assert shut_out_of_portal(account)
    member.refresh_from_db()
    assert member.is_suspected and member.suspicions.get(lifted_at__isnull=True).marked_by == police

    criminal_case_update(case=case, changed_by=officer, suspected_caregiver=None)

    assert shut_out_of_portal(account)
    assert not families_for(account, PORTAL).exists()


def test_a_suspected_person_with_a_staff_account_reaches_no_family(login, officer, police, family, other_officer):
    """A police partner of the unit recorded as the stepfather (at his work address) and
    marked suspected: his staff account reaches no case, not his family's nor any other."""
    second = FamilyFactory(liaison_officer=other_officer, team=other_officer.team, police_unit=family.police_unit)
    client = login(police)
    pages = [reverse("families:detail", args=[pk]) for pk in (family.pk, second.pk)]
    assert [client.get(page).status_code for page in pages] == [200, 200]

    stepfather = member_add(
        family=family, created_by=officer, full_name="Pat Police", relation="stepfather", email="POLICE@example.org"
    )
    suspicion_mark(member=stepfather, marked_by=officer, reason="The child disclosed abuse by her stepfather")

    assert client.get(pages[0]).status_code == 302  # every session of his has ended
    client = login(police)
    assert [client.get(page).status_code for page in pages] == [404, 404]
    assert not families_for(police).exists()


def test_a_staff_member_recorded_in_a_family_but_trusted_keeps_their_work(login, officer, police, family):
    member_add(family=family, created_by=officer, full_name="Pat Police", relation="aunt", email="police@example.org")
    assert login(police).get(reverse("families:detail", args=[family.pk])).status_code == 200


def test_a_mark_counts_from_the_next_request_of_a_running_server(english, officer, family, rf):
    """Nothing read before the mark keeps him in: the statements compiled once per
    process carry no list of who is trusted."""
    member = member_add(family=family, created_by=officer, full_name="Rik", relation="stepfather")
    account = invite_and_accept(officer=officer, member=member, email="rik@example.org", rf=rf)
    session = signed_in(account)
    staff = english(officer)
    overview = reverse("families:detail", args=[family.pk])
    assert session.get(reverse("portal:home")).status_code == 200
    assert "shut out of every family" not in staff.get(overview).content.decode()

    other = member_add(family=FamilyFactory(), created_by=officer, full_name="R.", relation="father")
    # Marked under his address behind the services' back: his sessions stay, nothing kept
    # is thrown away, and yet the next request of each is answered anew.
    HouseholdMember.objects.filter(pk=other.pk).update(email="rik@example.org", is_suspected=True)
    caches["fragments"].clear()

    assert session.get(reverse("portal:home")).status_code != 200
    assert "shut out of every family" in staff.get(overview).content.decode()


@pytest.mark.parametrize("recorded_as", ["rik stepfather", "Rik  Stepfather", " RIK STEPFATHER "])
def test_the_same_name_is_the_same_person_whatever_the_case_and_spacing(officer, family, rf, recorded_as):
    marked = member_add(family=family, created_by=officer, full_name="Rik Stepfather", relation="stepfather")
    second = member_add(family=family, created_by=officer, full_name="placeholder", relation="stepfather")
    HouseholdMember.objects.filter(pk=second.pk).update(full_name=recorded_as)
    account = invite_and_accept(officer=officer, member=second, email="rik@example.org", rf=rf)
    suspicion_mark(member=marked, marked_by=officer, reason="The child disclosed abuse by her stepfather")
    assert shut_out_of_portal(account)
    assert not families_for(account, PORTAL).exists()


def test_retention_of_the_family_that_marked_him_lets_him_in_nowhere(officer, other_officer, family):
    """Retention anonymises the marked record (its address goes): the mark passes to his
    records elsewhere first, so his account there stays shut out."""
    from datetime import date

    from families.models import Family
    from liaison.privacy.services import retention_apply
    from tests.factories import UserFactory

    marking = FamilyFactory(liaison_officer=other_officer, team=other_officer.team)
    marked = member_add(
        family=marking, created_by=other_officer, full_name="R.", relation="stepfather", email="rik@home.org"
    )
    suspicion_mark(member=marked, marked_by=other_officer, reason="Known to police for exploitation")
    in_a = member_add(family=family, created_by=officer, full_name="Rik", relation="stepfather", email="rik@home.org")
    account = UserFactory(role=Role.PARENT, email="rik@work.org")
    HouseholdMember.objects.filter(pk=in_a.pk).update(user=account)
    assert shut_out_of_portal(account)

    today = timezone.localdate()
    Family.objects.filter(pk=marking.pk).update(
        status="closed", closing_reason="Safe now", closed_on=today, archived_at=timezone.now()
    )
    retention_apply(today=date(today.year + 21, 1, 1))

    marked.refresh_from_db()
    in_a.refresh_from_db()
    assert marked.erased_at is not None and marked.email == ""
    assert in_a.is_suspected and in_a.suspicions.get(lifted_at__isnull=True).marked_by == other_officer
    assert shut_out_of_portal(account)
    assert not families_for(account, PORTAL).exists()
