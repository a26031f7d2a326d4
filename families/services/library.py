"""The library for parents: administrators write and publish articles (every save a new
version), officers send an article to a family and record which ones they talked through
with the parents. Sending follows protective mode: nothing new reaches the parents while
it holds. The audit trail records what was done, never the text."""

from datetime import date
from functools import partial

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from families.models import Family, FamilyStatus
from families.models.library import (
    BODY_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    Article,
    ArticleDiscussion,
    ArticleSent,
    ArticleVersion,
)
from families.services.audit import record_case_change
from liaison import dates
from liaison.access import CHANGE, allows, can_see_section, check_parents_reachable, keeps_library
from liaison.audit.models import AuditAction
from liaison.audit.services import audit_record
from liaison.fragments import data_changed
from liaison.notifications import notify_parents

# The refusal when someone else saved the article since the editor opened it (409).
CONFLICT = "conflict"
SECTION = "library"


def _record_library_change(*, actor, article: Article, what: str, **detail) -> None:
    audit_record(action=AuditAction.LIBRARY_CHANGED, actor=actor, target=article, detail={"what": what, **detail})


# Each named, since the article's two titles and two texts sit on one form.
MISSING_TEXT = {
    "title_nl": gettext_lazy("Write the Dutch title."),
    "title_en": gettext_lazy("Write the English title."),
    "body_nl": gettext_lazy("Write the Dutch text."),
    "body_en": gettext_lazy("Write the English text."),
}


def _check_texts(*, title_nl: str, title_en: str, body_nl: str, body_en: str) -> dict[str, str]:
    """Both titles and both texts, trimmed; each empty or too long one refused by name."""
    texts = {"title_nl": title_nl, "title_en": title_en, "body_nl": body_nl, "body_en": body_en}
    texts = {name: (value or "").strip() for name, value in texts.items()}
    errors = {}
    for name, value in texts.items():
        limit = TITLE_MAX_LENGTH if name.startswith("title") else BODY_MAX_LENGTH
        if not value:
            errors[name] = MISSING_TEXT[name]
        elif len(value) > limit:
            errors[name] = _("Write %(limit)s characters or fewer; it now has %(count)s.") % {
                "limit": limit,
                "count": len(value),
            }
    if errors:
        raise ValidationError(errors)
    return texts


def _check_editor(author) -> None:
    if not keeps_library(author):
        raise PermissionDenied


@transaction.atomic
def article_create(
    *, author, title_nl: str, title_en: str, body_nl: str, body_en: str, change_note: str = ""
) -> Article:
    """A new article, not yet published, with its first version."""
    _check_editor(author)
    texts = _check_texts(title_nl=title_nl, title_en=title_en, body_nl=body_nl, body_en=body_en)
    article = Article.objects.create(created_by=author)
    ArticleVersion.objects.create(
        article=article, number=1, created_by=author, change_note=(change_note or "").strip(), **texts
    )
    _record_library_change(actor=author, article=article, what="article_created", version=1)
    return article


@transaction.atomic
def article_edit(
    *,
    article: Article,
    author,
    based_on: int,
    title_nl: str,
    title_en: str,
    body_nl: str,
    body_en: str,
    change_note: str = "",
) -> ArticleVersion:
    """Save the text as a new version. Refused when someone else saved a version since
    the editor opened the one they changed (``based_on``): nothing is overwritten."""
    _check_editor(author)
    texts = _check_texts(title_nl=title_nl, title_en=title_en, body_nl=body_nl, body_en=body_en)
    Article.objects.select_for_update().filter(pk=article.pk).first()
    latest = article.versions.order_by("-number").values_list("number", flat=True).first() or 0
    if based_on != latest:
        raise ValidationError(
            _(
                "Someone else saved a new version of this article while you were editing. "
                "Your text is not saved. Open the article again to see their version."
            ),
            code=CONFLICT,
        )
    version = ArticleVersion.objects.create(
        article=article, number=latest + 1, created_by=author, change_note=(change_note or "").strip(), **texts
    )
    article.save(update_fields=["updated_at"])
    _record_library_change(actor=author, article=article, what="article_edited", version=version.number)
    return version


