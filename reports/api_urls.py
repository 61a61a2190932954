from django.urls import path

from . import api

app_name = "reports_api"
urlpatterns = [
    path("statistics/", api.StatisticsView.as_view(), name="statistics"),
    path("learning-records/", api.LearningRecordsView.as_view(), name="learning_records"),
]
