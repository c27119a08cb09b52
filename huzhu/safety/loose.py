"""Loose tablets and opened bottles: the guidance says they are not shared (medicine must be
unopened, in its box with the leaflet, so the receiver can check name, dose and batch).

The "may I share this?" assistant answers such a draft with a no ("还剩8片布洛芬", "10 pills
left over"); a blister strip offered with its box and leaflet is fine. Read on the
normalised text, so 还剩八片 is 还剩8片.
"""

import re

from django.utils.translation import gettext_lazy as _

from huzhu.text.rules import Breach, fold

LOOSE_MESSAGE = _(
    'Loose tablets and opened bottles are not shared (found "%(found)s"): only unopened '
    "medicine in its box with the leaflet, so the person receiving it can check the name, "
    "the dose and the batch."
)
_PIECES_ZH = r"\d+\s*(?:片|粒|颗|丸)"
_LOOSE = re.compile(
    rf"(?:还剩|剩下|剩余|剩了|吃剩|剩)\s*(?:的)?\s*(?:大概|大约|约)?\s*{_PIECES_ZH}"
    rf"|{_PIECES_ZH}\s*(?:散装|散的|零散|剩下的|吃剩的)"
    r"|散装(?:的)?(?:药|药片|胶囊|片)|零散(?:的)?(?:药|药片)"
    r"|(?<![未没不])(?:拆(?:开|封)了?的|开封(?:过)?的|开过的)"
    rf"|\bloose\s+(?:[a-z]+\s+){{0,2}}(?:tablets?|pills?|capsules?)"
    rf"|\d+\s+(?:[a-z]+\s+){{0,2}}(?:tablets?|pills?|capsules?|caps|tabs)\s+left(?:\s+over)?\b"
    r"|\bleft\s?over\s+(?:tablets?|pills?|capsules?|medicine)|\bopened\s+(?:bottle|pack|packet)"
)
# With its box and leaflet, a strip from an opened box may be shared.
_IN_ITS_BOX = re.compile(
    r"原盒|带盒|连盒|说明书|with (?:the |its )?(?:box|leaflet)|in (?:the|its) box"
)


def loose_medicine(text: str) -> Breach | None:
    folded = fold(text)
    match = _LOOSE.search(folded)
    if match is None or _IN_ITS_BOX.search(folded):
        return None
    return Breach("unsafe", LOOSE_MESSAGE, match.group(0).strip())
