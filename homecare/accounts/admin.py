"""Sign-in records in the admin. Successful and failed sign-ins are a record:
they can be read, never edited or deleted. A lock is lifted by removing the
failure count behind it (the "Unlock" action on "Access attempts")."""

from __future__ import annotations

from typing import Any

from axes.admin import AccessAttemptAdmin, AccessFailureLogAdmin, AccessLogAdmin
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

for model in (AccessAttempt, AccessLog, AccessFailureLog):
    if admin.site.is_registered(model):
        admin.site.unregister(model)


class ReadOnlyRecord:
    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(AccessLog)
class SignInAdmin(ReadOnlyRecord, AccessLogAdmin):
    pass


@admin.register(AccessFailureLog)
class FailedSignInAdmin(ReadOnlyRecord, AccessFailureLogAdmin):
    pass


@admin.register(AccessAttempt)
class LockAdmin(AccessAttemptAdmin):
    actions = ["unlock", *AccessAttemptAdmin.actions]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.action(
        description="Unlock: clear the failed sign-ins of the selected rows",
        permissions=["delete"],
    )
    def unlock(self, request: HttpRequest, queryset: QuerySet[AccessAttempt]) -> None:
        names = sorted({attempt.username or "(no username)" for attempt in queryset})
        count, _ = queryset.delete()
        message = f"Unlocked {', '.join(names)}: they can sign in again now."
        self.message_user(request, message if count else "Nothing to unlock.", messages.SUCCESS)
