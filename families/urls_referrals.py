from django.urls import path

from families.views import referrals

urlpatterns = [
    path("<int:pk>/referrals/new/", referrals.referral_add, name="referral_add"),
    path("<int:pk>/referrals/<int:referral_pk>/", referrals.referral_detail, name="referral"),
    path("<int:pk>/referrals/<int:referral_pk>/summary.pdf", referrals.referral_pdf, name="referral_pdf"),
    path("<int:pk>/referrals/<int:referral_pk>/status/", referrals.referral_status, name="referral_status"),
    path("<int:pk>/consents/", referrals.consent_list, name="consents"),
    path("<int:pk>/consents/new/", referrals.consent_add, name="consent_add"),
]
