from django.apps import AppConfig


class TrustConfig(AppConfig):
    name = "huzhu.trust"
    label = "trust"

    def ready(self) -> None:
        # Inside ready(): the models this imports need the app registry loaded.
        from huzhu.accounts import personal_data
        from huzhu.trust.personal_data import PART

        personal_data.register(PART)
