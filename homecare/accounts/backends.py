"""Django's model backend, minus the permissions the rules own.

A permission named in providers/permissions.py is answered by the rules
backend alone: asking the model backend too would only load the user's stored
permissions (two queries) to say no, on every page that hides a button."""

from __future__ import annotations

from typing import Any

import rules
from django.contrib.auth.backends import ModelBackend


class StoredPermissionsBackend(ModelBackend):
    def has_perm(self, user_obj: Any, perm: str, obj: Any = None) -> bool:
        if rules.perm_exists(perm):
            return False
        return super().has_perm(user_obj, perm, obj)
