"""The contact log and the agency timeline of a family case."""

from django.urls import path

from families.views import agencies, contacts

urlpatterns = [
    path("<int:pk>/contacts/", contacts.contact_list, name="contacts"),
    path("<int:pk>/contacts/new/", contacts.contact_add, name="contact_add"),
    path("<int:pk>/follow-ups/<int:action_pk>/done/", contacts.follow_up_done, name="follow_up_done"),
    path("<int:pk>/agencies/", agencies.agency_timeline, name="agencies"),
    path("<int:pk>/agencies/new/", agencies.agency_add, name="agency_add"),
    path(
        "<int:pk>/agencies/<int:involvement_pk>/change-worker/",
        agencies.agency_change_worker,
        name="agency_change_worker",
    ),
    path("<int:pk>/agencies/<int:involvement_pk>/end/", agencies.agency_end, name="agency_end"),
]
