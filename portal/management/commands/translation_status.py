"""How complete each shipped language is, per file (the interface and each content file)."""

import json

from django.core.management.base import BaseCommand, CommandError

from portal.translation_status import language_status, translated_languages


class Command(BaseCommand):
    help = (
        "Per language and per file (django.po, each content file, the units): the share "
        "translated and what is missing or outdated. --fail-under exits non-zero below it."
    )

    def add_arguments(self, parser):
        parser.add_argument("--language", action="append", help="Only this language (repeatable).")
        parser.add_argument(
            "--fail-under",
            type=float,
            default=None,
            metavar="PERCENT",
            help="Exit non-zero, naming the files, when any file is below PERCENT.",
        )
        parser.add_argument("--format", choices=["text", "json"], default="text")

    def handle(self, *args, **options):
        known = dict(translated_languages())
        wanted = options["language"] or list(known)
        unknown = [code for code in wanted if code not in known]
        if unknown:
            raise CommandError(
                f"Not a shipped language: {', '.join(unknown)} (shipped: {', '.join(known)})."
            )
        statuses = [language_status(code) for code in wanted]
        if options["format"] == "json":
            self.stdout.write(json.dumps([s.to_dict() for s in statuses], ensure_ascii=False))
        else:
            for status in statuses:
                self._write_text(status)
        threshold = options["fail_under"]
        if threshold is not None:
            below = [
                f"{f.language}: {f.name} {f.percent:g} %"
                for s in statuses
                for f in s.files
                if f.percent < threshold
            ]
            if below:
                raise CommandError(f"Below {threshold:g} %: " + "; ".join(below))
        if options["format"] == "text":
            self.stdout.write(
                f"{len(statuses)} languages: "
                + ", ".join(f"{s.language} {s.percent:g} %" for s in statuses)
            )

    def _write_text(self, status) -> None:
        self.stdout.write(f"{status.name} ({status.language}): {status.percent:g} %")
        for f in status.files:
            self.stdout.write(f"  {f.name}: {f.percent:g} % ({f.translated} of {f.total})")
            for key in f.missing:
                self.stdout.write(f"    missing: {key}")
            for key in f.outdated:
                self.stdout.write(f"    outdated: {key}")
