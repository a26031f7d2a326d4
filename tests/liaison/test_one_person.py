"""One person, one record: a parent is invited as the household member already recorded,
and a suspicion shuts out the person (every account of theirs, in every family), not
one of their records.

The scenario of the issue, walked through the pages: an officer adds a stepfather to the
household, invites him, he accepts and signs in; then the ORIGINAL record is marked.
From that moment he reaches nothing: no page, no PDF, no message, no e-mail."""

import itertools
import re
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from families.models import HouseholdMember
from families.services.household import member_add, suspicion_mark
from families.services.justice import criminal_case_record
from families.services.messages import portal_message_send
from liaison.access import PORTAL, families_for, portal_users_of, shut_out_of_portal
from liaison.accounts.models import Invitation, Role, User
from liaison.notifications import notify_parents
from liaison.staff import services as account_services
from safety_plans import services as plan_services
from tests.factories import ChildFactory, FamilyFactory, HouseholdMemberFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Correct-horse-battery-9"
PORTAL_PAGES = (
    "portal:home",
    "portal:about",
    "portal:rating",
    "portal:messages",
    "portal:notifications",
    "portal:shared",
    "portal:share",
    "portal:plan",
    "portal:plan_pdf",
)


def link_from(message) -> str:
    return re.search(r"https?://[^/]+(/invitation/[^/\s]+/)", message.body).group(1)


def active_plan_for(family, officer, police, parent_member):
    """A plan in force, written, agreed and endorsed through the services."""
    version = plan_services.plan_version_start(family=family, created_by=officer)
    version = plan_services.plan_review_date_set(
        version=version,
        review_on=timezone.localdate() + timedelta(weeks=12),
        base_revision=version.revision,
        actor=officer,
    )
    version = plan_services.plan_share(version=version, base_revision=version.revision, actor=officer)
    plan_services.plan_agree(version=version, agreed_by=parent_member, words="We agree.", recorded_by=officer)
    version.refresh_from_db()
    plan_services.plan_endorse(version=version, officer=police, note="Endorsed.")
    return version


@pytest.fixture
def stepfather_signed_in(english, officer, police, family, mailoutbox):
    """The issue's scenario up to the mark: added, invited, accepted, signed in twice."""
    officer_client = english(officer)
    mother = HouseholdMemberFactory(family=family, full_name="Mia Mother", relation="mother")
    response = officer_client.post(
        reverse("families:member_add", args=[family.pk]),
        {"full_name": "Rik Stepfather", "relation": "stepfather", "email": "rik@example.org"},
    )
    assert response.status_code == 302
    original = family.household_members.get(full_name="Rik Stepfather")
    response = officer_client.post(
        reverse("invitation_create"), {"email": "rik@example.org", "role": Role.PARENT, "member": original.pk}
    )
    assert response.status_code == 302
    accepted = Client()
    link = link_from(mailoutbox[-1])
    assert accepted.post(link, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD}).status_code == 302
    second = Client()
    assert second.post(
        reverse("account_login"), {"login": "rik@example.org", "password": NEW_PASSWORD}
    ).status_code == (302)
    active_plan_for(family, officer, police, mother)
    for client in (accepted, second):
        for name in PORTAL_PAGES:
            assert client.get(reverse(name)).status_code == 200, name
    mailoutbox.clear()
    return {"officer": officer_client, "original": original, "sessions": (accepted, second)}


def test_accepting_links_the_account_to_the_original_record(stepfather_signed_in, family):
    original = stepfather_signed_in["original"]
    original.refresh_from_db()
    assert original.user.email == "rik@example.org"
    assert family.household_members.filter(full_name__iexact="Rik Stepfather").count() == 1
    assert HouseholdMember.objects.filter(user=original.user).count() == 1


