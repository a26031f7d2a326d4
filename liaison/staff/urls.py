"""Pages of staff work across families. The names are global, as they always were."""

from django.urls import path

from liaison.staff import (
    access_log,
    account_changes,
    break_glass,
    dashboard,
    invitations,
    library,
    meetings,
    report_views,
    team,
)

urlpatterns = [
    path("team/", team.team_settings, name="team_settings"),
    path("team/report/", report_views.report, name="report"),
    path("team/report.csv", report_views.report_csv, name="report_csv"),
    path("team/dashboard/", dashboard.dashboard, name="dashboard"),
    path("emergency-access/", break_glass.break_glass, name="break_glass"),
    path("audit/families/", access_log.access_log_find, name="access_log_find"),
    path("audit/families/<int:pk>/", access_log.access_log, name="access_log"),
    path("audit/families/<int:pk>/access-log.csv", access_log.access_log_csv, name="access_log_csv"),
    path("audit/refused-reads/", access_log.refused_reads, name="refused_reads"),
    path("audit/account-changes/", account_changes.account_changes, name="account_changes"),
    path("families/<int:pk>/access-log/", access_log.family_access_log, name="family_access_log"),
    path("families/<int:pk>/access-log.csv", access_log.family_access_log_csv, name="family_access_log_csv"),
    path("library/", library.library, name="library"),
    path("library/new/", library.library_article_new, name="library_article_new"),
    path("library/<int:pk>/", library.library_article, name="library_article"),
    path("library/<int:pk>/edit/", library.library_article_edit, name="library_article_edit"),
    path("library/<int:pk>/publish/", library.library_article_publish, name="library_article_publish"),
    path("library/<int:pk>/versions/<int:number>/", library.library_article_version, name="library_article_version"),
    path("meetings/", meetings.meeting_list, name="meetings"),
    path("meetings/new/", meetings.meeting_schedule, name="meeting_schedule"),
    path("meetings/<int:pk>/", meetings.meeting_detail, name="meeting"),
    path("meetings/<int:pk>/edit/", meetings.meeting_edit, name="meeting_edit"),
    path("meetings/<int:pk>/packs/<str:agency>/", meetings.meeting_pack_page, name="meeting_pack"),
    path("meetings/<int:pk>/packs/<str:agency>.pdf", meetings.meeting_pack_pdf, name="meeting_pack_pdf"),
    path("meetings/<int:pk>/items/new/", meetings.agenda_item_add, name="meeting_item_add"),
    path("invitations/", invitations.invitation_list, name="invitation_list"),
    path("invitations/new/", invitations.invitation_create, name="invitation_create"),
    path("invitations/<int:pk>/withdraw/", invitations.invitation_revoke, name="invitation_revoke"),
    path("invitation/<str:token>/", invitations.invitation_accept, name="invitation_accept"),
]
