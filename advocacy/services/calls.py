"""The call step after a letter: the supporter says how each call to one of their offices went,
and staff read the counts per office and outcome (CallReport, the campaign's admin page)."""

from collections.abc import Collection

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from ..models import CallReport, Letter


@transaction.atomic
def call_report_record(*, letter: Letter, legislator_id: int, outcome: str, offices: Collection[int]) -> CallReport:
    """Record how the writer's call to one office went. `offices` are the members this submission
    may call (its own, as the thank-you page lists them): any other office is refused, so a report
    never counts a call to an office the writer was not asked to call. Saying again changes the
    outcome: one report per letter and office, so nobody counts twice."""
    if outcome not in CallReport.Outcome.values:
        raise ValidationError(_("Choose how the call went."), code="unknown_outcome")
    if legislator_id not in offices:
        raise ValidationError(_("This office is not one of yours to call."), code="not_this_letters_office")
    # update_or_create locks the row it finds and, when two requests create it at once, the unique
    # constraint makes the loser read the winner's row instead of adding a second one.
    report, _created = CallReport.objects.update_or_create(
        letter=letter, legislator_id=legislator_id, defaults={"outcome": outcome}
    )
    return report
