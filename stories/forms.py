from django import forms
from django.utils.translation import gettext_lazy as _

from .models import AgendaPoint


class StoryFilterForm(forms.Form):
    """The story list's filter: an agenda point (by slug) and free text."""

    point = forms.ModelChoiceField(
        queryset=AgendaPoint.objects.all(), to_field_name="slug", required=False,
        label=_("Agenda point"), empty_label=_("All agenda points"),
    )
    q = forms.CharField(required=False, max_length=100, label=_("Search"))
