"""The forms of the exchange pages. Services still check everything; these shape the input."""

from typing import Any

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from huzhu.exchanges.alerts import AlertDraft
from huzhu.labels import localised
from huzhu.places import place_by_code, places
from huzhu.posts.queries import categories
from huzhu.web.forms import RADII_KM, coordinate_field, item_choices, set_choices


class RespondForm(forms.Form):
    quantity = forms.IntegerField(label=_("How many"), min_value=1, max_value=1000, initial=1)
    message = forms.CharField(
        label=_("Message"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Phone numbers, addresses and IM ids are hidden until you both agree to share them."
        ),
    )


class MessageForm(forms.Form):
    body = forms.CharField(
        label=_("Write a message"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Why are you cancelling?"),
        max_length=300,
        widget=forms.TextInput(),
    )


class DisputeForm(forms.Form):
    reason = forms.CharField(
        label=_("What went wrong?"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("A moderator reads the exchange and its messages, then settles it."),
    )


class NoHandoverForm(forms.Form):
    """ "It did not happen" counts against the other person: a reason and a confirmation."""

    reason = forms.CharField(
        label=_("What happened?"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("The other person may contest it; a moderator then decides."),
    )
    confirm = forms.BooleanField(
        label=_(
            "I confirm it did not happen: cancel the exchange and record it privately "
            "against the other person."
        )
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # Its own element ids: the cancel and dispute forms on the page have a reason too.
        kwargs.setdefault("auto_id", "id_no_handover_%s")
        super().__init__(*args, **kwargs)


class ContestNoShowForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is it wrong?"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("A moderator who is not part of this exchange decides."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "id_contest_%s")
        super().__init__(*args, **kwargs)


class DeclineForm(forms.Form):
    reason = forms.CharField(label=_("Reason (optional)"), max_length=300, required=False)


class AlertForm(forms.Form):
    """A saved alert. Rules (ranges, the catalogue, the cap) stay in alerts.create_alert."""

    kind = forms.ChoiceField(
        label=_("Tell me about new"),
        choices=[("need", _("needs")), ("offer", _("offers"))],
        initial="need",
        widget=forms.RadioSelect,
    )
    item = forms.ChoiceField(label=_("Item"), required=False)
    category = forms.ChoiceField(
        label=_("Or anything in a category"),
        required=False,
        help_text=_("Used when you choose no item."),
    )
    place = forms.ChoiceField(label=_("Around"), required=False)
    lat = coordinate_field(_("Latitude"), 90)
    lng = coordinate_field(_("Longitude"), 180)
    radius_km = forms.TypedChoiceField(label=_("Within"), coerce=int, initial=3)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "item", item_choices(_("Any item")))
        set_choices(
            self,
            "category",
            [("", "—"), *((c.code, localised(c.name_en, c.name_zh)) for c in categories())],
        )
        set_choices(
            self,
            "place",
            [("", _("Not chosen")), *((p.code, capfirst(str(p.name))) for p in places())],
        )
        set_choices(
            self, "radius_km", [(str(km), gettext("%(km)s km") % {"km": km}) for km in RADII_KM]
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        lat, lng = data.get("lat"), data.get("lng")
        if self.has_error("lat") or self.has_error("lng"):
            return data
        if (lat is None) != (lng is None):
            self.add_error("lng" if lng is None else "lat", _("Give both latitude and longitude."))
            return data
        place = place_by_code(data.get("place") or "")
        if lat is None and place is not None:
            data["lat"], data["lng"] = place.lat, place.lng
        elif lat is None:
            self.add_error("place", _("Choose an area, or type coordinates."))
        return data

    def to_draft(self) -> AlertDraft:
        data = self.cleaned_data
        return AlertDraft(
            kind=data["kind"],
            lat=data["lat"],
            lng=data["lng"],
            radius_km=float(data["radius_km"]),
            item=data.get("item") or None,
            category=None if data.get("item") else (data.get("category") or None),
        )


class PreferencesForm(forms.Form):
    """Which notifications also come by e-mail."""

    response = forms.BooleanField(label=_("Someone responds to my post"), required=False)
    accepted = forms.BooleanField(label=_("My response is accepted"), required=False)
    declined = forms.BooleanField(label=_("An exchange is declined or cancelled"), required=False)
    message = forms.BooleanField(
        label=_("New messages and requests to share contact"), required=False
    )
    completed = forms.BooleanField(label=_("Hand-overs and completed exchanges"), required=False)
    checkin = forms.BooleanField(
        label=_("“Still needed?” questions about my needs"), required=False
    )
    alert = forms.BooleanField(label=_("New posts that match my alerts"), required=False)
    quiet = forms.BooleanField(
        label=_("Quiet: send me no e-mail at all"),
        required=False,
        help_text=_("Your inbox on the site still shows everything."),
    )


GROUP_LABELS = {
    "response": _("Someone responds to my post"),
    "accepted": _("My response is accepted"),
    "declined": _("An exchange is declined or cancelled"),
    "message": _("New messages and requests to share contact"),
    "completed": _("Hand-overs and completed exchanges"),
    "checkin": _("“Still needed?” questions about my needs"),
    "alert": _("New posts that match my alerts"),
    "sanction": _("A warning or sanction about my account"),
    "review": _("A review about me becomes visible"),
    "feedback": _("Someone rates Huzhu low (organisers)"),
}


class ChannelsForm(forms.Form):
    """Which groups come by SMS and by web push; quiet hours and the daily SMS cap."""

    sms = forms.MultipleChoiceField(
        label=_("Text me (SMS) when"),
        choices=list(GROUP_LABELS.items()),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    push = forms.MultipleChoiceField(
        label=_("Notify this browser or phone (push) when"),
        choices=list(GROUP_LABELS.items()),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    quiet_start = forms.TimeField(
        label=_("Quiet from"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}),
        help_text=_("No texts or pushes between these times (your time zone)."),
    )
    quiet_end = forms.TimeField(
        label=_("Quiet until"), required=False, widget=forms.TimeInput(attrs={"type": "time"})
    )
    time_zone = forms.CharField(label=_("Time zone"), max_length=64)
    sms_per_day = forms.IntegerField(label=_("Texts a day, at most"), min_value=0, max_value=50)
