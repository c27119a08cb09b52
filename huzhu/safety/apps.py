from django.apps import AppConfig
from django.core import checks


class SafetyConfig(AppConfig):
    name = "huzhu.safety"
    label = "safety"

    def ready(self) -> None:
        from huzhu.sqlite import check_sqlite

        checks.register(check_sqlite)
