"""The post form: checks the shape of what a person typed and turns it into a PostDraft.

The rules (categories, medicine expiry, prescription items, ranges) stay in
`services.create_post`; its errors come back through `field_for_error`.
"""

from datetime import UTC, datetime, time
from typing import Any

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from huzhu.labels import UNIT_NAMES, localised, quantity_label
from huzhu.places import place_by_code, places
from huzhu.posts.catalogue import find_item
from huzhu.posts.editing import PostChanges
from huzhu.posts.models import Item, Post
from huzhu.posts.on_behalf import OnBehalfOf
from huzhu.posts.queries import categories
from huzhu.posts.services import PostDraft
from huzhu.posts.tags import TAGS, bits_to_tags
from huzhu.web.forms import coordinate_field, item_choices, set_choices

PRECISIONS = [(1000, _("About 1 km")), (5000, _("About 5 km"))]
# Service field names that the form calls differently.
_FIELD_ALIASES = {
    "precision_m": "precision",
    "expires_at": "expires_on",
    "on_behalf_of.name": "on_behalf_name",
    "on_behalf_of.consent": "on_behalf_consent",
}
CONSENTS = [("", "—"), ("verbal", _("Verbal")), ("written", _("Written"))]
ON_BEHALF_FIELDS = ("on_behalf_name", "on_behalf_consent", "on_behalf_note")


