"""Every write to stories and agenda points, so each one also retires the cached public pages."""

from django.db import transaction
from django.utils import timezone

from .caching import content_changed_on_commit
from .models import AgendaPoint, Story


@transaction.atomic
def story_save(*, story: Story) -> Story:
    """Save a story as edited (in the admin or by a script) after checking every model rule."""
    story.full_clean()
    story.save()
    content_changed_on_commit()
    return story


@transaction.atomic
def story_publish(*, story: Story, publish_at=None) -> Story:
    """Publish a story. Given `publish_at`, it goes live then. Otherwise a published story keeps
    its time, a draft scheduled for the future keeps its time, and any other draft goes live now (a
    draft started last month must not appear under last month's date)."""
    if publish_at is not None:
        story.publish_at = publish_at
    elif story.status != Story.Status.PUBLISHED:
        story.publish_at = max(story.publish_at, timezone.now())
    story.status = Story.Status.PUBLISHED
    story.full_clean()
    story.save(update_fields=["status", "publish_at", "updated_at"])
    content_changed_on_commit()
    return story


@transaction.atomic
def story_unpublish(*, story: Story) -> Story:
    """Take a story back to draft: it disappears from every public page at once."""
    story.status = Story.Status.DRAFT
    story.full_clean()
    story.save(update_fields=["status", "updated_at"])
    content_changed_on_commit()
    return story


@transaction.atomic
def story_delete(*, story: Story) -> None:
    story.delete()
    content_changed_on_commit()


@transaction.atomic
def agenda_point_save(*, point: AgendaPoint) -> AgendaPoint:
    point.full_clean()
    point.save()
    content_changed_on_commit()
    return point


@transaction.atomic
def agenda_point_delete(*, point: AgendaPoint) -> None:
    """Delete a point no story files under as its primary point (the database protects those)."""
    point.delete()
    content_changed_on_commit()
