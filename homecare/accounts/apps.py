from django.apps import AppConfig


class AccountsConfig(AppConfig):
    """Roles, signing in, home pages and who may do what."""

    name = "homecare.accounts"
    label = "accounts"
    verbose_name = "Accounts and roles"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from homecare.accounts import signals  # noqa: F401 - connects the sign-in receiver
