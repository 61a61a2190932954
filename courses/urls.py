from django.urls import path

from . import roster_views as rosters
from . import studio_views as studio
from . import views

app_name = "courses"
urlpatterns = [
    path("", views.catalogue, name="catalogue"),
    path("my/", views.my_learning, name="my_learning"),
    path("cohorts/<int:cohort_id>/enrol/", views.cohort_enrol_csv, name="cohort_enrol_csv"),
    # A school's rosters (courses/rosters.py); invitations are the organisations' pages.
    path("schools/<int:school_id>/roster/", rosters.roster_import, name="roster_import"),
    path(
        "schools/<int:school_id>/roster/invitations.csv",
        rosters.roster_invitations,
        name="roster_invitations",
    ),
    path("cohorts/<int:cohort_id>/staff/", rosters.cohort_staff, name="cohort_staff"),
    # The course studio (before "<code>/": "studio" is a reserved course code).
    path("studio/", studio.studio_courses, name="studio_courses"),
    path("studio/new/", studio.studio_course_new, name="studio_course_new"),
    path("studio/preview/", studio.studio_preview, name="studio_preview"),
    path("studio/<slug:code>/", studio.studio_course, name="studio_course"),
    path("studio/<slug:code>/edit/", studio.studio_course_edit, name="studio_course_edit"),
    path("studio/<slug:code>/publish/", studio.studio_course_publish, name="studio_publish"),
    path("studio/<slug:code>/reorder/", studio.studio_reorder, name="studio_reorder"),
    path("studio/<slug:code>/modules/new/", studio.studio_module_form, name="studio_module_new"),
    path(
        "studio/<slug:code>/modules/<int:module_id>/",
        studio.studio_module_form,
        name="studio_module_edit",
    ),
    path(
        "studio/<slug:code>/modules/<int:module_id>/delete/",
        studio.studio_module_delete,
        name="studio_module_delete",
    ),
    path(
        "studio/<slug:code>/modules/<int:module_id>/move/",
        studio.studio_module_move,
        name="studio_module_move",
    ),
    path("studio/<slug:code>/lessons/new/", studio.studio_lesson_form, name="studio_lesson_new"),
    path(
        "studio/<slug:code>/lessons/<int:lesson_id>/",
        studio.studio_lesson_form,
        name="studio_lesson_edit",
    ),
    path(
        "studio/<slug:code>/lessons/<int:lesson_id>/delete/",
        studio.studio_lesson_delete,
        name="studio_lesson_delete",
    ),
    path(
        "studio/<slug:code>/lessons/<int:lesson_id>/move/",
        studio.studio_lesson_move,
        name="studio_lesson_move",
    ),
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
        "<slug:code>/lessons/<int:lesson_id>/time/",
        views.lesson_time,
        name="lesson_time",
    ),
    path(
        "<slug:code>/lessons/<int:lesson_id>/complete/",
        views.lesson_complete,
        name="lesson_complete",
    ),
]
