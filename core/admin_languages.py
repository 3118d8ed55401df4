"""The admin's form for content in English and Spanish: each translated field's English and Spanish
boxes on one line (django-modeltranslation's TranslationAdmin, whose own layout puts them one under
the other; its tabbed variant is not used because it loads jQuery UI from a CDN)."""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from modeltranslation import settings as mt_settings
from modeltranslation.admin import TranslationAdmin, TranslationTabularInline
from modeltranslation.translator import translator
from modeltranslation.utils import build_localized_fieldname

from .content_languages import parts_spanish_missing, spanish_missing, spanish_missing_q


class SpanishMissingFilter(admin.SimpleListFilter):
    """Rows with a text written in English but not yet in Spanish (shown in English to Spanish readers)."""

    title = _("Spanish missing")
    parameter_name = "spanish_missing"

    def lookups(self, request, model_admin):
        return [("yes", _("Spanish missing")), ("no", _("Spanish complete"))]

    def queryset(self, request, queryset):
        missing = spanish_missing_q(queryset.model)
        if self.value() == "yes":
            return queryset.filter(missing)
        if self.value() == "no":
            return queryset.exclude(missing)
        return queryset


class BothLanguagesForm(forms.ModelForm):
    """A model's clean() names the field it checks ("image_alt"); the form has image_alt_en and
    image_alt_es instead. The error goes beside the English box: the check reads the active
    language's text with English as fallback, so it fails only when the English is empty."""

    def _update_errors(self, errors):
        if hasattr(errors, "error_dict"):
            translated = translator.get_options_for_model(self._meta.model).all_fields
            for name in [n for n in errors.error_dict if n in translated and n not in self.fields]:
                english = build_localized_fieldname(name, mt_settings.DEFAULT_LANGUAGE)
                errors.error_dict.setdefault(english, []).extend(errors.error_dict.pop(name))
        super()._update_errors(errors)


class BothLanguagesAdmin(TranslationAdmin):
    """Mixed into a ModelAdmin whose model is registered in its app's translation.py. Fieldsets and
    `fields` name the original field ("title"); the form shows title [en] | title [es] on one line."""

    form = BothLanguagesForm

    def get_list_display(self, request):
        return [*super().get_list_display(request), "spanish_missing"]

    def get_list_filter(self, request):
        return [*super().get_list_filter(request), SpanishMissingFilter]

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        parts = parts_spanish_missing(self.model)
        return queryset if parts is None else queryset.annotate(parts_spanish_missing=parts)

    @admin.display(description=_("Spanish missing"), boolean=True)
    def spanish_missing(self, obj):
        # Marked for staff: the public site shows these rows' English to Spanish readers (their own
        # texts, or their parts' such as an appeal's amount lines).
        return bool(spanish_missing(obj)) or bool(getattr(obj, "parts_spanish_missing", False))

    def get_fieldsets(self, request, obj=None):
        # "both-languages": staff.css gives each box of a line an equal column, its help text
        # wrapping inside it (a long help text pushed the Spanish box under the English one).
        return [
            (
                name,
                {
                    **options,
                    "fields": self._pair_languages(options.get("fields", [])),
                    "classes": [*options.get("classes", ()), "both-languages"],
                },
            )
            for name, options in super().get_fieldsets(request, obj)
        ]

    def _pair_languages(self, fields):
        """title_en, title_es, slug -> (title_en, title_es), slug: one line of the admin form per field."""
        original_of = {
            field.name: original for original, translations in self.trans_opts.all_fields.items()
            for field in translations
        }
        lines, line_of = [], {}
        for name in fields:
            original = original_of.get(name) if isinstance(name, str) else None
            if original is None:
                lines.append(name)
            elif original in line_of:
                lines[line_of[original]] += (name,)
            else:
                line_of[original] = len(lines)
                lines.append((name,))
        return lines

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        return _with_language(self, super().formfield_for_dbfield(db_field, request, **kwargs), db_field)


class BothLanguagesTabularInline(TranslationTabularInline):
    """A table of a model's rows inside its parent's page (an appeal's amount buttons), each text as
    an English and a Spanish column side by side. The row model is registered in translation.py;
    `fields` name the original field. Its clean() errors land beside the box they name, as above."""

    form = BothLanguagesForm

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        return _with_language(self, super().formfield_for_dbfield(db_field, request, **kwargs), db_field)


def _with_language(admin_class, field, db_field):
    language = getattr(db_field, "language", None)
    if field is not None and language:
        # The box's language, for screen readers and the browser's spell checker.
        admin_class._get_widget_from_field(field).attrs["lang"] = language
    return field
