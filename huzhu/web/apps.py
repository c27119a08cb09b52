from django.apps import AppConfig
from django.conf import settings
from django.core import checks

from huzhu.datadir import prepare
from huzhu.places import check_places


class WebConfig(AppConfig):
    name = "huzhu.web"
    label = "web"

    def ready(self) -> None:
        # First thing when Django starts, before any connection opens (the SQLite file
        # lives in the data directory): never when settings are merely imported.
        prepare(settings)
        checks.register(check_places)