class PostForm(forms.Form):
    # Step 1: what
    kind = forms.ChoiceField(
        label=_("This is"),
        choices=[("need", _("Something I need")), ("offer", _("Something I can give"))],
        widget=forms.RadioSelect,
    )
    item = forms.ChoiceField(label=_("Item"), required=False)
    item_name = forms.CharField(
        label=_("Or type its name"),
        required=False,
        max_length=120,
        help_text=_("In Chinese or English, e.g. 布洛芬, Advil, antigen test."),
    )
    category = forms.ChoiceField(
        label=_("Category"),
        required=False,
        help_text=_("Filled in from the item when you leave it empty."),
    )
    title = forms.CharField(
        label=_("Title"),
        max_length=120,
        required=False,
        help_text=_(
            "Optional: left empty, it is written from the item, the quantity and who it is "
            "for, e.g. “Need Ibuprofen, 4 tablets (Elderly)”."
        ),
    )
    quantity = forms.IntegerField(label=_("How many"), min_value=1, max_value=1000, initial=1)
    unit = forms.ChoiceField(label=_("Unit"), required=False)
    tags = forms.MultipleChoiceField(
        label=_("Who is it for?"),
        required=False,
        choices=[(tag.code, tag.label) for tag in TAGS],
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Posts for these groups are shown first."),
    )
    expires_on = forms.DateField(
        label=_("Expiry date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Required when you give medicine: the date printed on the pack."),
    )
    body = forms.CharField(
        label=_("Details"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Optional. Never write your phone number or address here."),
    )
    # Step 2: where
    place = forms.ChoiceField(label=_("Choose a district"), required=False)
    lat = coordinate_field(_("Latitude"), 90)
    lng = coordinate_field(_("Longitude"), 180)
    precision = forms.TypedChoiceField(
        label=_("How precisely others see where you are"),
        choices=PRECISIONS,
        coerce=int,
        initial=1000,
        widget=forms.RadioSelect,
    )
    # Step 3, only for those who may post for someone else (TL3, organisers).
    on_behalf_name = forms.CharField(
        label=_("Name of the person you post for"),
        required=False,
        max_length=120,
        help_text=_("Only when they have no account. Only you will see the name."),
    )
    on_behalf_consent = forms.ChoiceField(
        label=_("How they agreed to this post"), required=False, choices=CONSENTS
    )
    on_behalf_note = forms.CharField(
        label=_("How to reach them (only you see this)"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, allow_on_behalf: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not allow_on_behalf:
            for name in ON_BEHALF_FIELDS:
                del self.fields[name]
        self.allows_on_behalf = allow_on_behalf
        set_choices(self, "item", item_choices(_("Not in the list")))
        set_choices(
            self,
            "category",
            [
                ("", "—"),
                *((c.code, localised(c.name_en, c.name_zh)) for c in categories()),
            ],
        )
        set_choices(self, "unit", [("", _("Usual unit")), *UNIT_NAMES.items()])
        set_choices(
            self,
            "place",
            [
                ("", _("Not chosen")),
                *((place.code, capfirst(str(place.name))) for place in places()),
            ],
        )

    def item_reference(self) -> str:
        """What the person named: the typed name wins over the list."""
        return str(self.cleaned_data.get("item_name") or self.cleaned_data.get("item") or "")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        self._clean_category(data)
        self._clean_location(data)
        self._clean_title(data)
        return data

    def _clean_title(self, data: dict[str, Any]) -> None:
        """A title written from what the person chose, unless they typed one."""
        if (data.get("title") or "").strip() or self.has_error("quantity"):
            return
        item = find_item(self.item_reference()) if self.item_reference() else None
        if item is None and not data.get("category"):
            self.add_error("title", _("Give your post a short title."))
            return
        data["title"] = written_title(
            kind=data.get("kind") or "need",
            item=item,
            category=data.get("category") or "",
            quantity=data.get("quantity") or 1,
            unit=data.get("unit") or None,
            tags=tuple(data.get("tags") or ()),
        )

    def _clean_category(self, data: dict[str, Any]) -> None:
        """An item implies its category, so people need not choose both."""
        if data.get("category") or self.has_error("category"):
            return
        found = find_item(self.item_reference()) if self.item_reference() else None
        if found is None:
            self.add_error("category", _("Choose a category, or an item from the list."))
        else:
            data["category"] = found.category.code

    def _clean_location(self, data: dict[str, Any]) -> None:
        """Typed or browser coordinates win; otherwise the chosen place's."""
        lat, lng = data.get("lat"), data.get("lng")
        if self.has_error("lat") or self.has_error("lng"):
            return
        if (lat is None) != (lng is None):
            self.add_error("lng" if lng is None else "lat", _("Give both latitude and longitude."))
            return
        place = place_by_code(data.get("place") or "")
        if lat is None and place is not None:
            data["lat"], data["lng"] = place.lat, place.lng
        elif lat is None:
            self.add_error(
                "place",
                _(
                    "Tell us roughly where you are: use your location, choose a district "
                    "or type coordinates."
                ),
            )

    def on_behalf_of(self) -> OnBehalfOf | None:
        """Who the post is for, when an allowed person named someone; else None."""
        data = self.cleaned_data
        if not self.allows_on_behalf or not (data.get("on_behalf_name") or "").strip():
            return None
        return OnBehalfOf(
            name=data["on_behalf_name"],
            consent=data.get("on_behalf_consent") or "",
            note=data.get("on_behalf_note") or "",
        )

    def to_draft(self) -> PostDraft:
        data = self.cleaned_data
        expires_on = data.get("expires_on")
        return PostDraft(
            kind=data["kind"],
            title=data["title"],
            body=data.get("body") or "",
            category=data["category"],
            quantity=data["quantity"],
            lat=data["lat"],
            lng=data["lng"],
            item=self.item_reference() or None,
            unit=data.get("unit") or None,
            tags=tuple(data.get("tags") or ()),
            # Good until the end of the printed day.
            expires_at=datetime.combine(expires_on, time.max, tzinfo=UTC) if expires_on else None,
            precision_m=data["precision"],
        )

    def field_for_error(self, service_field: str) -> str | None:
        """The form field a service error belongs beside, or None for the whole form."""
        name = _FIELD_ALIASES.get(service_field, service_field)
        if name == "item" and self.cleaned_data.get("item_name"):
            name = "item_name"
        return name if name in self.fields else None


def written_title(
    *,
    kind: str,
    item: Item | None,
    category: str,
    quantity: int,
    unit: str | None,
    tags: tuple[str, ...],
) -> str:
    """ "Need Ibuprofen, 4 tablets (Elderly)" / "求布洛芬，4 片（老人）", in the reader's
    language, from what the post form already has."""
    if item is not None:
        what = localised(item.name_en, item.name_zh)
        amount = quantity_label(quantity, unit or item.default_unit)
    else:
        found = next((c for c in categories() if c.code == category), None)
        what = localised(found.name_en, found.name_zh) if found else category
        amount = quantity_label(quantity, unit or "piece")
    values = {"what": what, "amount": amount}
    title = (
        gettext("Need %(what)s, %(amount)s") if kind == "need" else
        gettext("Can give %(what)s, %(amount)s")
    ) % values  # fmt: skip
    labels = {tag.code: str(tag.label) for tag in TAGS}
    if tags:
        who = gettext(", ").join(labels[code] for code in tags if code in labels)
        title = gettext("%(title)s (%(who)s)") % {"title": title, "who": who}
    return title[:120]


class PostEditForm(forms.Form):
    """The owner's edit page: what an edit may change (posts/editing.py)."""

    title = forms.CharField(label=_("Title"), max_length=120)
    quantity = forms.IntegerField(label=_("How many"), min_value=1, max_value=1000)
    unit = forms.ChoiceField(label=_("Unit"), required=False)
    tags = forms.MultipleChoiceField(
        label=_("Who is it for?"),
        required=False,
        choices=[(tag.code, tag.label) for tag in TAGS],
        widget=forms.CheckboxSelectMultiple,
    )
    expires_on = forms.DateField(
        label=_("Expiry date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    body = forms.CharField(
        label=_("Details"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Optional. Never write your phone number or address here."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "unit", [("", _("Usual unit")), *UNIT_NAMES.items()])

    @staticmethod
    def initial_for(post: Post) -> dict[str, Any]:
        return {
            "title": post.title,
            "quantity": post.quantity,
            "unit": post.unit if post.unit in UNIT_NAMES else "",
            "tags": bits_to_tags(post.tag_bits),
            "expires_on": post.expires_at.date() if post.expires_at else None,
            "body": post.body,
        }

    def to_changes(self) -> PostChanges:
        data = self.cleaned_data
        expires_on = data.get("expires_on")
        return PostChanges(
            title=data["title"],
            body=data.get("body") or "",
            quantity=data["quantity"],
            unit=data.get("unit") or None,
            tags=tuple(data.get("tags") or ()),
            expires_at=datetime.combine(expires_on, time.max, tzinfo=UTC) if expires_on else None,
        )

    def field_for_error(self, service_field: str) -> str | None:
        name = _FIELD_ALIASES.get(service_field, service_field)
        return name if name in self.fields else None
