"""The "for you" page: suggestions with their reasons, the district, and a reset button.
Without the feed consent it explains what the feed is and links to the consent centre."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from huzhu.accounts.consents import consents_of
from huzhu.errors import DomainError
from huzhu.insights import for_you
from huzhu.places import places
from huzhu.trust.queries import badges_for
from huzhu.web.cards import card_for
from huzhu.web.users import signed_in_user


class PlaceForm(forms.Form):
    place = forms.ChoiceField(label=gettext_lazy("Look around"))

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        field = self.fields["place"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(p.code, capfirst(str(p.name))) for p in places()]


@login_required
@require_http_methods(["GET", "POST"])
def for_you_page(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    if not consents_of(user.pk).for_you_feed:
        return render(request, "insights/for_you_off.html")
    form = PlaceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            for_you.choose_place(user=user, place_code=form.cleaned_data["place"])
        except DomainError as exc:
            form.add_error("place", exc.message)
        else:
            return redirect("for_you")
    feed = for_you.feed_for(user)
    if request.method == "GET":
        form = PlaceForm(initial={"place": feed.place.code})
    badges = badges_for(s.post.owner_id for s in feed.suggestions)
    cards = [
        (card_for(s.post, user, s.distance_km, badges[s.post.owner_id]), s.reason)
        for s in feed.suggestions
    ]
    context = {"feed": feed, "cards": cards, "form": form}
    return render(request, "insights/for_you.html", context)


@login_required
@require_POST
def for_you_reset(request: HttpRequest) -> HttpResponse:
    for_you.reset_profile(user=signed_in_user(request))
    messages.success(request, _("Your feed was reset: it forgot your area and what it learned."))
    return redirect("for_you")
