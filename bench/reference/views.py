"""The two reference endpoints: one INSERT behind session auth + CSRF, and a tiny page."""

from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.views.decorators.http import require_GET, require_POST

from bench.reference.models import Note


@require_POST
def note_insert(request: HttpRequest) -> HttpResponse:
    Note.objects.create(user=request.user, text=request.POST.get("text", "")[:100])
    return HttpResponse("saved", content_type="text/plain")


@require_GET
def tiny_page(request: HttpRequest) -> HttpResponse:
    return TemplateResponse(request, "reference/page.html", {})