@transaction.atomic
def article_publish(*, article: Article, actor) -> Article:
    """Parents may read the article in the portal from now on."""
    _check_editor(actor)
    if article.published_at is not None:
        raise ValidationError(_("This article is already published."))
    article.published_at = timezone.now()
    article.save(update_fields=["published_at", "updated_at"])
    _record_library_change(actor=actor, article=article, what="article_published")
    return article


@transaction.atomic
def article_unpublish(*, article: Article, actor) -> Article:
    """Take the article out of the portal (also where it was sent); it can be published again."""
    _check_editor(actor)
    if article.published_at is None:
        raise ValidationError(_("This article is not published."))
    article.published_at = None
    article.save(update_fields=["published_at", "updated_at"])
    _record_library_change(actor=actor, article=article, what="article_unpublished")
    return article


def _check_officer(family: Family, officer) -> None:
    if not (allows(officer, family, CHANGE) and can_see_section(officer, SECTION, family)):
        raise PermissionDenied


def _current_version(article: Article) -> ArticleVersion:
    return article.versions.order_by("-number").first()


@transaction.atomic
def article_send(*, family: Family, article: Article, officer) -> ArticleSent:
    """Send a published article to the parents' portal, once per family. The parents who
    chose e-mail hear that there is something new, nothing more. Refused while
    protective mode holds."""
    _check_officer(family, officer)
    if family.status == FamilyStatus.CLOSED:
        raise ValidationError(_("This case is closed. Nothing can be sent to the parents any more."))
    check_parents_reachable(family)
    if not Article.objects.filter(pk=article.pk, published_at__isnull=False).exists():
        raise ValidationError({"article": _("This article is not published. Only published articles can be sent.")})
    earlier = family.articles_sent.filter(article=article).first()
    if earlier is not None:
        raise ValidationError(
            {
                "article": _("This article was already sent to the family on %(date)s.")
                % {"date": timezone.localtime(earlier.created_at).strftime("%d-%m-%Y")}
            }
        )
    # If the parents have not read what was sent before, they were told already.
    already_told = family.articles_sent.filter(read_at__isnull=True).exists()
    try:
        with transaction.atomic():
            sent = ArticleSent.objects.create(
                family=family, article=article, version=_current_version(article), created_by=officer
            )
    except IntegrityError:
        # Someone sent the same article to this family at the same moment.
        raise ValidationError({"article": _("This article was just sent to the family by someone else.")}) from None
    record_case_change(
        actor=officer,
        family=family,
        target=sent,
        what="article_sent",
        detail={"article": article.pk, "version": sent.version.number},
    )
    if not already_told:
        transaction.on_commit(partial(notify_parents, family))
    return sent


@transaction.atomic
def article_discussion_record(
    *, family: Family, article: Article, officer, discussed_on: date, note: str = ""
) -> ArticleDiscussion:
    """Record that the officer talked an article through with the parents."""
    _check_officer(family, officer)
    try:
        dates.check_kind(discussed_on, dates.HAPPENED)
    except ValidationError as error:
        raise ValidationError({"discussed_on": error}) from None
    discussion = ArticleDiscussion.objects.create(
        family=family,
        article=article,
        version=_current_version(article),
        discussed_on=discussed_on,
        note=(note or "").strip(),
        created_by=officer,
    )
    record_case_change(
        actor=officer, family=family, target=discussion, what="article_discussed", detail={"article": article.pk}
    )
    return discussion


@transaction.atomic
def article_sent_mark_read(*, sent: ArticleSent) -> bool:
    """The parents opened an article their officer sent them; True the first time."""
    if sent.read_at is not None:
        return False
    marked = ArticleSent.objects.filter(pk=sent.pk, read_at__isnull=True).update(read_at=timezone.now())
    if marked:
        data_changed(team_id=sent.family.team_id)  # the portal's count of new articles
    return bool(marked)
