"""Template tags other apps use to show the Tell Congress module (home page, thank-you pages), and
the campaign page's letter preview."""

from django import template
from django.db.models import F
from django.utils.html import escape, format_html, linebreaks
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, override

from ..models import Campaign
from ..placeholders import PLACEHOLDER_RE

register = template.Library()


@register.inclusion_tag("advocacy/includes/act_module.html")
def act_module(campaign=None):
    """The newest live campaign with its letter counter: one query, whatever the page."""
    if campaign is None or not hasattr(campaign, "letter_count"):
        queryset = Campaign.objects.live().with_letter_count()
        if campaign is not None:
            queryset = queryset.filter(pk=campaign.pk)
        campaign = queryset.order_by(F("opens_at").desc(nulls_last=True), "-created_at").first()
    percent = campaign.progress_percent(campaign.letter_count) if campaign else 0
    return {"campaign": campaign, "percent": percent}


def _with_examples(text: str, values: dict[str, str], english: dict[str, str], language: str) -> str:
    """`text` escaped, each known {placeholder} replaced by its example; an example in the reader's
    language inside the English letter carries its own lang (one the catalog keeps English, such
    as the title "Representative" the office reads, does not)."""
    parts, position = [], 0
    for match in PLACEHOLDER_RE.finditer(text):
        parts.append(escape(text[position : match.start()]))
        name = match.group(1)
        value = values.get(name)
        if value is None:  # anything else in braces is shown as written, as render_template_text does
            parts.append(escape(match.group(0)))
        elif value == english.get(name):
            parts.append(escape(value))
        else:
            parts.append(format_html('<span lang="{}">{}</span>', language, value))
        position = match.end()
    parts.append(escape(text[position:]))
    return "".join(parts)


@register.simple_tag
def sample_letter(campaign: Campaign) -> dict[str, SafeString]:
    """The campaign's letter as its public page previews it, as HTML: the subject and the
    paragraphs of the English letter the offices get, with the bracketed examples marked in the
    page's language (the template puts the whole passage in lang="en": WCAG 3.1.2)."""
    language = (get_language() or "en").split("-")[0]
    values = campaign.sample_values()
    with override("en"):
        english = campaign.sample_values()
    subject = _with_examples(campaign.subject_template, values, english, language)
    body = _with_examples(campaign.body_template, values, english, language)
    # Already escaped above: linebreaks only adds the <p> and <br> around it.
    return {"subject": mark_safe(subject), "body": mark_safe(linebreaks(body, autoescape=False))}  # noqa: S308
