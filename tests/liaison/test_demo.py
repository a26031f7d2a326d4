"""The small demo (``seed_demo``): a referral with the mother's consent and its history,
made once however often the demo is loaded again."""

import io

import pytest
from django.core.management import call_command

from families.models import (
    AgencyInvolvement,
    Consent,
    ContextHit,
    ContextLink,
    ContextMention,
    Family,
    Referral,
    ReferralStatusChange,
)
from liaison.accounts.models import User
from liaison.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def seed() -> None:
    call_command("seed_demo", stdout=io.StringIO(), language="nl")


def test_the_demo_family_has_a_referral_with_the_mothers_consent_and_its_history():
    seed()
    jansen = Family.objects.get(display_name="Familie Jansen")
    referral = Referral.objects.select_related("consent__given_by", "involvement").get(family=jansen)
    assert referral.get_agency_display() and referral.status == "accepted"
    assert [change.status for change in referral.status_changes.order_by("changed_on", "pk")] == ["sent", "accepted"]
    consent = referral.consent
    assert consent.given_by.full_name == "Marieke Jansen" and consent.manner == "written"
    assert consent.given_on <= referral.sent_on and consent.parts == referral.parts
    assert referral.involvement.worker_name == "Ingrid Hoekstra"
    assert AuditEvent.objects.filter(family_id=jansen.pk, detail__what="referral_sent").exists()


def test_loading_the_demo_again_adds_no_second_referral():
    seed()
    counts = [model.objects.count() for model in (Referral, Consent, ReferralStatusChange, AgencyInvolvement)]
    seed()
    assert [model.objects.count() for model in (Referral, Consent, ReferralStatusChange, AgencyInvolvement)] == counts


def test_the_demo_analyst_sees_a_car_named_by_two_families_of_the_unit():
    seed()
    analyst = User.objects.get(email="analyst@demo.liaison.test")
    hit = ContextHit.objects.get()
    links = ContextLink.objects.filter(keys__match_key=hit.match_key)
    families = set(links.values_list("family__display_name", flat=True))
    assert analyst.role == "analyst" and analyst.police_unit.name == "Zedenpolitie Noord"
    assert hit.kind == "vehicle" and families == {"Familie Jansen", "Familie Yilmaz"}
    seed()
    assert ContextLink.objects.count() == 2


def test_the_demo_car_is_linked_to_the_evening_the_jansens_house_was_watched():
    seed()
    mention = ContextMention.objects.get()
    assert mention.link.label == "XR501K" and mention.incident.family.display_name == "Familie Jansen"
    assert mention.incident.kind == "intimidation"
