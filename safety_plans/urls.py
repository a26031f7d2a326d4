from django.urls import path

from safety_plans.views import compare, documents, staff

app_name = "safety_plans"

urlpatterns = [
    path("<int:pk>/plan/", staff.plan, name="plan"),
    path("<int:pk>/plan/start/", staff.plan_start, name="start"),
    path("<int:pk>/plan/review-date/", staff.review_date, name="review_date"),
    path("<int:pk>/plan/share/", staff.plan_share, name="share"),
    path("<int:pk>/plan/reopen/", staff.plan_reopen, name="reopen"),
    path("<int:pk>/plan/agreement/", staff.agreement_record, name="agreement"),
    path("<int:pk>/plan/endorse/", staff.plan_endorse, name="endorse"),
    path("<int:pk>/plan/comment/", staff.comment_add, name="comment"),
    path("<int:pk>/plan/compare/", compare.compare, name="compare"),
    # Before the part routes, whose kind slug would otherwise swallow "photo".
    path("<int:pk>/plan/plan.pdf", documents.plan_pdf, name="pdf"),
    path("<int:pk>/plan/photo/<int:part_pk>/", documents.missing_photo, name="photo"),
    path("<int:pk>/plan/<slug:kind>/new/", staff.part_add, name="part_add"),
    path("<int:pk>/plan/<slug:kind>/<int:part_pk>/", staff.part_edit, name="part_edit"),
    path("<int:pk>/plan/<slug:kind>/<int:part_pk>/remove/", staff.part_remove, name="part_remove"),
]
