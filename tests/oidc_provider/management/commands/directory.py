"""Set up the test provider: `directory client ID SECRET REDIRECT_URI`, and
`directory user NAME PASSWORD [GROUP ...]` (makes the user or sets its groups;
`--inactive` turns the account off)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import Group, User
from django.core.management.base import BaseCommand, CommandParser
from oauth2_provider.models import Application


class Command(BaseCommand):
    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("what", choices=["client", "user"])
        parser.add_argument("values", nargs="*")
        parser.add_argument("--inactive", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        values = options["values"]
        if options["what"] == "client":
            client_id, secret, redirect_uri = values
            Application.objects.update_or_create(
                client_id=client_id,
                defaults={
                    "name": "Home care commissioning",
                    "client_secret": secret,
                    "client_type": Application.CLIENT_CONFIDENTIAL,
                    "authorization_grant_type": Application.GRANT_AUTHORIZATION_CODE,
                    "redirect_uris": redirect_uri,
                    "algorithm": Application.RS256_ALGORITHM,
                    "skip_authorization": True,
                },
            )
            return
        name, password, *groups = values
        user, _ = User.objects.get_or_create(username=name)
        if not user.check_password(password):
            # Only when it changes: a new password ends the user's sessions here.
            user.set_password(password)
        user.email = f"{name}@council.example"
        user.first_name, user.last_name = name.capitalize(), "Officer"
        user.is_active = not options["inactive"]
        user.save()
        user.groups.set([Group.objects.get_or_create(name=g)[0] for g in groups])
