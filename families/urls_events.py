from django.urls import path

from families.views import chronology, events

urlpatterns = [
    path("<int:pk>/incidents/", events.incident_list, name="incidents"),
    path("<int:pk>/incidents/new/", events.incident_add, name="incident_add"),
    path("<int:pk>/missing/", events.missing_list, name="missing"),
    path("<int:pk>/missing/new/", events.missing_add, name="missing_add"),
    path("<int:pk>/missing/<int:episode_pk>/return/", events.missing_return, name="missing_return"),
    path(
        "<int:pk>/missing/<int:episode_pk>/return-conversation/",
        events.return_conversation,
        name="return_conversation",
    ),
    path("<int:pk>/chronology/", chronology.chronology, name="chronology"),
]
