"""One line of a list of exchanges, for the inbox and the post page's panel of responses."""

from dataclasses import dataclass

from django.urls import reverse

from huzhu.accounts.models import User
from huzhu.exchanges.models import Exchange
from huzhu.exchanges.services import other_person
from huzhu.labels import quantity_label
from huzhu.text.contact import mask_contacts


@dataclass(frozen=True, slots=True)
class ExchangeRow:
    url: str
    title: str
    other: str  # the other person's name, masked
    gives: bool  # the viewer is the giver
    status: str
    status_label: str
    amount: str


def other_name(exchange: Exchange, user: User) -> str:
    return mask_contacts(other_person(exchange, user).display_name)


def exchange_row(exchange: Exchange, user: User) -> ExchangeRow:
    """What, with whom, how far along."""
    return ExchangeRow(
        url=reverse("exchange_detail", args=[exchange.pk]),
        title=mask_contacts(exchange.post.title),
        other=other_name(exchange, user),
        gives=exchange.giver_id == user.pk,
        status=exchange.status,
        status_label=str(Exchange.Status(exchange.status).label),
        amount=quantity_label(exchange.quantity, exchange.post.unit),
    )
