from django.urls import path

from . import views

app_name = "advocacy"

urlpatterns = [
    path("act/", views.campaign_list, name="campaign_list"),
    path("act/status/<str:token>/", views.letter_status, name="letter_status"),
    path("act/updates/<str:token>/", views.consent_confirm, name="consent_confirm"),
    path("act/<slug:slug>/", views.campaign_detail, name="campaign_detail"),
    path("act/<slug:slug>/district/", views.campaign_district, name="campaign_district"),
    path("act/<slug:slug>/confirm/", views.campaign_confirm, name="campaign_confirm"),
    path("act/<slug:slug>/thanks/", views.campaign_thanks, name="campaign_thanks"),
    path("act/<slug:slug>/thanks/call/", views.campaign_call_report, name="campaign_call_report"),
]
