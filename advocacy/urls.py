from django.urls import path

from . import views

app_name = "advocacy"

urlpatterns = [
    path("act/", views.campaign_list, name="campaign_list"),
]
