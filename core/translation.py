"""Home page figures in English and Spanish (django-modeltranslation): the label and the source's
name are words; the figure, year and link are the same in both languages."""

from modeltranslation.translator import TranslationOptions, register

from .models import Statistic


@register(Statistic)
class StatisticTranslationOptions(TranslationOptions):
    fields = ("label", "source_name")
