from django.urls import include, path

from families.views import case, household, portal

app_name = "families"

urlpatterns = [
    path("", case.caseload, name="caseload"),
    path("new/", case.family_open, name="open"),
    path("<int:pk>/", case.family_detail, name="detail"),
    path("<int:pk>/edit/", case.family_edit, name="edit"),
    path("<int:pk>/close/", case.family_close, name="close"),
    path("<int:pk>/handover/", case.handover_create, name="handover_create"),
    path("<int:pk>/handover/acknowledge/", case.handover_acknowledge, name="handover_acknowledge"),
    path("<int:pk>/handover/pack.pdf", case.handover_pack, name="handover_pack"),
    path("<int:pk>/children/new/", household.child_add, name="child_add"),
    path("<int:pk>/children/<int:child_pk>/edit/", household.child_edit, name="child_edit"),
    path("<int:pk>/caregivers/new/", household.member_add, name="member_add"),
    path("<int:pk>/caregivers/<int:member_pk>/edit/", household.member_edit, name="member_edit"),
    path("<int:pk>/caregivers/<int:member_pk>/suspect/", household.suspicion_mark, name="suspicion_mark"),
    path("<int:pk>/caregivers/<int:member_pk>/lift/", household.suspicion_lift, name="suspicion_lift"),
    path("portal/", portal.portal_home, name="portal_home"),
    path("", include("families.urls_contacts")),
    path("", include("families.urls_events")),
]
