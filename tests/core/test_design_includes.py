"""The shared design includes: the error summary (templates/includes/error_summary.html)."""

from django import forms
from django.template import Context, Template

SUMMARY = Template('{% include "includes/error_summary.html" with form=form extra_errors=extra %}')


class ExampleForm(forms.Form):
    name = forms.CharField(label="Your name")
    frequency = forms.ChoiceField(label="How often", choices=[("once", "Once"), ("month", "Monthly")],
                                  widget=forms.RadioSelect)

    def clean(self):
        raise forms.ValidationError("Too many attempts.")


def render(form=None, extra=None) -> str:
    return SUMMARY.render(Context({"form": form, "extra": extra}))


def test_nothing_for_an_unbound_form_and_nothing_without_errors():
    assert render(ExampleForm()).strip() == ""
    assert render(None).strip() == ""


def test_each_field_error_links_to_its_field_and_the_form_errors_are_listed():
    html = render(ExampleForm(data={}))
    assert 'data-error-summary' in html and 'tabindex="-1"' in html and "autofocus" in html
    assert 'role="alert"' in html and "There is a problem" in html
    assert '<a href="#id_name">Your name: This field is required.</a>' in html
    # A radio group has no single labeled control: the link goes to its first choice.
    assert '<a href="#id_frequency_0">How often: This field is required.</a>' in html
    assert "<li>Too many attempts.</li>" in html


def test_extra_errors_alone_show_the_summary():
    html = render(None, ["Too many letters from here in a short time."])
    assert "<li>Too many letters from here in a short time.</li>" in html


SHARE = Template('{% include "includes/share.html" with share_url=url share_path=path share_text=text %}')


def test_share_links_carry_the_text_and_the_address_and_work_without_javascript(rf):
    html = SHARE.render(Context({"url": "https://camino.example.org/act/x/", "text": "Write today & share",
                                 "request": rf.get("/")}))
    message = "Write%20today%20%26%20share%20https%3A%2F%2Fcamino.example.org%2Fact%2Fx%2F"
    assert f'href="https://wa.me/?text={message}"' in html
    assert f'href="sms:?&amp;body={message}"' in html
    # The link itself, readable and selectable without JavaScript; the script-only buttons start hidden.
    assert 'value="https://camino.example.org/act/x/" readonly' in html
    assert 'hidden data-share-copy' in html and '<li hidden data-share-native-item>' in html
    assert 'role="status" aria-live="polite"' in html


def test_share_path_is_made_absolute_from_the_request(rf):
    html = SHARE.render(Context({"path": "/donate/", "text": "Give", "request": rf.get("/", secure=True)}))
    assert 'value="https://testserver/donate/"' in html
