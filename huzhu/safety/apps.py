from django.apps import AppConfig


class SafetyConfig(AppConfig):
    name = "huzhu.safety"
    label = "safety"
