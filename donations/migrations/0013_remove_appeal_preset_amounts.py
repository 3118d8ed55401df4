from django.db import migrations


class Migration(migrations.Migration):
    """The amounts now live in SuggestedAmount rows (0012 copied them there)."""

    dependencies = [
        ('donations', '0012_preset_amounts_to_suggested_amounts'),
    ]

    operations = [
        migrations.RemoveField(
            model_name='appeal',
            name='preset_amounts',
        ),
        migrations.RemoveField(
            model_name='historicalappeal',
            name='preset_amounts',
        ),
    ]
