from django.urls import path

from families.views import needs

urlpatterns = [
    path("<int:pk>/needs/", needs.need_list, name="needs"),
    path("<int:pk>/needs/new/", needs.need_add, name="need_add"),
    path("<int:pk>/needs/<int:need_pk>/edit/", needs.need_change, name="need_change"),
]
