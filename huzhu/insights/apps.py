from django.apps import AppConfig


class InsightsConfig(AppConfig):
    name = "huzhu.insights"
    label = "insights"

    def ready(self) -> None:
        # Inside ready(): the models this imports need the app registry loaded.
        from huzhu.accounts import consents, personal_data
        from huzhu.insights.for_you import forget_withdrawn
        from huzhu.insights.personal_data import PART

        personal_data.register(PART)
        consents.on_consents_changed(forget_withdrawn)
