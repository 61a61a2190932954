from django.urls import path

from . import grading, views

app_name = "exams_api"
urlpatterns = [
    path("grading/queue/", grading.QueueView.as_view(), name="grading_queue"),
    path("grading/<int:question_id>/", grading.AnswerView.as_view(), name="grading_answer"),
    path("grading/<int:question_id>/marks/", grading.MarkView.as_view(), name="grading_mark"),
    path("exams/<int:exam_id>/start/", views.StartView.as_view(), name="start"),
    path("attempts/<int:attempt_id>/result/", views.ResultView.as_view(), name="result"),
    path("attempts/<int:attempt_id>/", views.AttemptView.as_view(), name="attempt"),
    path("attempts/<int:attempt_id>/clock/", views.ClockView.as_view(), name="clock"),
    path("attempts/<int:attempt_id>/heartbeat/", views.HeartbeatView.as_view(), name="heartbeat"),
    path(
        "attempts/<int:attempt_id>/answers/<int:position>/",
        views.AnswerView.as_view(),
        name="answer",
    ),
    path(
        "attempts/<int:attempt_id>/answers/<int:position>/file/",
        views.AnswerFileView.as_view(),
        name="answer_file",
    ),
    path("attempts/<int:attempt_id>/submit/", views.SubmitView.as_view(), name="submit"),
]
