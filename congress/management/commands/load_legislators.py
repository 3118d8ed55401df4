"""Load the current members of Congress from congress-legislators (YAML or JSON)."""

from django.core.management.base import CommandError

from congress.data_files import DataFileError, parse_legislators
from congress.services import legislators_load

from ._loading import DataLoadCommand


class Command(DataLoadCommand):
    help = (
        "Load current members of Congress from a congress-legislators file (legislators-current, YAML or "
        "JSON). Members missing from the file are marked inactive. A malformed file changes nothing."
    )
    default_url_setting = "LEGISLATORS_URL"

    def handle(self, *args, **options):
        text, name = self.read(options)
        try:
            parsed = parse_legislators(text, name=name)
        except DataFileError as exc:
            raise CommandError(f"Nothing was changed. {exc}") from exc
        for warning in parsed.warnings:
            self.stderr.write(self.style.WARNING(warning))
        summary = legislators_load(rows=parsed.rows)
        self.stdout.write(
            self.style.SUCCESS(
                f"Legislators from {name}: {summary.in_file} in the file; {summary.created} created, "
                f"{summary.updated} updated, {summary.unchanged} unchanged, {summary.deactivated} deactivated."
            )
        )
