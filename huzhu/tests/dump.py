"""The whole database as text, for tests that prove a value is nowhere in it."""

from typing import Any

from django.db import connection


def dump() -> str:
    """Every row of every table, one line each, prefixed by its table's name."""
    lines: list[str] = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            for row in cursor.fetchall():
                lines.append(f"{table}: " + " ".join(_text(value) for value in row))
    return "\n".join(lines)


def _text(value: Any) -> str:
    if isinstance(value, memoryview | bytes):
        return bytes(value).decode("latin-1")
    return str(value)
