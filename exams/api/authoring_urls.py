from django.urls import path
from rest_framework.routers import SimpleRouter

from . import authoring as views

router = SimpleRouter(trailing_slash=True)
router.register("banks", views.BankViewSet, basename="bank")
router.register("questions", views.QuestionViewSet, basename="question")
router.register("imports", views.ImportJobViewSet, basename="import")
router.register("exams", views.ExamViewSet, basename="exam")

app_name = "exams_authoring_api"
urlpatterns = [
    *router.urls,
    path(
        "banks/<int:bank_id>/questions/",
        views.BankQuestionViewSet.as_view({"get": "list", "post": "create"}),
        name="bank-questions",
    ),
]
