"""Posting on behalf of someone without an account (volunteer intake).

A trusted helper (TL3) or an organiser posts a need for a named neighbour who agreed to
it. The post is the volunteer's: its quotas, its exchanges and its relay are theirs, so
contact goes through them. The neighbour's name, the consent and the contact note are kept
in a private `Beneficiary` row that only the volunteer ever sees (their post page and their
export); public pages and the API say "by a volunteer for a neighbour".
"""

import logging
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from huzhu.accounts.models import User
from huzhu.errors import Forbidden, Invalid
from huzhu.posts.models import Beneficiary, Post
from huzhu.posts.services import PostDraft, create_post
from huzhu.trust.levels import level_name, lowest_level_with, unlocks_for
from huzhu.trust.queries import level_of

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class OnBehalfOf:
    """Who the post is for and how they agreed to it."""

    name: str
    consent: str  # Beneficiary.Consent: "verbal" or "written"
    note: str = ""


def may_post_on_behalf(user: User) -> bool:
    """TL3 trusted helpers and organisers (staff count as TL4) may."""
    return unlocks_for(level_of(user)).post_on_behalf


def check_may_post_on_behalf(user: User) -> None:
    if may_post_on_behalf(user):
        return
    needed = lowest_level_with(lambda unlocks: unlocks.post_on_behalf)
    raise Forbidden(
        _("Posting for someone else needs TL%(level)d (%(name)s) or an organiser.")
        % {"level": needed, "name": level_name(needed or 0)},
        code="trust_level",
    )


def _check(draft: PostDraft, beneficiary: OnBehalfOf) -> None:
    name = beneficiary.name.strip()
    if not name:
        raise Invalid(_("Give the name of the person you post for."), field="on_behalf_of.name")
    if beneficiary.consent not in Beneficiary.Consent.values:
        raise Invalid(
            _("Record how the person agreed: verbal or written."), field="on_behalf_of.consent"
        )
    # The name is private; a volunteer typing it into the public text would publish it.
    public_text = f"{draft.title}\n{draft.body}".casefold()
    if name.casefold() in public_text:
        raise Invalid(
            _("Leave the person's name out of the title and details: only you may see it."),
            field="title" if name.casefold() in draft.title.casefold() else "body",
        )


@transaction.atomic
def create_post_on_behalf(*, volunteer: User, draft: PostDraft, beneficiary: OnBehalfOf) -> Post:
    """Validate and store a post for `beneficiary`, owned by `volunteer`, with the consent."""
    check_may_post_on_behalf(volunteer)
    _check(draft, beneficiary)
    post = create_post(owner=volunteer, draft=draft, for_resident=beneficiary.name.strip())
    Post.objects.filter(pk=post.pk).update(on_behalf=True)
    post.on_behalf = True
    Beneficiary.objects.create(
        post=post,
        volunteer=volunteer,
        name=beneficiary.name.strip(),
        note=beneficiary.note.strip(),
        consent=beneficiary.consent,
        consented_at=post.created_at,
    )
    logger.info("post %s created by user %s on behalf of a neighbour", post.pk, volunteer.pk)
    return post


def beneficiary_for_volunteer(post: Post, viewer: User | None) -> Beneficiary | None:
    """The private record, but only for the volunteer who entered it."""
    if viewer is None or not post.on_behalf or post.owner_id != viewer.pk:
        return None
    return Beneficiary.objects.filter(post=post, volunteer=viewer).first()
