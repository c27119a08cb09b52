from django.apps import AppConfig
from django.core import checks

from huzhu.places import check_places


class WebConfig(AppConfig):
    name = "huzhu.web"
    label = "web"

    def ready(self) -> None:
        checks.register(check_places)
