from django.apps import AppConfig
from django.core import checks


class SafetyConfig(AppConfig):
    name = "huzhu.safety"
    label = "safety"

    def ready(self) -> None:
        # Inside ready(): the models these import need the app registry loaded.
        from huzhu.accounts import personal_data
        from huzhu.safety.personal_data import PART
        from huzhu.sqlite import check_sqlite

        checks.register(check_sqlite)
        personal_data.register(PART)
