from django.apps import AppConfig


class ExchangesConfig(AppConfig):
    name = "huzhu.exchanges"
    label = "exchanges"

    def ready(self) -> None:
        # Inside ready(): the models this imports need the app registry loaded.
        from huzhu.accounts import personal_data
        from huzhu.exchanges.alerts import schedule_fan_out
        from huzhu.exchanges.personal_data import PART
        from huzhu.posts import services as posts

        personal_data.register(PART)
        posts.on_listed(schedule_fan_out)  # saved alerts hear of new posts
