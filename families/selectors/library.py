"""Reading the library for parents: the current version of each article (for the staff's
list and the portal), an article's versions, and what a family received and talked
through. Each returns its rows with one query, whatever the number of articles."""

from dataclasses import dataclass

from django.db.models import OuterRef, Q, QuerySet, Subquery

from families.models import Family
from families.models.library import Article, ArticleDiscussion, ArticleSent, ArticleVersion
from liaison.access import parents_see_until


def current_versions(*, search: str = "", published_only: bool = False) -> QuerySet[ArticleVersion]:
    """The newest version of every article, with its article, oldest article first;
    ``search`` looks in the titles and texts of both languages."""
    newest = ArticleVersion.objects.filter(article=OuterRef("article")).order_by("-number").values("pk")[:1]
    versions = ArticleVersion.objects.filter(pk=Subquery(newest)).select_related("article")
    if published_only:
        versions = versions.filter(article__published_at__isnull=False)
    search = search.strip()
    if search:
        versions = versions.filter(
            Q(title_nl__icontains=search)
            | Q(title_en__icontains=search)
            | Q(body_nl__icontains=search)
            | Q(body_en__icontains=search)
        )
    return versions.order_by("article_id")


def current_version(article: Article) -> ArticleVersion | None:
    return article.versions.order_by("-number").first()


def article_versions(article: Article) -> QuerySet[ArticleVersion]:
    """Every saved version, newest first, with who saved it."""
    return article.versions.select_related("created_by").order_by("-number")


@dataclass(frozen=True)
class FamilyLibrary:
    sent: list[ArticleSent]
    discussed: list[ArticleDiscussion]


def family_library(family: Family) -> FamilyLibrary:
    """What the family received from the library and what was talked through, newest first."""
    sent = family.articles_sent.select_related("version", "created_by", "article").order_by("-created_at", "-pk")
    discussed = family.articles_discussed.select_related("version", "created_by").order_by("-discussed_on", "-pk")
    return FamilyLibrary(sent=list(sent), discussed=list(discussed))


def articles_sent_to_parents(family: Family) -> QuerySet[ArticleSent]:
    """What the officer sent that the parents see: published articles, and while
    protective mode holds only what was sent before it started."""
    sent = family.articles_sent.filter(article__published_at__isnull=False)
    until = parents_see_until(family)
    if until is not None:
        sent = sent.filter(created_at__lte=until)
    return sent


def portal_library(family: Family, *, search: str = "") -> tuple[list[tuple[ArticleVersion, ArticleSent]], QuerySet]:
    """The parents' library: what their officer sent them (newest first, each with the
    article's current text), and every published article."""
    published = current_versions(search=search, published_only=True)
    sent = list(articles_sent_to_parents(family).select_related("created_by").order_by("-created_at", "-pk"))
    sent_ids = [row.article_id for row in sent]
    texts = {version.article_id: version for version in published.filter(article_id__in=sent_ids)} if sent else {}
    from_officer = [(texts[row.article_id], row) for row in sent if row.article_id in texts]
    return from_officer, published


def unread_articles(family: Family) -> QuerySet[ArticleSent]:
    """The articles the officer sent that the parents have not opened yet."""
    return articles_sent_to_parents(family).filter(read_at__isnull=True)


def published_article_or_none(article_pk: int) -> ArticleVersion | None:
    """The current version of a published article, for the parents to read."""
    return current_versions(published_only=True).filter(article_id=article_pk).first()


def sendable_articles() -> QuerySet[ArticleVersion]:
    """The published articles an officer may send, by their current title."""
    return current_versions(published_only=True)
