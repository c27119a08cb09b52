"""What a display name may be: readable as written, and not passing for staff or Huzhu.

A display name is the one thing a stranger knows of the person they hand medicine to, so it
must not lie about who is speaking. Refused:

- invisible and direction-changing characters (Unicode "format" and control characters:
  bidi overrides and isolates, zero-width spaces and joiners, and the blank letters that
  render as nothing), which make a name read differently from what it is;
- names that claim to speak for the platform, in English or Chinese: "Huzhu Staff",
  "互助管理员 (official)", "官方", "客服", "admin", "moderator"… The name is folded first
  (NFKC, so full-width letters and circled digits count; case; look-alike digits such as
  0 for o), and compared both word by word and with everything but letters removed, so
  "H u z h u", "Huzhu_Staff" and "ＡＤＭＩＮ" are caught. Short English words (admin, mod,
  staff…) must be whole words, so "Badminton Bob" stays allowed.
"""

import re
import unicodedata

from django.utils.translation import gettext as _

from huzhu.errors import Invalid

# Render as nothing though they are letters or symbols (category Lo/So, so listed by hand).
_BLANK_LETTERS = frozenset("\u115f\u1160\u3164\uffa0\u2800\u180e")
_LOOKALIKES = str.maketrans(
    {"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s"}
)
# Anywhere in the name, with spaces and punctuation removed.
_RESERVED_ANYWHERE = (
    "huzhu",
    "moderator",
    "administrator",
    "official",
    "互助",
    "管理员",
    "管理",
    "官方",
    "客服",
    "版主",
    "工作人员",
    "站长",
    "运营",
    "审核",
    "系统",
    "平台",
)
# As whole words only.
_RESERVED_WORDS = frozenset(
    {
        "admin",
        "admins",
        "mod",
        "mods",
        "staff",
        "support",
        "team",
        "system",
        "operator",
        "helpdesk",
        "root",
        "sysop",
    }
)


def _folded(name: str) -> str:
    # Split camel case before case folding: "HuzhuStaff" is two words.
    spaced = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", unicodedata.normalize("NFKC", name))
    return spaced.casefold().translate(_LOOKALIKES)


def _has_hidden_characters(name: str) -> bool:
    return any(
        unicodedata.category(char) in ("Cf", "Cc", "Co", "Cs", "Zl", "Zp") or char in _BLANK_LETTERS
        for char in name
    )


def _imitates_staff(name: str) -> bool:
    folded = _folded(name)
    words = set(re.findall(r"[^\W_]+", folded))
    letters = "".join(re.findall(r"[^\W\d_]", folded))
    return bool(words & _RESERVED_WORDS) or any(term in letters for term in _RESERVED_ANYWHERE)


def check_display_name(name: str) -> str:
    """The name, stripped; Invalid (422, field `display_name`) if it may not be used."""
    if _has_hidden_characters(name):
        raise Invalid(
            _(
                "A display name cannot contain invisible or text-direction characters. "
                "Type it with ordinary letters."
            ),
            field="display_name",
        )
    if _imitates_staff(name):
        raise Invalid(
            _(
                "A display name cannot suggest that you speak for Huzhu or its moderators "
                "(such as “staff”, “admin”, “官方” or “客服”). Choose another name."
            ),
            field="display_name",
        )
    return name.strip()
