from collections.abc import Iterator

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fresh_stats() -> Iterator[None]:
    """Statistics are cached between requests; each test starts from its own data."""
    cache.clear()
    yield
    cache.clear()
