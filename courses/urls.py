from django.urls import path

from . import views

app_name = "courses"
urlpatterns = [
    path("", views.catalogue, name="catalogue"),
    path("my/", views.my_learning, name="my_learning"),
    path("cohorts/<int:cohort_id>/enrol/", views.cohort_enrol_csv, name="cohort_enrol_csv"),
    path("<slug:code>/", views.course_detail, name="course_detail"),
    path("<slug:code>/enrol/", views.enrol, name="enrol"),
    path("<slug:code>/withdraw/", views.withdraw, name="withdraw"),
    path("<slug:code>/lessons/<int:lesson_id>/", views.lesson_detail, name="lesson_detail"),
    path(
        "<slug:code>/lessons/<int:lesson_id>/attachment/",
        views.lesson_attachment,
        name="lesson_attachment",
    ),
    path(
        "<slug:code>/lessons/<int:lesson_id>/complete/",
        views.lesson_complete,
        name="lesson_complete",
    ),
]
