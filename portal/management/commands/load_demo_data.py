from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from actions.content import load_actions
from assessment.demo import DEMO_AUTHORITY, create_demo_assessments, create_demo_learning_peers
from assessment.questionnaire.loader import load_questionnaire
from feedback.demo import ensure_2020_round
from partnership.content import authority_profiles, load_authorities, load_partnership
from partnership.models import Membership, UrbanAuthority
from partnership.roles import ensure_coordinator_group
from portal import public_cache

DEMO_PASSWORD = "portal-demo"  # noqa: S105 - documented demo password, refused in production
DEMO_USERS = [
    # username, first name, last name, authority (None = coordinator)
    ("coordinator", "Camille", "Coordinator", None),
    ("officer", "Olivia", "Officer", DEMO_AUTHORITY),
    ("colleague", "Colin", "Colleague", DEMO_AUTHORITY),
    ("nice-officer", "Nadia", "Niçoise", "Nice"),
]


class Command(BaseCommand):
    help = (
        "Load the Actions, the partnership, the questionnaire and demo data (authorities, "
        "demo accounts, assessments, feedback). Safe to run again: nothing changes the second time."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force", action="store_true", help="Create demo accounts even when DEBUG is off."
        )
        parser.add_argument(
            "--no-accounts",
            action="store_true",
            help="Load content only, without demo accounts or assessments.",
        )

    def handle(self, *args, force, no_accounts, **options):
        with_accounts = not no_accounts
        if with_accounts and not settings.DEBUG and not force:
            raise CommandError(
                "Refusing to create demo accounts with DEBUG off (they have a public password). "
                "Use --no-accounts to load content only, or --force if you really mean it."
            )
        with transaction.atomic():
            changed = load_actions() + load_authorities() + load_partnership()
            questionnaire = load_questionnaire().questionnaire
            ensure_2020_round()
            assessments = feedback = peers = 0
            if with_accounts:
                users, created_users = self.demo_users()
                changed += created_users
                officers = {
                    authority: users[name] for name, _, _, authority in DEMO_USERS if authority
                }
                assessments = create_demo_assessments(
                    questionnaire=questionnaire,
                    profiles=authority_profiles(),
                    current_cycle=timezone.localdate().year,
                    officers=officers,
                    coordinator=users["coordinator"],
                )
                feedback = self.demo_feedback()
                peers = create_demo_learning_peers(password=DEMO_PASSWORD)
        public_cache.bump_version()  # bulk loads may bypass the save signals
        if with_accounts:
            self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
            for name, _, _, authority in DEMO_USERS:
                role = f"officer of {authority}" if authority else "partnership coordinator"
                self.stdout.write(f"  {name:<14} {role}")
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data loaded: {changed} content rows changed, {assessments} assessments, "
                f"{feedback} feedback records and {peers} peer offers created."
            )
        )

    def demo_users(self):
        User = get_user_model()
        coordinators = ensure_coordinator_group()
        users, created_count = {}, 0
        for username, first, last, authority_name in DEMO_USERS:
            user, created = User.objects.get_or_create(
                username=username,
                defaults={
                    "first_name": first,
                    "last_name": last,
                    "email": f"{username}@example.org",
                },
            )
            if created:
                user.set_password(DEMO_PASSWORD)
                user.is_staff = authority_name is None
                user.save()
                created_count += 1
            if authority_name is None:
                user.groups.add(coordinators)
            else:
                Membership.objects.get_or_create(
                    user=user,
                    authority=UrbanAuthority.objects.get(name=authority_name),
                    defaults={"job_title": "Urban security officer"},
                )
            users[username] = user
        return users, created_count

    def demo_feedback(self) -> int:
        from feedback.demo import load_demo_feedback

        return load_demo_feedback()
