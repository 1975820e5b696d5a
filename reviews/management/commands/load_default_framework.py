from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from reviews.services import load_default_framework


class Command(BaseCommand):
    help = "Load the default home care quality framework (does nothing if already loaded)."

    def handle(self, *args: Any, **options: Any) -> None:
        framework = load_default_framework()
        self.stdout.write(f"{framework}: {framework.questions.count()} questions")