def assert_reaches_nothing(sessions, family, mailoutbox):
    user = User.objects.get(email="rik@example.org")
    for client in sessions:
        for name in PORTAL_PAGES:
            response = client.get(reverse(name))
            assert response.status_code == 302 and response["Location"].startswith(reverse("account_login")), name
    # Signing in again is refused exactly like a wrong password.
    refused = Client().post(reverse("account_login"), {"login": user.email, "password": NEW_PASSWORD})
    wrong = Client().post(reverse("account_login"), {"login": "mia@example.org", "password": "not-it"})
    assert refused.status_code == 200 and refused.context["form"].errors == wrong.context["form"].errors
    # Even a session made some other way gets 404 everywhere: the access policy refuses the person.
    forced = Client()
    forced.force_login(user, backend="liaison.accounts.authentication.AuthenticationBackend")
    for name in PORTAL_PAGES:
        assert forced.get(reverse(name)).status_code == 404, name
    assert not families_for(user, PORTAL).exists()
    assert shut_out_of_portal(user)
    # No messages, no e-mail, no password reset.
    with pytest.raises(Exception):  # noqa: B017 - the service refuses, whatever its wording
        portal_message_send(family=family, author=user, text="Hello", from_parent=True)
    assert user not in portal_users_of(family)
    notify_parents(family)
    Client().post(reverse("account_reset_password"), {"email": user.email})
    assert all(user.email not in message.to for message in mailoutbox)
    assert not Invitation.objects.open().filter(email=user.email).exists()


def test_marking_the_original_record_shuts_him_out_everywhere(stepfather_signed_in, family, mailoutbox):
    original = stepfather_signed_in["original"]
    response = stepfather_signed_in["officer"].post(
        reverse("families:suspicion_mark", args=[family.pk, original.pk]), {"reason": "The child disclosed abuse"}
    )
    assert response.status_code == 302
    page = stepfather_signed_in["officer"].get(reverse("families:detail", args=[family.pk]))
    assert "shut out of every family" in page.content.decode()
    assert_reaches_nothing(stepfather_signed_in["sessions"], family, mailoutbox)


def test_a_supervisor_marking_shuts_him_out_too(stepfather_signed_in, english, supervisor, family, mailoutbox):
    original = stepfather_signed_in["original"]
    response = english(supervisor).post(
        reverse("families:suspicion_mark", args=[family.pk, original.pk]), {"reason": "Seen with the exploiter"}
    )
    assert response.status_code == 302
    assert_reaches_nothing(stepfather_signed_in["sessions"], family, mailoutbox)


def test_police_naming_him_suspect_in_a_criminal_case_shuts_him_out(stepfather_signed_in, police, family, mailoutbox):
    criminal_case_record(
        family=family,
        created_by=police,
        child=ChildFactory(family=family),
        opened_on=timezone.localdate(),
        suspected_caregiver=stepfather_signed_in["original"],
    )
    assert_reaches_nothing(stepfather_signed_in["sessions"], family, mailoutbox)


def test_the_message_says_what_is_true(english, officer, family):
    client = english(officer)
    without_account = HouseholdMemberFactory(family=family, full_name="No Account", user=None)
    response = client.post(
        reverse("families:suspicion_mark", args=[family.pk, without_account.pk]), {"reason": "x"}, follow=True
    )
    text = response.content.decode()
    assert "no portal account and cannot be invited" in text and "can no longer reach the family" not in text
    with_account = HouseholdMemberFactory(family=family, full_name="With Account")
    response = client.post(
        reverse("families:suspicion_mark", args=[family.pk, with_account.pk]), {"reason": "x"}, follow=True
    )
    assert "shut out of every family" in response.content.decode()


def test_a_mark_in_one_family_shuts_the_person_out_of_another(login, officer, other_officer, family):
    """He has an account in family A; family B records the same man (same e-mail address)
    without an account, and marks him there: he is shut out of A as well."""
    in_a = HouseholdMemberFactory(family=family, full_name="Rik", user__email="rik@example.org")
    session = login(in_a.user)
    assert session.get(reverse("portal:home")).status_code == 200
    family_b = FamilyFactory(liaison_officer=other_officer, team=other_officer.team)
    in_b = member_add(
        family=family_b,
        created_by=other_officer,
        full_name="R. Stepfather",
        relation="stepfather",
        email="RIK@example.org",
    )
    suspicion_mark(member=in_b, marked_by=other_officer, reason="Known to police")
    assert session.get(reverse("portal:home")).status_code == 302
    assert shut_out_of_portal(in_a.user) and not families_for(in_a.user, PORTAL).exists()
    assert in_a.user not in portal_users_of(family)


