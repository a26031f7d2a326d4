"""The parents' home page lists the emergency contacts of the plan in force, only
those marked for the parents."""

import pytest
from django.urls import reverse

from safety_plans.models import PlanContact, Visibility

pytestmark = pytest.mark.django_db


def home(login, parent):
    response = login(parent).get(reverse("portal:home"))
    assert response.status_code == 200
    return response


def test_emergency_contacts_are_the_parents_contacts_of_the_plan_in_force(login, parent, active_plan):
    contacts = home(login, parent).context["emergency_contacts"]
    assert contacts and all(contact.visibility == Visibility.PARENTS for contact in contacts)
    assert all(contact.version_id == active_plan.pk for contact in contacts)
    hidden = PlanContact.objects.filter(version=active_plan).exclude(visibility=Visibility.PARENTS)
    content = home(login, parent).content.decode()
    assert hidden.exists() and not any(contact.name in content for contact in hidden)
