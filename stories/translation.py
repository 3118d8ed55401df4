"""Story and agenda point texts in English and Spanish (django-modeltranslation: title_en, title_es...).

Only what a reader reads is translated; slugs stay one per object so /stories/<slug>/ and
/es/stories/<slug>/ are the same story. Empty Spanish falls back to English (settings)."""

import simple_history
from modeltranslation.translator import TranslationOptions, register

from .models import AgendaPoint, Story


@register(Story)
class StoryTranslationOptions(TranslationOptions):
    fields = ("title", "summary", "body", "image_alt")


@register(AgendaPoint)
class AgendaPointTranslationOptions(TranslationOptions):
    fields = ("title", "summary", "body", "image_alt")


# After the registrations above: the historical models then carry the _en/_es columns too (registered
# here rather than with HistoricalRecords() on the model, which would be built before they exist).
simple_history.register(Story)
simple_history.register(AgendaPoint)
