from django.urls import path

from bench.reference import views

urlpatterns = [
    path("insert/", views.note_insert, name="note-insert"),
    path("page/", views.tiny_page, name="tiny-page"),
]
