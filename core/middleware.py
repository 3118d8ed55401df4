"""Requests refused before any view sees them, and the language of each request."""

from django.conf import settings
from django.core.exceptions import BadRequest
from django.http import HttpResponseRedirect
from django.middleware.locale import LocaleMiddleware
from django.urls import get_script_prefix, is_valid_path
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation.trans_real import parse_accept_lang_header


def nul_in_query_refused(get_response):
    """A NUL character in a query parameter is a 400. PostgreSQL cannot store or compare a string
    holding one (psycopg raises ValueError), so an admin list filter given `?status=%00` was a 500;
    no address, filter or search of ours has a use for it."""

    def middleware(request):
        for key, values in request.GET.lists():
            if "\x00" in key or any("\x00" in value for value in values):
                raise BadRequest("NUL character in the query string")
        return get_response(request)

    return middleware


class CaminoLocaleMiddleware(LocaleMiddleware):
    """The language of a request (docs/i18n.md).

    - A public page's language is its URL's: /es/... is Spanish, an unprefixed page English.
    - Accept-Language only picks the FIRST language: a GET of an unprefixed public page without a
      language cookie, from a browser that prefers Spanish, is sent to the /es/ page.
    - Once the person has chosen (the switcher: set_language's cookie), the choice wins over the
      header: with the cookie at "es" an unprefixed page (an old link, an email sent in English)
      goes to its /es/ page; with "en" it stays English whatever the browser says.
    - Paths outside i18n_patterns (the admin, webhooks, health, media) keep one URL; their
      language is the cookie's, then Accept-Language's (Django's own rule). Django's middleware
      gives them LANGUAGE_CODE whenever prefix_default_language is False, so staff could not use
      the admin in Spanish.
    """

    def process_request(self, request):
        urlconf = getattr(request, "urlconf", settings.ROOT_URLCONF)
        path_language = translation.get_language_from_path(request.path_info)
        if path_language:
            language = path_language
        elif _is_localized_path(request.path_info, urlconf):
            language = settings.LANGUAGE_CODE
            preferred = _preferred_language(request)
            if preferred != language and request.method in ("GET", "HEAD"):
                translation.activate(language)
                request.LANGUAGE_CODE = language
                return HttpResponseRedirect(_prefixed(request, preferred))
        else:
            language = translation.get_language_from_request(request, check_path=False)
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()

    def process_response(self, request, response):
        response = super().process_response(request, response)
        if not translation.get_language_from_path(request.path_info):
            # An unprefixed page's answer depends on the cookie and the header.
            patch_vary_headers(response, ("Accept-Language", "Cookie"))
        return response


def _supported(code):
    try:
        return translation.get_supported_language_variant(code)
    except LookupError:
        return None


def _preferred_language(request):
    """The cookie's language if the person chose one, else the header's best (first visit)."""
    cookie = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    if cookie:
        return _supported(cookie) or settings.LANGUAGE_CODE
    for code, _quality in parse_accept_lang_header(request.headers.get("Accept-Language", "")):
        if code == "*":
            break
        supported = _supported(code)
        if supported:
            return supported
    return settings.LANGUAGE_CODE


def _is_localized_path(path_info, urlconf):
    """Whether this unprefixed path is one of the pages under i18n_patterns (it has an /es/ twin)."""
    language = next(code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE)
    with translation.override(language):
        return is_valid_path(f"/{language}{path_info}", urlconf)


def _prefixed(request, language):
    prefix = get_script_prefix()
    full_path = request.get_full_path()
    rest = full_path[len(prefix):] if full_path.startswith(prefix) else full_path.lstrip("/")
    return f"{prefix}{language}/{rest}"
