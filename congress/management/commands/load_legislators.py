"""Load the current members of Congress from congress-legislators (YAML or JSON)."""

from congress.data_files import parse_legislators
from congress.services import legislators_load

from ._loading import DataLoadCommand


class Command(DataLoadCommand):
    help = (
        "Load current members of Congress from a congress-legislators file (legislators-current, YAML or "
        "JSON). Members missing from the file are marked inactive. A malformed file changes nothing."
    )
    default_url_setting = "LEGISLATORS_URL"

    def handle(self, *args, **options):
        parsed, name = self.read_and_parse(options, parse_legislators)
        for warning in parsed.warnings:
            self.stderr.write(self.style.WARNING(warning))
        summary = legislators_load(rows=parsed.rows)
        self.stdout.write(
            self.style.SUCCESS(
                f"Legislators from {name}: {summary.in_file} in the file; {summary.created} created, "
                f"{summary.updated} updated, {summary.unchanged} unchanged, {summary.deactivated} deactivated."
            )
        )
