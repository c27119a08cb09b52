from django.apps import AppConfig


class DemoConfig(AppConfig):
    """No models: an app only so that `huzhu demo` is one of its commands."""

    name = "huzhu.demo"
    label = "demo"
