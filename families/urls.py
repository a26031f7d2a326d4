from django.urls import path

from families import views

app_name = "families"

urlpatterns = [
    path("", views.caseload, name="caseload"),
    path("<int:pk>/", views.family_detail, name="detail"),
    path("portal/", views.portal_home, name="portal_home"),
]
