from django.core.management.base import BaseCommand

from feedback.conf import setting
from feedback.moderation import erase_expired_emails


class Command(BaseCommand):
    help = (
        "Erase the e-mail addresses of feedback comments in rounds that closed at least "
        "FEEDBACK_EMAIL_RETENTION_MONTHS months ago (default 6). Run it daily; running it "
        "again the same day changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--months",
            type=int,
            default=None,
            help="Override FEEDBACK_EMAIL_RETENTION_MONTHS for this run.",
        )

    def handle(self, *args, months, **options):
        months = setting("FEEDBACK_EMAIL_RETENTION_MONTHS") if months is None else months
        erased, rounds = erase_expired_emails(months=months)
        self.stdout.write(
            self.style.SUCCESS(
                f"Erased {erased} e-mail address(es) from {rounds} feedback round(s) "
                f"closed {months} or more months ago."
            )
        )
