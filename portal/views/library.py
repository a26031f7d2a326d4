"""The library in the parents' portal: the articles their liaison officer sent them, and
every published article to browse. A suspected caregiver has no portal family, so every
page here is a 404 for them; while protective mode holds, nothing sent after it started
shows."""

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from families.selectors.library import articles_sent_to_parents, portal_library, published_article_or_none
from families.services.library import article_sent_mark_read
from liaison.access import get_portal_family_or_404

PAGE_SIZE = 20


@require_GET
def portal_library_page(request: HttpRequest) -> HttpResponse:
    family = get_portal_family_or_404(request)
    search = request.GET.get("q", "").strip()[:100]
    from_officer, published = portal_library(family, search=search)
    page = Paginator(published, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"from_officer": from_officer, "page": page, "search": search, "family": family}
    return render(request, "portal/library/list.html", context)


@require_GET
def portal_article(request: HttpRequest, article_pk: int) -> HttpResponse:
    """A published article; opening one the officer sent marks it as read."""
    family = get_portal_family_or_404(request)
    version = published_article_or_none(article_pk)
    if version is None:
        raise Http404
    sent = articles_sent_to_parents(family).filter(article_id=article_pk).select_related("family").first()
    if sent is not None:
        article_sent_mark_read(sent=sent)
    context = {"version": version, "sent": sent, "family": family}
    return render(request, "portal/library/article.html", context)