def test_the_household_page_shows_each_members_account(english, officer, family, mailoutbox):
    HouseholdMemberFactory(family=family, full_name="Has Account", user__email="has@example.org")
    invited = HouseholdMemberFactory(family=family, full_name="Is Invited", user=None)
    HouseholdMemberFactory(family=family, full_name="Not Yet", user=None)
    client = english(officer)
    client.post(
        reverse("invitation_create"), {"email": "invited@example.org", "role": Role.PARENT, "member": invited.pk}
    )
    text = client.get(reverse("families:detail", args=[family.pk])).content.decode()
    assert "has@example.org" in text
    assert "Invited as invited@example.org" in text
    assert "No portal account" in text and "?member=" in text


def test_the_invitation_form_offers_only_members_without_an_account(login, officer, family, other_officer):
    mine = HouseholdMemberFactory(family=family, full_name="Invitable Mother", user=None, email="m@example.org")
    HouseholdMemberFactory(family=family, full_name="Already Has One")
    HouseholdMemberFactory(family=family, full_name="Marked Man", user=None, is_suspected=True)
    HouseholdMemberFactory(family=FamilyFactory(liaison_officer=other_officer), full_name="Elsewhere", user=None)
    response = login(officer).get(reverse("invitation_create"), {"member": mine.pk})
    text = response.content.decode()
    assert "Invitable Mother" in text
    assert "Already Has One" not in text and "Marked Man" not in text and "Elsewhere" not in text
    initial = response.context["form"].initial
    assert (initial["member"], initial["email"]) == (mine.pk, "m@example.org")


@pytest.mark.parametrize("member_value", ["", "999999", "abc"])
def test_an_invitation_without_a_valid_member_is_refused_and_saves_nothing(login, officer, member_value, mailoutbox):
    response = login(officer).post(
        reverse("invitation_create"), {"email": "x@example.org", "role": Role.PARENT, "member": member_value}
    )
    assert response.status_code == 400
    assert not Invitation.objects.exists() and mailoutbox == []


def test_a_member_who_already_has_an_account_cannot_be_invited(officer, family):
    member = HouseholdMemberFactory(family=family)
    with pytest.raises(ValidationError) as refused:
        account_services.invitation_create(
            created_by=officer, email="new@example.org", role=Role.PARENT, member=member, build_url=str
        )
    assert list(refused.value.error_dict) == ["member"]
    assert not Invitation.objects.exists()


# The property: whatever the order of events, no untrusted person keeps any way in.
EVENTS = ("invite_a", "accept_a", "mark_a", "record_b", "suspect_b")


class Story:
    """One man, recorded in family A; family B may record him too, under his address."""

    def __init__(self, officer, other_officer, police, family, rf):
        self.officer, self.other_officer, self.police, self.family = officer, other_officer, police, family
        self.family_b = FamilyFactory(
            liaison_officer=other_officer, team=other_officer.team, police_unit=family.police_unit
        )
        self.in_a = member_add(
            family=family, created_by=officer, full_name="Rik", relation="stepfather", email="rik@example.org"
        )
        self.in_b = None
        self.token = None
        self.suspect_by_mark = True
        self.rf = rf

    def invite_a(self):
        captured = {}
        account_services.invitation_create(
            created_by=self.officer,
            email="rik@example.org",
            role=Role.PARENT,
            member=self.in_a,
            build_url=lambda path: captured.setdefault("path", path),
        )
        self.token = captured["path"].rstrip("/").rsplit("/", 1)[-1]

    def accept_a(self):
        if self.token is None:
            raise LookupError("nothing to accept")
        request = self.rf.post("/")
        request.session = Client().session
        account_services.invitation_accept(request=request, token=self.token, password=NEW_PASSWORD)

    def mark_a(self):
        suspicion_mark(member=self.in_a, marked_by=self.officer, reason="Disclosure")

    def record_b(self):
        self.in_b = member_add(
            family=self.family_b,
            created_by=self.other_officer,
            full_name="Rik S.",
            relation="father",
            email="Rik@Example.org",
        )

    def suspect_b(self):
        if self.in_b is None:
            raise LookupError("not recorded in B")
        if self.suspect_by_mark:
            suspicion_mark(member=self.in_b, marked_by=self.other_officer, reason="Known to police")
            return
        criminal_case_record(
            family=self.family_b,
            created_by=self.police,
            child=ChildFactory(family=self.family_b),
            opened_on=timezone.localdate(),
            suspected_caregiver=self.in_b,
        )

    def untrusted(self) -> bool:
        members = HouseholdMember.objects.filter(pk__in=[m.pk for m in (self.in_a, self.in_b) if m])
        return (
            members.filter(is_suspected=True).exists()
            or members.filter(criminal_cases_as_suspect__isnull=False).exists()
        )


