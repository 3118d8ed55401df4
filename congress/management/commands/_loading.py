"""What both loader commands share: --file / --url and turning data errors into CommandError."""

from django.core.management.base import BaseCommand, CommandError

from congress.data_files import DataFileError, read_source


class DataLoadCommand(BaseCommand):
    default_url_setting = ""

    def add_arguments(self, parser):
        source = parser.add_mutually_exclusive_group()
        source.add_argument("--file", dest="path", help="Read this local file.")
        source.add_argument("--url", help=f"Download from this URL (default: settings.{self.default_url_setting}).")

    def read_and_parse(self, options, parse):
        """(what `parse(text, name=...)` made of the file, the file's name); a file that cannot be
        read or parsed stops the command before anything is written."""
        text, name = self.read(options)
        try:
            return parse(text, name=name), name
        except DataFileError as exc:
            raise CommandError(f"Nothing was changed. {exc}") from exc

    def read(self, options) -> tuple[str, str]:
        from django.conf import settings

        url = options.get("url") or getattr(settings, self.default_url_setting)
        try:
            return read_source(path=options.get("path"), url=url)
        except DataFileError as exc:
            raise CommandError(str(exc)) from exc
