from django.urls import path

from . import views

app_name = "stories"

urlpatterns = [
    path("stories/", views.story_list, name="story_list"),
    path("agenda/", views.agenda_list, name="agenda_list"),
]
