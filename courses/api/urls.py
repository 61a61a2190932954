from django.urls import path
from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter(trailing_slash=True)
router.register("courses", views.CourseViewSet, basename="course")
router.register("enrollments", views.EnrollmentViewSet, basename="enrollment")
router.register("lessons", views.LessonViewSet, basename="lesson")

app_name = "courses_api"
urlpatterns = [
    *router.urls,
    path(
        "modules/<int:module_id>/lessons/",
        views.ModuleLessonViewSet.as_view({"post": "create"}),
        name="module-lessons",
    ),
]
