"""Load the ZIP (ZCTA) to congressional district table from zccd.csv."""

from django.core.management.base import CommandError

from congress.data_files import DataFileError, parse_zip_districts
from congress.services import zip_districts_load

from ._loading import DataLoadCommand


class Command(DataLoadCommand):
    help = (
        "Load the ZIP-to-district table from a zccd.csv file (columns state_fips,state_abbr,zcta,cd). "
        "Rows no longer in the file are removed. A malformed file changes nothing."
    )
    default_url_setting = "ZIP_DISTRICTS_URL"

    def handle(self, *args, **options):
        text, name = self.read(options)
        try:
            rows = parse_zip_districts(text, name=name)
        except DataFileError as exc:
            raise CommandError(f"Nothing was changed. {exc}") from exc
        summary = zip_districts_load(rows=rows)
        self.stdout.write(
            self.style.SUCCESS(
                f"ZIP districts from {name}: {summary.in_file} rows in the file; {summary.created} created, "
                f"{summary.unchanged} unchanged, {summary.removed} removed."
            )
        )
