"""Which Spanish a piece of content still lacks (django-modeltranslation's <field>_es columns).

A missing Spanish text falls back to English on the public site; the admin marks such rows
("Spanish missing"), and a campaign or appeal cannot go live in Spanish without its required
texts (their models' clean())."""

from django.core.exceptions import ValidationError
from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Q
from django.utils.translation import gettext_lazy as _
from modeltranslation import settings as modeltranslation_settings
from modeltranslation.translator import translator
from modeltranslation.utils import build_localized_fieldname


def translated_fields(model) -> list[str]:
    return list(translator.get_options_for_model(model).all_fields)


def in_default_language(obj, field: str) -> str:
    """The field as written in the site's default language (English), whatever language is active.
    English is every language's fallback (MODELTRANSLATION_FALLBACK_LANGUAGES): a text required on
    every page (an image's description) is required there. Read as `obj.<field>` it is the active
    language's, so in the Spanish admin a description written only in Spanish passed, and the
    English page showed the image undescribed."""
    english = build_localized_fieldname(field, modeltranslation_settings.DEFAULT_LANGUAGE)
    return (getattr(obj, english) or "").strip()


IMAGE_DESCRIPTION_MISSING = _("Describe the image for people who cannot see it.")


def image_description_errors(obj, message=IMAGE_DESCRIPTION_MISSING) -> dict:
    """{"image_alt": error} when `obj` has an image but no English description, else {}: the one rule
    for every model with an image and a translated `image_alt` (campaign, appeal, story, agenda point),
    for their clean() to raise or merge into their own errors."""
    if obj.image and not in_default_language(obj, "image_alt"):
        return {"image_alt": ValidationError(message, code="alt_required")}
    return {}


def spanish_missing(obj, fields=None) -> list[str]:
    """The fields written in English whose Spanish is still empty."""
    return [
        field for field in (fields or translated_fields(type(obj)))
        if (getattr(obj, f"{field}_en", None) or "").strip() and not (getattr(obj, f"{field}_es", None) or "").strip()
    ]


def _own_spanish_missing_q(model) -> Q:
    q = Q(pk__in=[])
    for field in translated_fields(model):
        q |= (~Q(**{f"{field}_en": ""}) & Q(**{f"{field}_en__isnull": False})) & (
            Q(**{f"{field}_es": ""}) | Q(**{f"{field}_es__isnull": True})
        )
    return q


def _parts(model):
    """The relations named by the model's `translated_parts` (an appeal's amount buttons): rows shown
    with it whose texts are part of it, so their missing Spanish is its missing Spanish."""
    for name in getattr(model, "translated_parts", ()):
        relation = model._meta.get_field(name)
        yield relation.related_model, relation.field.name


def spanish_missing_q(model) -> Q:
    """The rows `spanish_missing` would name a field of, or with a part missing Spanish, as one filter
    (the admin's list filter)."""
    q = _own_spanish_missing_q(model)
    for part, parent in _parts(model):
        q |= Q(pk__in=part.objects.filter(_own_spanish_missing_q(part)).values(parent))
    return q


def parts_spanish_missing(model):
    """An annotation: whether a row has a part missing Spanish (one query for a whole list), or None
    when the model has no translated parts."""
    checks = [Exists(part.objects.filter(_own_spanish_missing_q(part), **{parent: OuterRef("pk")}))
              for part, parent in _parts(model)]
    if not checks:
        return None
    combined = checks[0]
    for check in checks[1:]:
        combined |= check
    return ExpressionWrapper(combined, output_field=BooleanField())


def spanish_required_errors(obj, fields) -> dict[str, ValidationError]:
    """Errors, beside each Spanish box, for the required texts not yet written in Spanish."""
    return {
        f"{field}_es": ValidationError(
            _("Write this in Spanish before it goes live: Spanish readers would see the English."),
            code="spanish_required",
        )
        for field in spanish_missing(obj, fields)
    }
