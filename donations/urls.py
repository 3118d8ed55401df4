from django.urls import path

from . import views

app_name = "donations"

urlpatterns = [
    path("donate/", views.donate, name="donate"),
    path("donate/manage/", views.manage, name="manage"),
    path("donate/manage/<str:token>/", views.manage_open, name="manage_open"),
    path("donate/demo/manage/", views.demo_portal, name="demo_portal"),
    path("donate/thanks/<uuid:reference>/", views.thanks, name="thanks"),
    path("donate/cancelled/<uuid:reference>/", views.cancel, name="cancel"),
    path("donate/demo/checkout/<uuid:reference>/", views.demo_checkout, name="demo_checkout"),
    path("donate/<slug:slug>/", views.donate, name="donate_appeal"),
]
