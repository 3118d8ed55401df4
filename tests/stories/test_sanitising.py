import pytest

from stories.models import render_markdown

from .factories import StoryFactory

HOSTILE = """Hello **world**

<script>alert('x')</script>
<img src="x.png" onerror="alert(1)" alt="pic">
<a href="javascript:alert(1)" onclick="steal()">click</a>
<p style="color:red" onmouseover="alert(2)">styled</p>
<iframe src="https://evil.example"></iframe>

[fine link](https://example.org)
"""


def test_markdown_is_rendered_and_scripts_and_handlers_removed():
    html = render_markdown(HOSTILE)
    assert "<strong>world</strong>" in html
    assert '<a href="https://example.org" rel="noopener noreferrer">fine link</a>' in html
    lowered = html.lower()
    for bad in ["<script", "onerror", "onclick", "onmouseover", "javascript:", "style=", "<iframe", "alert("]:
        assert bad not in lowered, bad


@pytest.mark.django_db
def test_story_page_never_carries_a_script_from_the_body(client):
    story = StoryFactory(body=HOSTILE)
    html = client.get(story.get_absolute_url()).content.decode().lower()
    assert "<strong>world</strong>" in html
    for bad in ["alert(", "onerror", "onclick", "onmouseover", "javascript:", "<iframe"]:
        assert bad not in html, bad
