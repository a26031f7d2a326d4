"""The handover pack carries the last progress review and the state of the safety plan,
so the new officer knows where the family stands."""

from io import BytesIO

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from families.models import ProgressReview

pytestmark = pytest.mark.django_db


def test_pack_holds_the_last_review_and_the_plan_state(english, supervisor, officer, active_plan, family):
    ProgressReview.objects.create(
        family=family,
        reviewed_on=timezone.localdate(),
        understanding_score=4,
        understanding_evidence="Mother explains grooming to the grandparents",
        empowerment_score=3,
        empowerment_evidence="Keeps a log of the cars",
        resilience_score=2,
        resilience_evidence="Sleeps badly",
        created_by=officer,
    )
    client = english(officer)
    response = client.get(reverse("families:handover_pack", args=[family.pk]))
    text = " ".join(page.extract_text() for page in PdfReader(BytesIO(response.content)).pages)
    flat = "".join(text.split())
    assert "Keepsalogofthecars" in flat
    assert "Version1:Active" in flat
    assert "endorsedbythepolice" in flat