@pytest.mark.parametrize("suspect_by_mark", [True, False], ids=["marked", "named_in_case"])
def test_no_order_of_events_leaves_a_suspected_person_a_way_in(
    suspect_by_mark, officer, other_officer, police, family, rf
):
    """Every order of every prefix of the events (invite before or after adding in the
    other family, mark before or after accepting, ...), each from a clean state."""
    orders = {order[:length] for order in itertools.permutations(EVENTS) for length in range(1, len(EVENTS) + 1)}
    for order in sorted(orders):
        with transaction.atomic():
            story = Story(officer, other_officer, police, family, rf)
            story.suspect_by_mark = suspect_by_mark
            for event in order:
                try:
                    with transaction.atomic():
                        getattr(story, event)()
                except (LookupError, ValidationError):
                    continue
            check_the_person(story, family)
            transaction.set_rollback(True)


def check_the_person(story: Story, family) -> None:
    account = User.objects.filter(email="rik@example.org").first()
    if not story.untrusted():
        # Nobody is refused who should not be: a trusted account reaches its family.
        if account is not None:
            assert list(families_for(account, PORTAL)) == [family]
        return
    assert not Invitation.objects.open().filter(email="rik@example.org").exists()
    if account is None:
        return
    assert shut_out_of_portal(account)
    assert not families_for(account, PORTAL).exists()
    assert account not in portal_users_of(family) and account not in portal_users_of(story.family_b)
    forced = Client()
    forced.force_login(account, backend="liaison.accounts.authentication.AuthenticationBackend")
    assert forced.get(reverse("portal:home")).status_code == 404
    refused = Client().post(reverse("account_login"), {"login": account.email, "password": NEW_PASSWORD})
    assert "_auth_user_id" not in refused.wsgi_request.session
    # The password is right: only the mark refuses him.
    assert account.check_password(NEW_PASSWORD)


def test_the_same_address_twice_in_a_household_is_refused(english, officer, family):
    HouseholdMemberFactory(family=family, full_name="Rik", user=None, email="rik@example.org")
    response = english(officer).post(
        reverse("families:member_add", args=[family.pk]),
        {"full_name": "Rik S.", "relation": "stepfather", "email": "RIK@example.org"},
    )
    assert response.status_code == 400
    assert "already recorded for someone in this household" in response.content.decode()
    assert family.household_members.count() == 1


def test_the_household_page_tells_trust_as_the_policy_does(officer, other_officer, police, family):
    """Each caregiver's ``trusted`` on the household page is exactly whether the policy
    trusts them (``trusted_members``): marked here, named suspect of a case here, marked
    in another family under the same address, with an account shut out elsewhere, or
    none of these."""
    from families.selectors.case import household_with_accounts, with_trust
    from liaison.access import trusted_members, untrusted_people

    plain = HouseholdMemberFactory(family=family, full_name="Plain", user=None)
    marked = HouseholdMemberFactory(family=family, full_name="Marked", user=None)
    suspicion_mark(member=marked, marked_by=officer, reason="Known to police")
    named = HouseholdMemberFactory(family=family, full_name="Named", user=None)
    criminal_case_record(
        family=family,
        created_by=police,
        child=ChildFactory(family=family),
        opened_on=timezone.localdate(),
        suspected_caregiver=named,
    )
    with_account = HouseholdMemberFactory(family=family, full_name="Rik", user__email="rik@example.org")
    family_b = FamilyFactory(liaison_officer=other_officer, team=other_officer.team)
    elsewhere = member_add(
        family=family_b, created_by=other_officer, full_name="R.", relation="stepfather", email="rik@example.org"
    )
    suspicion_mark(member=elsewhere, marked_by=other_officer, reason="Known to police")
    trusted = set(trusted_members().values_list("pk", flat=True))
    shown = {
        member.pk: member.trusted for member in with_trust(list(household_with_accounts(family.pk)), untrusted_people())
    }
    assert shown == {member.pk: member.pk in trusted for member in family.household_members.all()}
    assert shown[plain.pk] and not shown[marked.pk] and not shown[named.pk] and not shown[with_account.pk]
