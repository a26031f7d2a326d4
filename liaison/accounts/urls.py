from django.urls import path

from liaison.accounts import views

urlpatterns = [
    path("security/", views.security, name="security"),
    path("security/contact-details/", views.contact_details, name="contact_details"),
    path("security/second-factor/enrol/", views.second_factor_enrol, name="second_factor_enrol"),
    path("security/second-factor/verify/", views.second_factor_verify, name="second_factor_verify"),
    path("security/backup-codes/", views.backup_codes_regenerate, name="backup_codes_regenerate"),
    path("security/sign-out-everywhere/", views.sign_out_everywhere, name="sign_out_everywhere"),
]
