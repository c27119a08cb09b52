"""The organisers' import page (/organisers/import): staff only, 404 for everyone else.

Upload a CSV, check it (a dry run listing each row's errors), adjust which column means
what, then import. The file travels between the steps in the form itself, so the page
needs no JavaScript and keeps nothing on the server between requests.
"""

from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from huzhu.errors import DomainError, Invalid
from huzhu.insights.csv_columns import FIELDS, detect_mapping
from huzhu.insights.csv_import import Table, decode, read_table, run_import
from huzhu.safety.views import staff_only
from huzhu.web.users import signed_in_user

MAX_UPLOAD_BYTES = 2 * 1024 * 1024


class ImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("CSV file"),
        required=False,
        help_text=gettext_lazy("UTF-8 or GB18030; the first row names the columns."),
    )
    csv_text = forms.CharField(required=False, widget=forms.Textarea(attrs={"hidden": True}))
    action = forms.ChoiceField(choices=[("check", "check"), ("import", "import")])

    def text(self) -> str:
        upload = self.cleaned_data.get("file")
        if upload is not None:
            if upload.size > MAX_UPLOAD_BYTES:
                raise Invalid(_("The file is larger than 2 MB; split it."), field="file")
            return decode(upload.read())
        text = str(self.cleaned_data.get("csv_text") or "")
        if not text.strip():
            raise Invalid(_("Choose a CSV file."), field="file")
        return text


def _mapping(data: Any, table: Table) -> dict[int, str]:
    """The person's choices from the mapping table, else what the headers say."""
    chosen = {i: data.get(f"column_{i}") for i in range(len(table.headers))}
    if all(value is None for value in chosen.values()):
        return detect_mapping(table.headers)
    mapping: dict[int, str] = {}
    for index, field in chosen.items():
        if field and field in FIELDS and field not in mapping.values():
            mapping[index] = field
    return mapping


@staff_only
def organiser_import(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return render(request, "insights/import.html", {"form": ImportForm()})
    form = ImportForm(request.POST, request.FILES)
    context: dict[str, Any] = {"form": form}
    if not form.is_valid():
        return render(request, "insights/import.html", context, status=422)
    try:
        text = form.text()
        table = read_table(text)
    except DomainError as exc:
        form.add_error("file", exc.message)
        return render(request, "insights/import.html", context, status=422)
    mapping = _mapping(request.POST, table)
    dry_run = form.cleaned_data["action"] == "check"
    report = run_import(
        owner=signed_in_user(request), table=table, mapping=mapping, dry_run=dry_run
    )
    context.update(
        report=report,
        # After a check the file rides along for the import; after an import it is done.
        csv_text=text if dry_run else "",
        columns=[
            {"index": i, "header": header, "field": mapping.get(i, "")}
            for i, header in enumerate(table.headers)
        ],
        fields=[(name, str(label)) for name, label in FIELDS.items()],
    )
    return render(request, "insights/import.html", context)
