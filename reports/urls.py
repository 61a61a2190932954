from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("", views.statistics_home, name="statistics_home"),
    path("definitions/", views.definitions, name="definitions"),
    path("refresh/", views.refresh_request, name="refresh_request"),
    path("refresh/<int:refresh_id>/", views.refresh_progress, name="refresh_progress"),
    path("learning-records/", views.learning_records, name="learning_records"),
    path("learning-records/export/", views.learning_records_export, name="learning_records_export"),
    # The site's own xAPI terms (reports.xapi.VOCABULARY): each IRI answers its definition.
    path("xapi/verbs/issued/", views.xapi_term, name="xapi_verb_issued"),
    path("xapi/verbs/revoked/", views.xapi_term, name="xapi_verb_revoked"),
    path("xapi/activity-types/certificate/", views.xapi_term, name="xapi_type_certificate"),
    path("xapi/activity-types/skill-standard/", views.xapi_term, name="xapi_type_standard"),
]
