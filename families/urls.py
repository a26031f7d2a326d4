from django.urls import include, path

from families.views import (
    case,
    closure,
    dates,
    household,
    messages,
    progress,
    protection,
    shared,
    supervision,
)
from liaison.staff import caseload, handovers

app_name = "families"

urlpatterns = [
    path("", caseload.caseload, name="caseload"),
    path("new/", case.family_open, name="open"),
    path("<int:pk>/", case.family_detail, name="detail"),
    path("<int:pk>/edit/", case.family_edit, name="edit"),
    path("<int:pk>/close/", closure.family_close, name="close"),
    path("<int:pk>/close/decide/", closure.closure_decide, name="closure_decide"),
    path("<int:pk>/reopen/", closure.family_reopen, name="reopen"),
    path("<int:pk>/dates/", dates.dates_to_check, name="dates_to_check"),
    path("<int:pk>/protective-mode/", protection.protective_mode, name="protective_mode"),
    path(
        "<int:pk>/protective-mode/confirm/",
        protection.protective_mode_confirm_view,
        name="protective_mode_confirm",
    ),
    path("<int:pk>/protective-mode/end/", protection.protective_mode_close_view, name="protective_mode_close"),
    path("<int:pk>/dates/<int:item_pk>/", dates.date_correct, name="date_correct"),
    path("<int:pk>/handover/", handovers.handover_create, name="handover_create"),
    path("<int:pk>/handover/acknowledge/", handovers.handover_acknowledge, name="handover_acknowledge"),
    path("<int:pk>/handover/pack.pdf", handovers.handover_pack, name="handover_pack"),
    path("<int:pk>/children/new/", household.child_add, name="child_add"),
    path("<int:pk>/children/<int:child_pk>/edit/", household.child_edit, name="child_edit"),
    path("<int:pk>/caregivers/new/", household.member_add, name="member_add"),
    path("<int:pk>/caregivers/<int:member_pk>/edit/", household.member_edit, name="member_edit"),
    path("<int:pk>/caregivers/<int:member_pk>/suspect/", household.suspicion_mark, name="suspicion_mark"),
    path("<int:pk>/caregivers/<int:member_pk>/lift/", household.suspicion_lift, name="suspicion_lift"),
    path("<int:pk>/progress/", progress.progress, name="progress"),
    path("<int:pk>/progress/new/", progress.review_add, name="review_add"),
    path("<int:pk>/progress/<int:review_pk>/correct/", progress.review_correct, name="review_correct"),
    path("<int:pk>/progress/parents-rating/", progress.parent_rating_add, name="parent_rating_add"),
    path("<int:pk>/progress/settings/", progress.progress_settings, name="progress_settings"),
    path("<int:pk>/supervision/new/", supervision.supervision_add, name="supervision_add"),
    path("<int:pk>/messages/", messages.message_thread, name="messages"),
    path("<int:pk>/shared/", shared.shared_list, name="shared"),
    path("<int:pk>/shared/<int:item_pk>/answer/", shared.shared_acknowledge, name="shared_acknowledge"),
    path("<int:pk>/shared/<int:item_pk>/file/", shared.shared_attachment, name="shared_attachment"),
    path("shared/waiting/", shared.shared_waiting, name="shared_waiting"),
    path("", include("families.urls_contacts")),
    path("", include("families.urls_events")),
    path("", include("families.urls_justice")),
    path("", include("families.urls_concerns")),
]
