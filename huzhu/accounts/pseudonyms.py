"""Pseudonymous display names, so nobody has to show their real name to strangers."""

import secrets

_ADJECTIVES = (
    "Kind",
    "Quiet",
    "Bright",
    "Steady",
    "Gentle",
    "Brave",
    "Warm",
    "Swift",
    "Calm",
    "Merry",
)
_NOUNS = (
    "Heron",
    "Pine",
    "River",
    "Lantern",
    "Sparrow",
    "Maple",
    "Harbour",
    "Willow",
    "Comet",
    "Bamboo",
)


def new_pseudonym() -> str:
    return f"{secrets.choice(_ADJECTIVES)} {secrets.choice(_NOUNS)} {secrets.randbelow(900) + 100}"
