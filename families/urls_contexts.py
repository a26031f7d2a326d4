from django.urls import path

from families.views import contexts

urlpatterns = [
    path("<int:pk>/contexts/", contexts.context_list, name="contexts"),
    path("<int:pk>/contexts/new/<slug:kind>/", contexts.context_add, name="context_add"),
    path("<int:pk>/contexts/<int:link_pk>/review/", contexts.context_review, name="context_review"),
    path("<int:pk>/contexts/<int:link_pk>/end/", contexts.context_end, name="context_end"),
    path(
        "<int:pk>/contexts/from/<slug:source>/<int:source_pk>/",
        contexts.context_mention_add,
        name="context_mention_add",
    ),
    path(
        "<int:pk>/contexts/from/<slug:source>/<int:source_pk>/new/<slug:kind>/",
        contexts.context_mention_record,
        name="context_mention_record",
    ),
    path("<int:pk>/contexts/links/<int:mention_pk>/unlink/", contexts.context_mention_end, name="context_mention_end"),
]
