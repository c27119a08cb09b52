"""The home feed's location and filter form (a GET form: shape only, no rules)."""

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from huzhu.labels import localised
from huzhu.places import places
from huzhu.posts import keywords
from huzhu.posts.queries import categories, items, most_needed_items
from huzhu.posts.tags import TAGS

if TYPE_CHECKING:
    from django.utils.functional import _StrOrPromise as StrOrPromise

RADII_KM = (1, 3, 5, 10, 20, 50)
DEFAULT_RADIUS_KM = 5
DEFAULTS = {"radius_km": str(DEFAULT_RADIUS_KM), "sort": "urgency", "kind": "need"}


class FeedForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=keywords.MAX_LENGTH,
        # Outside the collapsed filters, yet part of their form (the `form` attribute).
        widget=forms.TextInput(
            attrs={
                "type": "search",
                "enterkeyhint": "search",
                "form": "feed-form",
                "aria-describedby": "id_q_helptext",
            }
        ),
    )
    place = forms.ChoiceField(label=_("Area"), required=False)
    lat = forms.FloatField(required=False, min_value=-90, max_value=90, widget=forms.HiddenInput)
    lng = forms.FloatField(required=False, min_value=-180, max_value=180, widget=forms.HiddenInput)
    radius_km = forms.TypedChoiceField(
        label=_("Within"),
        coerce=int,
        empty_value=None,
        required=False,
    )
    # The home page's tabs set it; the filter form carries it along.
    kind = forms.ChoiceField(
        required=False,
        choices=[("need", _("Needs")), ("offer", _("Offers"))],
        widget=forms.HiddenInput,
    )
    category = forms.ChoiceField(label=_("Category"), required=False)
    tag = forms.ChoiceField(
        label=_("Who for"),
        required=False,
        choices=[("", _("Anyone")), *((tag.code, tag.label) for tag in TAGS)],
    )
    sort = forms.ChoiceField(
        label=_("Order"),
        required=False,
        choices=[("urgency", _("Most urgent first")), ("distance", _("Nearest first"))],
    )
    cursor = forms.CharField(required=False, max_length=200, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        has_coords = bool(self.data.get("lat") and self.data.get("lng"))
        empty = _("Your location") if has_coords else _("Choose an area")
        set_choices(
            self,
            "place",
            [
                ("", empty),
                *((place.code, capfirst(str(place.name))) for place in places()),
            ],
        )
        set_choices(
            self, "radius_km", [(str(km), gettext("%(km)s km") % {"km": km}) for km in RADII_KM]
        )
        set_choices(
            self,
            "category",
            [
                ("", _("All categories")),
                *((c.code, localised(c.name_en, c.name_zh)) for c in categories()),
            ],
        )


def coordinate_field(label: "StrOrPromise", limit: int) -> forms.FloatField:
    """A typed latitude (limit 90) or longitude (limit 180) for the manual location."""
    return forms.FloatField(
        label=label,
        required=False,
        min_value=-limit,
        max_value=limit,
        widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}),
    )


def item_choices(blank: "StrOrPromise") -> list[Any]:
    """The postable items, in the viewer's language, after `blank`: the most-needed first,
    then the others grouped by category. Prescription medicines nobody may post are never
    offered; typing one explains why (services.check_draft)."""
    top = most_needed_items()
    grouped: dict[str, list[tuple[str, str]]] = {}
    if top:
        grouped[gettext("Most needed")] = [
            (item.code, localised(item.name_en, item.name_zh)) for item in top
        ]
    for item in items().filter(otc=True).exclude(pk__in=[item.pk for item in top]):
        group = localised(item.category.name_en, item.category.name_zh)
        grouped.setdefault(group, []).append((item.code, localised(item.name_en, item.name_zh)))
    return [("", blank), *grouped.items()]


def set_choices(form: forms.BaseForm, name: str, choices: Sequence[Any]) -> None:
    """Give a choice field its choices when the form is made (they come from the database)."""
    field = form.fields[name]
    if not isinstance(field, forms.ChoiceField):
        raise TypeError(f"{name} is not a choice field")
    field.choices = choices
