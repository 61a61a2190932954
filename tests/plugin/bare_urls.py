from django.urls import include, path

urlpatterns = [path("learn/", include("courses.urls"))]
