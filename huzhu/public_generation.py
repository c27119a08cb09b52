"""The generation of shared anonymous answers (huzhu/public_cache.py), in the kernel so that a
domain write (a post hidden for review, a post deleted) can end every shared answer at once
without the domain importing the web middleware."""

import time

from django.core.cache import cache

GENERATION_KEY = "public-cache:generation"


def generation() -> int:
    return int(cache.get(GENERATION_KEY, 0))


def bump_generation() -> None:
    """Every entry stored before this stops being served."""
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # not stored yet (or evicted): any value differs from the entries'
        cache.set(GENERATION_KEY, int(time.time() * 1000), None)
