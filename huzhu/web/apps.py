from django.apps import AppConfig
from django.core import checks


class WebConfig(AppConfig):
    name = "huzhu.web"
    label = "web"

    def ready(self) -> None:
        from huzhu.web.places import check_places

        checks.register(check_places)
