"""``database_today(days)``: the local date by the database's clock, as Python's
``timezone.localdate()`` gives it, on either database."""

from datetime import timedelta

import pytest
from django.utils import timezone

from families.models import Family
from liaison.expressions import database_today
from tests.factories import FamilyFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("days", [0, 1, 7, -1, -28, -365])
def test_today_by_the_database_clock_is_the_local_date(days):
    family = FamilyFactory()
    day = Family.objects.filter(pk=family.pk).values_list(database_today(days), flat=True).get()
    assert day == timezone.localdate() + timedelta(days=days)


@pytest.mark.parametrize("days", [0, 7, -28])
def test_a_date_column_compares_with_it_at_the_boundary(days):
    boundary = timezone.localdate() + timedelta(days=days)
    family = FamilyFactory(referral_on=boundary)
    same = Family.objects.filter(pk=family.pk)
    assert same.filter(referral_on=database_today(days)).exists()
    assert same.filter(referral_on__gte=database_today(days)).exists()
    assert not same.filter(referral_on__lt=database_today(days)).exists()
    assert not same.filter(referral_on__gt=database_today(days)).exists()
