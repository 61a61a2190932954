from django.urls import path

from . import views

app_name = "gradebook"
urlpatterns = [
    path("cohorts/<int:cohort_id>/", views.cohort_gradebook, name="cohort_gradebook"),
    path(
        "cohorts/<int:cohort_id>/export.<str:fmt>",
        views.cohort_gradebook_export,
        name="cohort_gradebook_export",
    ),
]
