"""docs/API.md and the OpenAPI schema list the same operations: one cannot drift from the other."""

import re
from pathlib import Path

from huzhu.api import api

API_DOC = Path(__file__).resolve().parents[2] / "docs" / "API.md"
OPERATION = re.compile(r"`(GET|POST|PUT|PATCH|DELETE) (/api/v1/[^`\s]*)`")


def _shape(path: str) -> str:
    """A path with its parameters unnamed: the doc and the schema may name them apart."""
    return re.sub(r"\{[^}]*\}", "{}", path)


def test_docs_api_md_lists_every_operation_of_the_schema_and_no_other() -> None:
    schema = api.get_openapi_schema()
    in_schema = {
        (method.upper(), _shape(path))
        for path, operations in schema["paths"].items()
        for method in operations
    }
    in_doc = {(method, _shape(path)) for method, path in OPERATION.findall(API_DOC.read_text())}
    assert sorted(in_schema - in_doc) == [], "in the schema, missing from docs/API.md"
    assert sorted(in_doc - in_schema) == [], "in docs/API.md, not in the schema"
