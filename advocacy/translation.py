"""Campaign texts in English and Spanish (django-modeltranslation).

What the supporter reads is translated: the title, summary, ask, thank-you and share texts, the
image's description and the call script (the script's spoken lines stay English: the supporter
says them to an English-speaking office). NOT subject_template/body_template: offices get the
campaign's English letter whatever the supporter's language (the supporter's own words go as
written), see advocacy/services and docs/advocacy.md."""

import simple_history
from modeltranslation.translator import TranslationOptions, register

from .models import Campaign


@register(Campaign)
class CampaignTranslationOptions(TranslationOptions):
    fields = ("title", "summary", "ask", "thank_you_text", "share_text", "call_script", "image_alt")


# After the registrations above: the historical models then carry the _en/_es columns too (registered
# here rather than with HistoricalRecords() on the model, which would be built before they exist).
simple_history.register(Campaign)
