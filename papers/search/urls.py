from django.urls import path

from . import views

urlpatterns = [
    path("decisions/", views.decisions, name="decisions"),
]
