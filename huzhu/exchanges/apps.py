from django.apps import AppConfig


class ExchangesConfig(AppConfig):
    name = "huzhu.exchanges"
    label = "exchanges"

    def ready(self) -> None:
        # Inside ready(): the models this imports need the app registry loaded.
        from huzhu.accounts import personal_data
        from huzhu.exchanges.personal_data import PART

        personal_data.register(PART)
