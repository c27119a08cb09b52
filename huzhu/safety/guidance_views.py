"""The guidance pages: the community rules and legal guidance, and "may I share this?".

Both are public and work without JavaScript. The assistant's form is posted, not sent as a
query string, because a draft may hold a phone number or an address that must not end up
in a URL, a browser history or an access log.
"""

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from huzhu.errors import DomainError
from huzhu.safety import guidance, ratelimit
from huzhu.safety.community import RULES, rule_text
from huzhu.safety.guidance_content import rule_anchor, sections


class AskForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=120, required=False)
    body = forms.CharField(
        label=_("What you want to post"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Nothing you write here is stored or posted."),
    )


def guidance_page(request: HttpRequest) -> HttpResponse:
    rules = [(code, rule_text(code), rule_anchor(code)) for code in RULES]
    return render(request, "safety/guidance.html", {"sections": sections(), "rules": rules})


def ask_page(request: HttpRequest) -> HttpResponse:
    form = AskForm(request.POST or None)
    answer = None
    if request.method == "POST" and form.is_valid():
        ratelimit.hit("guidance_address", ratelimit.client_address(request))
        try:
            answer = guidance.ask(title=form.cleaned_data["title"], body=form.cleaned_data["body"])
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
    context = {"form": form, "answer": answer}
    return render(request, "safety/guidance_ask.html", context, status=422 if form.errors else 200)
