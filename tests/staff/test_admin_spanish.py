"""The Spanish admin names every app and model in Spanish (issue 14: "the admin's own labels"),
third-party ones included: axes and django-otp's TOTP app under Camino's names for them
(accounts/third_party_apps.py), and axes' own labels from Camino's catalog."""

import inspect

import axes.admin
import axes.models
import pytest
from django.apps import apps
from django.contrib import admin
from django.test import RequestFactory
from django.utils import translation

from accounts.third_party_apps import AXES_LABELS

pytestmark = pytest.mark.django_db

# django-otp names its model with a plain string, which no catalog can translate; TOTP is the
# standard's own name, and the app around it is named in Spanish.
UNTRANSLATABLE_MODELS = {"TOTP devices"}


def _app_list(user, language):
    request = RequestFactory().get("/admin/")
    request.user = user
    with translation.override(language):
        return {
            app["app_label"]: (str(app["name"]), [str(model["name"]) for model in app["models"]])
            for app in admin.site.get_app_list(request)
        }


def test_every_app_and_model_of_the_admin_has_a_spanish_name(admin_user):
    english, spanish = _app_list(admin_user, "en"), _app_list(admin_user, "es")
    assert {"axes", "otp_totp", "auth"} <= english.keys()  # the third-party apps are on the index
    same_apps = [name for label, (name, _models) in english.items() if spanish[label][0] == name]
    assert same_apps == []
    same_models = [
        model
        for label, (_name, models) in english.items()
        for model, translated in zip(sorted(models), sorted(spanish[label][1]), strict=True)
        if model == translated and model not in UNTRANSLATABLE_MODELS
    ]
    assert same_models == []


def test_the_spanish_admin_index_shows_camino_names_for_axes_and_two_factor(admin_client):
    admin_client.cookies["django_language"] = "es"
    html = admin_client.get("/admin/").content.decode()
    assert "Bloqueos de inicio de sesión" in html and "Inicio de sesión en dos pasos" in html
    assert "Intentos de acceso" in html
    assert ">Axes<" not in html and "Otp_Totp" not in html


def test_the_english_admin_names_them_plainly_too(admin_client):
    html = admin_client.get("/admin/").content.decode()
    assert "Login lockouts" in html and "Two-factor login" in html and "Otp_Totp" not in html


def test_axes_labels_are_in_spanish_and_are_still_axes_own():
    """Each msgid Camino translates for axes is one axes still uses (an upgrade that renames one
    fails here), and every label of axes' models is Spanish in the Spanish admin."""
    source = inspect.getsource(axes.models) + inspect.getsource(axes.admin)
    assert [label for label in AXES_LABELS if f'_("{label}")' not in source] == []
    english_labels = []
    for model in apps.get_app_config("axes").get_models():
        opts = model._meta
        fields = [field for field in opts.get_fields() if hasattr(field, "verbose_name") and not field.auto_created]
        labels = [opts.verbose_name, opts.verbose_name_plural, *(field.verbose_name for field in fields)]
        with translation.override("es"):
            spanish = [str(label) for label in labels]
        english_labels += [str(label) for label, es in zip(labels, spanish, strict=True) if str(label) == es]
    assert english_labels == []
