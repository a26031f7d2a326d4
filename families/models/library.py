"""The library for parents: short articles in Dutch and English that explain what is
happening (how grooming works, why the child cannot tell, what to do and not to do).
Informing the parents is the liaison officer's first task; the officer sends an article
to a family and records which ones they talked through together.

An article's text is never changed in place: every save is a new version, and every
version stays readable. The text is plain, with a very small markup (paragraphs, ``## ``
headings, ``- `` list items) that is always rendered escaped."""

from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from families.models.case import Family
from liaison import dates
from liaison.encryption import EncryptedTextField

TITLE_MAX_LENGTH = 200
BODY_MAX_LENGTH = 20_000
HEADING_MARK = "## "
ITEM_MARK = "- "


@dataclass(frozen=True)
class TextBlock:
    """One block of an article: a heading, a paragraph or a list (``items``)."""

    kind: str
    text: str = ""
    items: tuple[str, ...] = ()


def _line_kind(line: str) -> str:
    if line.startswith(HEADING_MARK):
        return "heading"
    return "item" if line.startswith(ITEM_MARK) else "paragraph"


def text_blocks(text: str) -> list[TextBlock]:
    """The article's text as blocks: a blank line ends a block, a line that starts with
    ``## `` is a heading, lines that start with ``- `` make a list."""
    blocks: list[TextBlock] = []
    for chunk in text.replace("\r\n", "\n").split("\n\n"):
        run_kind, run = "", []
        for line in [*(line.strip() for line in chunk.split("\n") if line.strip()), None]:
            kind = _line_kind(line) if line is not None else ""
            if run and (kind != run_kind or kind == "heading"):
                blocks.append(_block(run_kind, run))
                run = []
            if line is not None:
                run_kind = kind
                run.append(line[2:].strip() if kind != "paragraph" else line)
    return [block for block in blocks if block.text or block.items]


def _block(kind: str, lines: list[str]) -> TextBlock:
    if kind == "item":
        return TextBlock("list", items=tuple(lines))
    return TextBlock(kind, " ".join(lines))


def _in_dutch() -> bool:
    return (get_language() or "").startswith("nl")


class Article(models.Model):
    """An article of the library. Parents see it only while it is published."""

    published_at = dates.DateTimeField(_("published at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        constraints = [*dates.in_range("article", "published_at")]

    def __str__(self) -> str:
        return f"article {self.pk}"

    @property
    def is_published(self) -> bool:
        return self.published_at is not None


class ArticleVersion(models.Model):
    """One saved text of an article, in both languages; the highest number is current."""

    article = models.ForeignKey(Article, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    title_nl = models.CharField(_("title in Dutch"), max_length=TITLE_MAX_LENGTH)
    title_en = models.CharField(_("title in English"), max_length=TITLE_MAX_LENGTH)
    body_nl = models.TextField(_("text in Dutch"))
    body_en = models.TextField(_("text in English"))
    change_note = models.CharField(_("what changed"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("saved at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["article", "-number"]
        verbose_name = _("article version")
        verbose_name_plural = _("article versions")
        constraints = [
            models.UniqueConstraint(fields=["article", "number"], name="one_article_version_per_number"),
            models.CheckConstraint(condition=Q(number__gte=1), name="article_version_number_from_one"),
            models.CheckConstraint(
                condition=~Q(title_nl="") & ~Q(title_en="") & ~Q(body_nl="") & ~Q(body_en=""),
                name="article_version_has_text_in_both_languages",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title_en} ({self.number})"

    @property
    def title(self) -> str:
        """The title in the language of the page."""
        return self.title_nl if _in_dutch() else self.title_en

    @property
    def blocks(self) -> list[TextBlock]:
        """The text in the language of the page, as blocks to render escaped."""
        return text_blocks(self.body_nl if _in_dutch() else self.body_en)


class ArticleSent(models.Model):
    """An article the officer sent to a family: the parents find it in their portal,
    marked as from their liaison officer. Sent once per family."""

    family = models.ForeignKey(Family, on_delete=models.PROTECT, related_name="articles_sent")
    article = models.ForeignKey(Article, on_delete=models.PROTECT, related_name="+")
    version = models.ForeignKey(ArticleVersion, on_delete=models.PROTECT, related_name="+")
    read_at = dates.DateTimeField(_("read by the parents at"), null=True, blank=True)
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("article sent")
        verbose_name_plural = _("articles sent")
        constraints = [
            models.UniqueConstraint(fields=["family", "article"], name="article_sent_once_per_family"),
            *dates.in_range("articlesent", "read_at"),
            models.CheckConstraint(
                condition=Q(read_at__isnull=True) | Q(read_at__gte=F("created_at")), name="article_read_after_sent"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.family} {self.created_at:%Y-%m-%d}"


class ArticleDiscussion(models.Model):
    """The officer talked an article through with the parents, on a day, with a note."""

    family = models.ForeignKey(Family, on_delete=models.PROTECT, related_name="articles_discussed")
    article = models.ForeignKey(Article, on_delete=models.PROTECT, related_name="+")
    version = models.ForeignKey(ArticleVersion, on_delete=models.PROTECT, related_name="+")
    discussed_on = dates.DateField(_("discussed on"))
    note = EncryptedTextField(_("what you talked about"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-discussed_on", "-pk"]
        verbose_name = _("article discussed")
        verbose_name_plural = _("articles discussed")
        constraints = [*dates.in_range("articlediscussion", "discussed_on")]

    def __str__(self) -> str:
        return f"{self.family} {self.discussed_on}"
