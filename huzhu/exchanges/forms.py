"""The forms of the exchange pages. Services still check everything; these shape the input."""

from django import forms
from django.utils.translation import gettext_lazy as _


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


class DeclineForm(forms.Form):
    reason = forms.CharField(label=_("Reason (optional)"), max_length=300, required=False)
