from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from papers.two_factor.policy import remove_devices


class Command(BaseCommand):
    help = (
        "Remove a person's two-factor devices (a lost phone): they set up a new authenticator "
        "app at their next sign-in."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, username, **options):
        User = get_user_model()
        try:
            user = User.objects.get(**{User.USERNAME_FIELD: username})
        except User.DoesNotExist as error:
            raise CommandError(f"No account with the username {username!r}.") from error
        removed = remove_devices(user)
        self.stdout.write(
            f"Removed {removed} two-factor device(s) for {username}; "
            "they set up a new one at their next sign-in."
        )
