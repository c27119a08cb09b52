from django.apps import AppConfig


class ExchangesConfig(AppConfig):
    name = "huzhu.exchanges"
    label = "exchanges"
