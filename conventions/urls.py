from django.urls import path

from conventions import views

urlpatterns = [
    path("", views.home, name="home"),
]
