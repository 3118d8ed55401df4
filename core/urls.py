from django.urls import path

from . import views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("privacy/", views.privacy, name="privacy"),
    # Browsers ask for /favicon.ico on pages that name no icon (the admin, feeds).
    path("favicon.ico", views.favicon, name="favicon"),
]
