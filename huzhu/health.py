"""`GET /healthz`: is this process able to answer, with its database?

Load balancers and `systemd` watchdogs ask it, and the benchmark measures every page as a
ratio to it: one `SELECT 1` through the full middleware stack is the floor any answer costs.
It says nothing about anyone, so it needs no session and no rate limit.
"""

from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_safe


@require_safe
def healthz(request: HttpRequest) -> HttpResponse:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return HttpResponse("database unavailable\n", status=503, content_type="text/plain")
    response = HttpResponse("ok\n", content_type="text/plain")
    response["Cache-Control"] = "no-store"  # a cached "ok" would hide an outage
    return response
