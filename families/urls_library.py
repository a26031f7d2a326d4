"""The library for parents in a family's case: what the family received and talked through."""

from django.urls import path

from families.views import library

urlpatterns = [
    path("<int:pk>/library/", library.family_library_page, name="library"),
    path("<int:pk>/library/send/", library.article_send_page, name="article_send"),
    path("<int:pk>/library/discussed/", library.article_discussion_page, name="article_discussed"),
]
