"""The library for parents, as the staff see it: officers and supervisors read the articles
they send; verified administrators write them (every save a new version), publish and
withdraw them. Every change is in the audit trail."""

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from families.forms.library import ArticleEditForm, ArticleForm, ConfirmForm
from families.models.library import Article, ArticleVersion
from families.selectors.library import article_versions, current_version, current_versions
from families.services.library import CONFLICT, article_create, article_edit, article_publish, article_unpublish
from liaison.access import library_editor_or_404, library_reader_or_404, may_edit_library
from liaison.forms import form_page

PAGE_SIZE = 20


def _article_or_404(pk: int) -> Article:
    article = Article.objects.filter(pk=pk).first()
    if article is None:
        raise Http404
    return article


def _article_url(article: Article) -> str:
    return reverse("library_article", args=[article.pk])


@require_GET
def library(request: HttpRequest) -> HttpResponse:
    """Every article, with its current title and whether parents can read it; searchable."""
    library_reader_or_404(request)
    search = request.GET.get("q", "").strip()[:100]
    page = Paginator(current_versions(search=search), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page": page, "search": search, "can_edit": may_edit_library(request.user)}
    return render(request, "liaison/library/list.html", context)


@require_GET
def library_article(request: HttpRequest, pk: int) -> HttpResponse:
    """The current text of an article, and the list of its versions."""
    library_reader_or_404(request)
    article = _article_or_404(pk)
    context = {
        "article": article,
        "version": current_version(article),
        "versions": article_versions(article),
        "can_edit": may_edit_library(request.user),
    }
    return render(request, "liaison/library/article.html", context)


@require_GET
def library_article_version(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    """One earlier (or the current) version, as it was saved."""
    library_reader_or_404(request)
    article = _article_or_404(pk)
    version = ArticleVersion.objects.select_related("created_by").filter(article=article, number=number).first()
    if version is None:
        raise Http404
    latest = current_version(article)
    context = {"article": article, "version": version, "is_current": latest is not None and latest.pk == version.pk}
    return render(request, "liaison/library/version.html", context)


def _article_form_page(request: HttpRequest, form, *, save, success: str, heading: str, article=None) -> HttpResponse:
    def show(form) -> HttpResponse:
        status = 409 if form.has_error(NON_FIELD_ERRORS, code=CONFLICT) else 200
        context = {"form": form, "heading": heading, "article": article}
        return render(request, "liaison/library/article_form.html", context, status=status)

    return form_page(request, form, save=save, success=success, redirect_to=_saved_url, show=show)


def _saved_url(saved) -> str:
    return _article_url(saved if isinstance(saved, Article) else saved.article)


@require_http_methods(["GET", "POST"])
def library_article_new(request: HttpRequest) -> HttpResponse:
    library_editor_or_404(request)
    form = ArticleForm(request.POST if request.method == "POST" else None)

    def save(**texts) -> Article:
        return article_create(author=request.user, **texts)

    return _article_form_page(
        request,
        form,
        save=save,
        success=_("The article is saved. Parents cannot read it until you publish it."),
        heading=_("Write a new article"),
    )


@require_http_methods(["GET", "POST"])
def library_article_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Every save is a new version; the earlier ones stay readable."""
    library_editor_or_404(request)
    article = _article_or_404(pk)
    latest = current_version(article)
    initial = {
        "title_nl": latest.title_nl,
        "title_en": latest.title_en,
        "body_nl": latest.body_nl,
        "body_en": latest.body_en,
        "based_on": latest.number,
    }
    form = ArticleEditForm(request.POST if request.method == "POST" else None, initial=initial)

    def save(**texts):
        return article_edit(article=article, author=request.user, **texts)

    return _article_form_page(
        request,
        form,
        save=save,
        success=_("The new version is saved."),
        heading=_("Change the article"),
        article=article,
    )


@require_http_methods(["GET", "POST"])
def library_article_publish(request: HttpRequest, pk: int) -> HttpResponse:
    """Publish an article, or take it out of the portal, after a confirmation."""
    library_editor_or_404(request)
    article = _article_or_404(pk)
    form = ConfirmForm(request.POST if request.method == "POST" else None)
    publish = article.published_at is None
    change = article_publish if publish else article_unpublish

    def show(form) -> HttpResponse:
        context = {"form": form, "article": article, "version": current_version(article), "publish": publish}
        return render(request, "liaison/library/publish.html", context)

    return form_page(
        request,
        form,
        save=lambda: change(article=article, actor=request.user),
        success=_("The article is published.") if publish else _("The article is taken out of the portal."),
        redirect_to=_article_url(article),
        show=show,
    )
