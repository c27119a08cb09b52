"""The organisers' CSV of posts: what was asked and offered, where roughly, in what state.

Only what a public page shows: the public area's centre and its precision, never the
exact point; titles with contact details masked as everywhere; no owner, no phone, no
e-mail, no resident's name. Cells that a spreadsheet would run as a formula are quoted.
"""

import csv
import io
from collections.abc import Iterator
from datetime import datetime, timedelta

from huzhu import geo
from huzhu.posts.models import Post
from huzhu.posts.tags import bits_to_tags
from huzhu.text.contact import mask_contacts

HEADER = (
    "id", "kind", "status", "created_at_utc", "category", "item", "title", "quantity",
    "unit", "quantity_reserved", "tags", "area_lat", "area_lng", "area_precision_m",
    "on_behalf",
)  # fmt: skip
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: object) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def post_rows(*, now: datetime, days: int, kind: str | None) -> Iterator[list[str]]:
    posts = (
        Post.objects.filter(created_at__gt=now - timedelta(days=days), hidden_at__isnull=True)
        .exclude(status=Post.Status.WITHDRAWN)
        .select_related("category", "item")
        .order_by("id")
    )
    if kind:
        posts = posts.filter(kind=kind)
    for post in posts.iterator(chunk_size=2000):
        lat, lng = geo.area_centre(post.area_cell)
        yield [
            _cell(value)
            for value in (
                post.pk, post.kind, post.status,
                post.created_at.strftime("%Y-%m-%dT%H:%M:%SZ"), post.category.code,
                post.item.code if post.item else "", mask_contacts(post.title), post.quantity,
                post.unit, post.quantity_reserved, " ".join(bits_to_tags(post.tag_bits)),
                lat, lng, post.area_precision_m, int(post.on_behalf),
            )
        ]  # fmt: skip


def csv_lines(rows: Iterator[list[str]]) -> Iterator[str]:
    """The CSV text, a line at a time, with a UTF-8 BOM so spreadsheets read Chinese."""
    out = io.StringIO()
    writer = csv.writer(out)
    yield "\ufeff"
    for row in _with_header(rows):
        writer.writerow(row)
        yield out.getvalue()
        out.seek(0)
        out.truncate()


def _with_header(rows: Iterator[list[str]]) -> Iterator[list[str]]:
    yield list(HEADER)
    yield from rows
