from django.apps import AppConfig


class ProvidersConfig(AppConfig):
    name = "providers"
    verbose_name = "Providers"

    def ready(self) -> None:
        # Registers every permission of the service with `rules`.
        from providers import permissions  # noqa: F401
