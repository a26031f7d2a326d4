from django.urls import path

from liaison.privacy import views

app_name = "privacy"

urlpatterns = [
    path("archive/", views.archive, name="archive"),
    path("archive/<int:pk>/", views.archived_case, name="archived_case"),
    path("archive/<int:pk>/case.pdf", views.archived_case_pdf, name="archived_case_pdf"),
    path("archive/<int:pk>/reopen/", views.archived_case_reopen, name="archived_case_reopen"),
    path("retention/", views.retention, name="retention"),
    path("erasure/", views.erasure_requests, name="erasure_requests"),
    path("erasure/<int:pk>/", views.erasure_request, name="erasure_request"),
    path("erasure/new/<str:kind>/<int:pk>/", views.erasure_request_new, name="erasure_request_new"),
]
