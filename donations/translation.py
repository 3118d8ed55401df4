"""Appeal texts, and the lines of their amount buttons, in English and Spanish (django-modeltranslation).
Empty Spanish falls back to English."""

import simple_history
from modeltranslation.translator import TranslationOptions, register

from .models import Appeal, SuggestedAmount


@register(Appeal)
class AppealTranslationOptions(TranslationOptions):
    fields = ("title", "text", "image_alt")


@register(SuggestedAmount)
class SuggestedAmountTranslationOptions(TranslationOptions):
    fields = ("impact_line",)


# After the registrations above: the historical models then carry the _en/_es columns too (registered
# here rather than with HistoricalRecords() on the model, which would be built before they exist).
simple_history.register(Appeal)
