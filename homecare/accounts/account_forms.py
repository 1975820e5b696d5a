"""Forms for a person's own account: changing their password and entering a
code from their authenticator app, with messages in GOV.UK wording."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import PasswordChangeForm
from django.core.exceptions import ValidationError

CODE_DIGITS = 6


def min_password_length() -> int:
    for validator in password_validation.get_default_password_validators():
        if isinstance(validator, password_validation.MinimumLengthValidator):
            return validator.min_length
    return 0


# The validators' own messages, said as GOV.UK would say them.
VALIDATOR_MESSAGES = {
    "password_too_short": "Your new password must be at least {length} characters long",
    "password_too_common": (
        "Your new password is too common and easy to guess. Choose a different one"
    ),
    "password_too_similar": "Your new password is too like your username. Choose a different one",
    "password_entirely_numeric": "Your new password cannot be only numbers",
}


class ChangePasswordForm(PasswordChangeForm):
    error_messages = {
        "password_incorrect": "Your current password is not correct",
        "password_mismatch": "The new passwords do not match. Enter the same password twice",
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        length = min_password_length()
        for field in self.fields.values():
            field.widget.attrs["govuk_width"] = "govuk-!-width-two-thirds"
        current, new, again = (
            self.fields["old_password"],
            self.fields["new_password1"],
            self.fields["new_password2"],
        )
        current.label, new.label, again.label = (
            "Current password",
            "New password",
            "Enter the new password again",
        )
        current.error_messages["required"] = "Enter your current password"
        new.error_messages["required"] = "Enter a new password"
        again.error_messages["required"] = "Enter the new password again"
        # NCSC advice: length, not rules about symbols; three random words are
        # long and easy to remember.
        new.help_text = (
            f"Use at least {length} characters. A good way to make a strong password "
            "is to put three random words together."
        )
        again.help_text = ""

    def clean(self) -> dict[str, Any]:
        # In place of Django's clean, which puts the validators' errors on the
        # second field: they belong to the password they are about, the first.
        cleaned = self.cleaned_data
        new, again = cleaned.get("new_password1"), cleaned.get("new_password2")
        if new:
            try:
                password_validation.validate_password(new, self.user)
            except ValidationError as error:
                self.add_error("new_password1", [self._reworded(e) for e in error.error_list])
        if new and again and new != again and "new_password1" not in self.errors:
            self.add_error("new_password2", self.error_messages["password_mismatch"])
        return cleaned

    @staticmethod
    def _reworded(error: ValidationError) -> str:
        message = VALIDATOR_MESSAGES.get(error.code or "")
        if message is None:
            return " ".join(error.messages)
        return message.format(length=min_password_length())


class CodeForm(forms.Form):
    """The six-digit code an authenticator app shows. Spaces and dashes that
    people copy with it are ignored."""

    code = forms.CharField(label="Security code", max_length=20, strip=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["code"]
        field.error_messages["required"] = "Enter the security code from your authenticator app"
        field.help_text = f"The {CODE_DIGITS}-digit code your authenticator app shows now."
        # Numbers only, filled in by the phone's keyboard or password manager where it can.
        field.widget.attrs.update(
            inputmode="numeric",
            autocomplete="one-time-code",
            spellcheck="false",
            govuk_width="govuk-input--width-10",
        )

    def clean_code(self) -> str:
        code = re.sub(r"[\s-]", "", self.cleaned_data["code"])
        if not code.isdigit() or len(code) != CODE_DIGITS:
            raise ValidationError(f"Enter the security code as {CODE_DIGITS} numbers")
        return code

    def wrong_code(self, wait_seconds: int = 0) -> None:
        if wait_seconds > 0:
            self.add_error(
                "code",
                f"Too many wrong codes. Wait {wait_seconds} "
                f"second{'s' if wait_seconds != 1 else ''}, then enter the code your app shows",
            )
        else:
            self.add_error(
                "code", "The security code is not correct. Enter the code your app shows now"
            )
