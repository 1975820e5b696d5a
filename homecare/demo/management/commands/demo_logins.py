"""Prints the demo log-ins: `make run` shows them after seeding."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.core.management.base import BaseCommand

from homecare.demo.users import DEMO_LOGINS, DEMO_PASSWORD
from providers.models import ProviderUser


class Command(BaseCommand):
    help = "Print the demo log-ins for each role (demo-only passwords; see seed_demo)."

    def handle(self, *args: Any, **options: Any) -> None:
        existing = set(
            User.objects.filter(username__in=[login.username for login in DEMO_LOGINS]).values_list(
                "username", flat=True
            )
        )
        if not existing:
            self.stdout.write("No demo log-ins yet: run `manage.py seed_demo` first.")
            return
        rows = [("Username", "Password", "Role")]
        for login in DEMO_LOGINS:
            if login.username not in existing:
                continue
            role = f"{login.role} ({login.description})"
            membership = (
                ProviderUser.objects.filter(user__username=login.username)
                .select_related("provider")
                .first()
            )
            if membership is not None:
                role = f"{login.role} of {membership.provider.name} ({membership.provider.ref})"
            rows.append((login.username, DEMO_PASSWORD, role))
        widths = [max(len(row[i]) for row in rows) for i in range(3)]
        self.stdout.write("Demo log-ins (for demonstrations only; never use on real data):")
        for index, (username, password, role) in enumerate(rows):
            self.stdout.write(f"  {username:<{widths[0]}}  {password:<{widths[1]}}  {role}")
            if index == 0:
                self.stdout.write(f"  {'-' * widths[0]}  {'-' * widths[1]}  {'-' * widths[2]}")
