"""The language a person used on the site, stored on what they did there (a gift, a letter) so
that everything sent to them later (receipts, renewal notices, status emails) and Stripe's pages
speak it too, whichever worker or webhook sends it."""

from django.conf import settings
from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _


def language_choices() -> list[tuple[str, str]]:
    """settings.LANGUAGES, read when asked: a callable so migrations do not freeze the list."""
    return list(settings.LANGUAGES)


def default_language() -> str:
    """LANGUAGE_CODE's language ("en-us" -> "en")."""
    return supported(settings.LANGUAGE_CODE)


def supported(code: str | None) -> str:
    """`code` reduced to one of settings.LANGUAGES ("es-mx" -> "es"), else the default language."""
    codes = [code for code, _name in settings.LANGUAGES]
    if code:
        code = code.lower()
        if code in codes:
            return code
        base = code.split("-", 1)[0]
        if base in codes:
            return base
    fallback = settings.LANGUAGE_CODE.lower()
    return fallback if fallback in codes else fallback.split("-", 1)[0]


def active_language() -> str:
    """The request's language (LocaleMiddleware activates it), as stored on a gift or letter."""
    return supported(translation.get_language())


def LanguageField(**kwargs) -> models.CharField:  # noqa: N802 - used like a field class
    kwargs.setdefault("verbose_name", _("language"))
    kwargs.setdefault(
        "help_text", _("The language the person used on the site: their emails and payment pages use it.")
    )
    return models.CharField(max_length=8, choices=language_choices, default=default_language, **kwargs)
