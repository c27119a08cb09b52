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


# The same ten and ten in Chinese, for people who sign up in Chinese: a name they can read
# and say ("安静的白鹭 123"), not an English one.
_ADJECTIVES_ZH = (
    "善良的",
    "安静的",
    "明亮的",
    "稳重的",
    "温和的",
    "勇敢的",
    "温暖的",
    "敏捷的",
    "从容的",
    "快乐的",
)
_NOUNS_ZH = ("白鹭", "青松", "小河", "灯笼", "麻雀", "枫树", "港湾", "垂柳", "彗星", "翠竹")


def new_pseudonym(locale: str = "en") -> str:
    """A friendly pseudonym in the person's language (`locale` as User.locale stores it)."""
    number = secrets.randbelow(900) + 100
    if locale.startswith("zh"):
        return f"{secrets.choice(_ADJECTIVES_ZH)}{secrets.choice(_NOUNS_ZH)} {number}"
    return f"{secrets.choice(_ADJECTIVES)} {secrets.choice(_NOUNS)} {number}"
