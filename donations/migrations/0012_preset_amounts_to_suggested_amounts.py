from django.db import migrations

# The largest amount_cents the column holds on every database (PositiveIntegerField; PostgreSQL's
# integer). The old JSON list took any whole number: a larger one (a typo) could never be given,
# since it is far over DONATION_MAX_CENTS, and on PostgreSQL it stopped this migration.
LARGEST_CENTS = 2_147_483_647


def presets_to_rows(apps, schema_editor):
    """Each appeal's preset_amounts (a JSON list of cents) becomes one SuggestedAmount per amount, in
    the list's order. What the old form ignored (not a whole positive number, a repeat) is skipped,
    and so is an amount too large for the column (LARGEST_CENTS)."""
    Appeal = apps.get_model("donations", "Appeal")
    SuggestedAmount = apps.get_model("donations", "SuggestedAmount")
    rows = []
    for appeal in Appeal.objects.only("pk", "preset_amounts").iterator():
        seen = set()
        for cents in appeal.preset_amounts or []:
            if (
                isinstance(cents, int)
                and not isinstance(cents, bool)
                and 0 < cents <= LARGEST_CENTS
                and cents not in seen
            ):
                seen.add(cents)
                rows.append(SuggestedAmount(appeal_id=appeal.pk, amount_cents=cents, position=len(seen) - 1))
    SuggestedAmount.objects.bulk_create(rows, batch_size=500)


def rows_to_presets(apps, schema_editor):
    """Back to the JSON list, in the buttons' order (the lines have nowhere to go and are dropped)."""
    Appeal = apps.get_model("donations", "Appeal")
    SuggestedAmount = apps.get_model("donations", "SuggestedAmount")
    presets = {}
    for appeal_id, cents in SuggestedAmount.objects.order_by("position", "amount_cents").values_list(
        "appeal_id", "amount_cents"
    ):
        presets.setdefault(appeal_id, []).append(cents)
    for appeal_id, amounts in presets.items():
        Appeal.objects.filter(pk=appeal_id).update(preset_amounts=amounts)


class Migration(migrations.Migration):
    dependencies = [
        ("donations", "0011_suggested_amounts"),
    ]

    operations = [
        migrations.RunPython(presets_to_rows, rows_to_presets),
    ]
