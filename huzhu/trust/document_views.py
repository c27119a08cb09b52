"""Pages for document verification: the person's upload, and the staff queue where a
moderator looks at the photo and approves or rejects it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from huzhu.errors import DomainError
from huzhu.safety.views import staff_only
from huzhu.trust import document_files, documents, queries
from huzhu.trust.forms import DecisionForm, DocumentForm
from huzhu.web.users import signed_in_user

DECISIONS = {"approve": True, "reject": False}


@login_required
def verify_document(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    form = DocumentForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            # One step on this page: a photo refused undoes the details (and their cooldown).
            with transaction.atomic():
                started = documents.start_document_verification(
                    user=user,
                    document_type=data["document_type"],
                    country=data["country"],
                    number=data["document_number"],
                )
                documents.attach_image(verification=started, upload=data["image"])
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            status = exc.status
        else:
            messages.success(request, _("Thank you. A moderator will look at your document."))
            return redirect("trust")
    elif request.method == "POST":
        status = 422
    return render(request, "trust/verify_document.html", {"form": form}, status=status)


def _render_queue(
    request: HttpRequest, failed: DecisionForm | None = None, failed_id: int = 0, status: int = 200
) -> HttpResponse:
    """One reason form per check, each with its own element ids; a refused one keeps its
    errors."""
    rows = [
        (
            check,
            failed
            if failed and check.pk == failed_id
            else DecisionForm(auto_id=f"id_{check.pk}_%s"),
        )
        for check in queries.documents_to_check()
    ]
    context = {"rows": rows, "failed": failed}
    return render(request, "trust/moderation_documents.html", context, status=status)


@staff_only
def documents_queue(request: HttpRequest) -> HttpResponse:
    return _render_queue(request)


@staff_only
@require_GET
def document_image(request: HttpRequest, verification_id: int) -> HttpResponse:
    """The photo, to staff only, never cached: it exists only until the decision."""
    path = queries.access_document_for_moderation(
        signed_in_user(request), verification_id
    ).document.image_path
    if not path or not document_files.absolute(path).exists():
        raise Http404
    response = HttpResponse(  # at most HUZHU_DOCUMENT_MAX_BYTES: read whole
        document_files.absolute(path).read_bytes(), content_type=document_files.content_type(path)
    )
    response["Cache-Control"] = "private, no-store"
    response["Content-Disposition"] = "inline"
    return response


@staff_only
@require_POST
def document_decide(request: HttpRequest, verification_id: int, action: str) -> HttpResponse:
    found = queries.access_document_for_moderation(signed_in_user(request), verification_id)
    if action not in DECISIONS:
        raise Http404
    form = DecisionForm(request.POST, auto_id=f"id_{found.pk}_%s")
    status = 422
    if form.is_valid():
        try:
            documents.decide_document(
                moderator=signed_in_user(request),
                verification=found,
                approve=DECISIONS[action],
                reason=form.cleaned_data["reason"],
            )
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            status = exc.status
        else:
            messages.success(request, _("Decided. The photo is deleted."))
            return redirect("moderation_documents")
    return _render_queue(request, form, found.pk, status)
