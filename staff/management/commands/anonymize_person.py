from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from staff.services import person_anonymize


class Command(BaseCommand):
    help = (
        "Remove a supporter's or donor's personal data on their request, found by email address. "
        "Donation totals, campaign counts and delivery reports stay as they were."
    )

    def add_arguments(self, parser):
        parser.add_argument("email", help="The address the person used to give or to write.")
        parser.add_argument("--dry-run", action="store_true", help="Only say what would be changed.")

    def handle(self, *args, email, dry_run, **options):
        try:
            report = person_anonymize(email=email, dry_run=dry_run)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        if not report.found:
            self.stdout.write(_("No personal data found for that address; nothing changed."))
            return
        line = _("Would anonymize %(count)d %(what)s.") if dry_run else _("Anonymized %(count)d %(what)s.")
        for what, count in report.counts.items():
            if count:
                self.stdout.write(line % {"count": count, "what": what})
        if not dry_run:
            done = _("Done. Ask Stripe separately to erase the customer there if needed.")
            self.stdout.write(self.style.SUCCESS(done))
