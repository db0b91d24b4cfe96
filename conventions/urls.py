from django.urls import path

from conventions import views

urlpatterns = [
    path("", views.home, name="home"),
    path("conventions/<int:pk>/apercu/", views.preview, name="convention_preview"),
    path("conventions/<int:pk>/pdf/", views.pdf, name="convention_pdf"),
]
