"""The parents' portal: every page a parent reaches, and nothing else."""

from django.urls import path

from portal.views import home, library, meetings, messages, plan, shared

app_name = "portal"
urlpatterns = [
    path("", home.portal_home, name="home"),
    path("about/", home.portal_about, name="about"),
    path("how-are-you/", home.portal_rating, name="rating"),
    path("police-and-court/", home.portal_justice, name="justice"),
    path("library/", library.portal_library_page, name="library"),
    path("library/<int:article_pk>/", library.portal_article, name="article"),
    path("meetings/", meetings.portal_meetings, name="meetings"),
    path("meetings/<int:request_pk>/", meetings.portal_meeting_answer, name="meeting_answer"),
    path("meetings/decided/", meetings.portal_meeting_notes, name="meeting_notes"),
    path("messages/", messages.portal_messages, name="messages"),
    path("notifications/", messages.portal_notifications, name="notifications"),
    path("shared/", shared.portal_shared, name="shared"),
    path("shared/new/", shared.portal_share, name="share"),
    path("shared/<int:item_pk>/file/", shared.portal_shared_attachment, name="shared_attachment"),
    path("plan/", plan.portal_plan, name="plan"),
    path("plan/shared/", plan.portal_plan_shared, name="plan_shared"),
    path("plan/comment/", plan.portal_plan_comment, name="plan_comment"),
    path("plan/agree/", plan.portal_plan_agree, name="plan_agree"),
    path("plan.pdf", plan.portal_plan_pdf, name="plan_pdf"),
    path("plan/photo/<int:part_pk>/", plan.portal_missing_photo, name="plan_photo"),
]
