from django.apps import AppConfig


class SearchConfig(AppConfig):
    """The search box in the header: providers, care packages, people and
    visits by reference or name, within what the user may see."""

    name = "homecare.search"
    label = "search"
    verbose_name = "Search"
