from django.contrib import admin
from django.urls import include, path

from huzhu.api import api
from huzhu.health import healthz
from huzhu.metrics import metrics

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("metrics", metrics, name="metrics"),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("huzhu.web.urls")),
]
