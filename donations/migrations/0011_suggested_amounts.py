import django.core.validators
import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('donations', '0010_status_tribute_labels_us_spelling'),
    ]

    operations = [
        migrations.CreateModel(
            name='SuggestedAmount',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('amount_cents', models.PositiveIntegerField(help_text='A whole amount in cents, e.g. 5000 for $50.', validators=[django.core.validators.MinValueValidator(1, message='Use a whole, positive amount in cents, e.g. 5000 for $50.')], verbose_name='amount (cents)')),
                ('impact_line', models.CharField(blank=True, help_text='Optional, one short line shown on the button, e.g. “A week of safe shelter for one child”.', max_length=120, verbose_name='what it does')),
                ('impact_line_en', models.CharField(blank=True, help_text='Optional, one short line shown on the button, e.g. “A week of safe shelter for one child”.', max_length=120, null=True, verbose_name='what it does')),
                ('impact_line_es', models.CharField(blank=True, help_text='Optional, one short line shown on the button, e.g. “A week of safe shelter for one child”.', max_length=120, null=True, verbose_name='what it does')),
                ('position', models.PositiveSmallIntegerField(default=0, help_text='Buttons are shown from the lowest position; equal positions by amount.', verbose_name='position')),
                ('appeal', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='suggested_amounts', to='donations.appeal', verbose_name='appeal')),
            ],
            options={
                'verbose_name': 'suggested amount',
                'verbose_name_plural': 'suggested amounts',
                'ordering': ['position', 'amount_cents'],
                'constraints': [models.UniqueConstraint(fields=('appeal', 'amount_cents'), name='suggestedamount_unique_per_appeal'), models.CheckConstraint(condition=models.Q(('amount_cents__gt', 0)), name='suggestedamount_amount_positive', violation_error_code='amount_not_positive', violation_error_message='Use a whole, positive amount in cents, e.g. 5000 for $50.')],
            },
        ),
    ]
