from django.urls import path

from families.views import concerns

urlpatterns = [
    path("<int:pk>/concerns/", concerns.concern_list, name="concerns"),
    path("<int:pk>/concerns/new/", concerns.concern_raise, name="concern_raise"),
    path("<int:pk>/concerns/<int:concern_pk>/close/", concerns.concern_close, name="concern_close"),
    path("<int:pk>/concerns/<int:concern_pk>/steps/new/", concerns.meldcode_step_add, name="meldcode_step_add"),
    path("<int:pk>/screen/", concerns.screen_list, name="screens"),
    path("<int:pk>/screen/new/", concerns.screen_add, name="screen_add"),
    path("<int:pk>/seen-alone/", concerns.seen_alone_list, name="seen_alone"),
    path("<int:pk>/seen-alone/new/", concerns.seen_alone_add, name="seen_alone_add"),
]
