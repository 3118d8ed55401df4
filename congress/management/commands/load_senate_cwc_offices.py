"""Mark which senators take CWC messages, from the Senate's list of active SOAPBox offices."""

from congress.data_files import parse_senate_cwc_offices
from congress.services import senate_cwc_offices_apply

from ._loading import DataLoadCommand


class Command(DataLoadCommand):
    help = (
        "Read the Senate's active_offices.json (a list of {name, office_code}) and mark the current "
        "senators it lists as taking CWC messages and the others as not (their letters go by email or "
        "the fallback backend). Run it after load_legislators, daily. A malformed file changes nothing."
    )
    default_url_setting = "CWC_SENATE_ACTIVE_OFFICES_URL"

    def handle(self, *args, **options):
        codes, name = self.read_and_parse(options, parse_senate_cwc_offices)
        summary = senate_cwc_offices_apply(office_codes=codes)
        self.stdout.write(
            self.style.SUCCESS(
                f"Senate CWC offices from {name}: {summary.in_file} in the file; {summary.accepting} current "
                f"senators take CWC, {summary.not_accepting} do not; {summary.changed} changed."
            )
        )
        if summary.unknown_codes:
            self.stdout.write(
                self.style.WARNING(
                    "Not a current senator here (load_legislators first?): " + ", ".join(summary.unknown_codes)
                )
            )
