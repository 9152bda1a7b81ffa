from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from assessment.questionnaire.loader import (
    CURRENT_QUESTIONNAIRE_FILE,
    QuestionnaireError,
    load_questionnaire,
)


class Command(BaseCommand):
    help = "Load a versioned questionnaire file; a published version is never changed."

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", default=str(CURRENT_QUESTIONNAIRE_FILE))
        parser.add_argument(
            "--not-current",
            action="store_true",
            help="Load without making it the version new assessments start on.",
        )

    def handle(self, *args, path, not_current, **options):
        try:
            result = load_questionnaire(Path(path), make_current=not not_current)
        except (QuestionnaireError, OSError) as error:
            raise CommandError(str(error)) from error
        q = result.questionnaire
        verb = "Loaded" if result.created else "Already loaded, unchanged:"
        self.stdout.write(f"{verb} questionnaire {q.version} ({q.items.count()} items).")
