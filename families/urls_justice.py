from django.urls import path

from families.views import justice

urlpatterns = [
    path("<int:pk>/justice/", justice.justice_list, name="justice"),
    path("<int:pk>/justice/new/", justice.criminal_case_add, name="criminal_case_add"),
    path("<int:pk>/justice/<int:case_pk>/edit/", justice.criminal_case_edit, name="criminal_case_edit"),
    path("<int:pk>/justice/<int:case_pk>/steps/new/", justice.milestone_add, name="milestone_add"),
    path("<int:pk>/justice/steps/<int:milestone_pk>/edit/", justice.milestone_edit, name="milestone_edit"),
    path("<int:pk>/justice/steps/<int:milestone_pk>/approve/", justice.milestone_approve, name="milestone_approve"),
    path(
        "<int:pk>/justice/steps/<int:milestone_pk>/withdraw/",
        justice.milestone_approval_withdraw,
        name="milestone_approval_withdraw",
    ),
]
