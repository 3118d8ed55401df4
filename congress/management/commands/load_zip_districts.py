"""Load the ZIP (ZCTA) to congressional district table from zccd.csv."""

from congress.data_files import parse_zip_districts
from congress.services import zip_districts_load

from ._loading import DataLoadCommand


class Command(DataLoadCommand):
    help = (
        "Load the ZIP-to-district table from a zccd.csv file (columns state_fips,state_abbr,zcta,cd). "
        "Rows no longer in the file are removed. A malformed file changes nothing."
    )
    default_url_setting = "ZIP_DISTRICTS_URL"

    def handle(self, *args, **options):
        rows, name = self.read_and_parse(options, parse_zip_districts)
        summary = zip_districts_load(rows=rows)
        self.stdout.write(
            self.style.SUCCESS(
                f"ZIP districts from {name}: {summary.in_file} rows in the file; {summary.created} created, "
                f"{summary.unchanged} unchanged, {summary.removed} removed."
            )
        )
