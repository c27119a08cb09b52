from django.apps import AppConfig


class InsightsConfig(AppConfig):
    name = "huzhu.insights"
    label = "insights"
