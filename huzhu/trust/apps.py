from django.apps import AppConfig


class TrustConfig(AppConfig):
    name = "huzhu.trust"
    label = "trust"
