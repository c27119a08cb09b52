"""Verification forms: shape only; `trust.verification` decides the rules."""

from django import forms
from django.utils.translation import gettext_lazy as _

from huzhu.trust.models import DocumentType, Organisation


class StartVerificationForm(forms.Form):
    method = forms.ChoiceField(
        label=_("Verify by"),
        choices=[("phone", _("Phone (text message)")), ("email", _("E-mail"))],
        widget=forms.RadioSelect,
        initial="phone",
    )
    address = forms.CharField(
        label=_("Phone number or e-mail address"),
        max_length=254,
        help_text=_(
            "We send a 6-digit code. The phone number itself is not stored, only a keyed "
            "fingerprint that keeps it to one account."
        ),
        widget=forms.TextInput(attrs={"autocapitalize": "none", "spellcheck": "false"}),
    )
    show_on_reveal = forms.BooleanField(
        label=_("Show my phone number to the people I exchange with, once we both agree"),
        required=False,
        help_text=_("Kept encrypted. Leave unticked and nobody ever sees the number."),
    )


class ConfirmVerificationForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=12,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "pattern": "[0-9]*"}
        ),
    )


class ReviewForm(forms.Form):
    """A review after a completed exchange: `trust.reviews` decides the rules."""

    score = forms.TypedChoiceField(
        label=_("How did it go?"),
        coerce=int,
        choices=[
            (5, _("5 — very well")),
            (4, _("4 — well")),
            (3, _("3 — all right")),
            (2, _("2 — not well")),
            (1, _("1 — badly")),
        ],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment (only the two of you and the moderators see it)"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    thanks = forms.CharField(
        label=_("A thank-you note (optional)"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    publish_thanks = forms.BooleanField(
        label=_("Show my note on the stories wall, without any names"),
        required=False,
    )


class DocumentForm(forms.Form):
    """A document check in one go: details and photo. `trust.documents` decides the rules."""

    document_type = forms.ChoiceField(label=_("Document"), choices=DocumentType.choices)
    country = forms.CharField(
        label=_("Issuing country (two letters, e.g. GB, KR, US)"),
        max_length=2,
        widget=forms.TextInput(attrs={"autocapitalize": "characters", "size": 3}),
    )
    document_number = forms.CharField(
        label=_("Document number"),
        max_length=40,
        help_text=_("Not stored: only a keyed fingerprint, so the document verifies one account."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    image = forms.FileField(
        label=_("Photo of the document"),
        help_text=_(
            "JPEG, PNG or WebP. Only moderators see it, and it is deleted once they decide."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )


class DecisionForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required. Kept in the audit log; the person reads it."),
    )


class VouchForm(forms.Form):
    username = forms.CharField(
        label=_("Username of the person you know"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocapitalize": "none", "spellcheck": "false"}),
    )


class OrganisationForm(forms.Form):
    username = forms.CharField(label=_("Username of the organisation's account"), max_length=150)
    kind = forms.ChoiceField(label=_("Kind"), choices=Organisation.Kind.choices)
    name = forms.CharField(label=_("Public name"), max_length=120)
    registration_number = forms.CharField(
        label=_("Registration number"),
        max_length=60,
        help_text=_("Checked by you; kept only as a keyed fingerprint."),
    )
