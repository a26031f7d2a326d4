"""The forms of the library for parents: an article's text in both languages, sending an
article to a family, and recording that an article was talked through."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from families.models.library import BODY_MAX_LENGTH, TITLE_MAX_LENGTH, Article
from families.selectors.library import sendable_articles
from liaison import dates
from liaison.forms import GovukFormMixin

CHOOSE_ARTICLE = _("Choose a published article from the library.")
MARKUP_HINT = _(
    "Plain text. Leave an empty line between paragraphs. Start a line with ## for a heading "
    "and with - for an item of a list."
)


class ArticleForm(GovukFormMixin, forms.Form):
    """An article's text; the service checks that nothing is empty and nothing too long,
    so a pasted text is never cut short."""

    title_nl = forms.CharField(label=_("Title in Dutch"), required=False)
    title_en = forms.CharField(label=_("Title in English"), required=False)
    body_nl = forms.CharField(
        label=_("Text in Dutch"), required=False, help_text=MARKUP_HINT, widget=forms.Textarea(attrs={"rows": 16})
    )
    body_en = forms.CharField(
        label=_("Text in English"), required=False, help_text=MARKUP_HINT, widget=forms.Textarea(attrs={"rows": 16})
    )
    change_note = forms.CharField(
        label=_("What did you change?"), required=False, max_length=300, help_text=_("For the list of versions.")
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for name in ("title_nl", "title_en"):
            self.fields[name].widget.attrs["maxlength"] = TITLE_MAX_LENGTH
        for name in ("body_nl", "body_en"):
            self.fields[name].widget.attrs["maxlength"] = BODY_MAX_LENGTH


class ArticleEditForm(ArticleForm):
    """The version the editor started from travels with the form: a save on top of a
    version someone else saved meanwhile is refused, never overwritten."""

    based_on = forms.IntegerField(widget=forms.HiddenInput, min_value=0, max_value=1_000_000)


class ConfirmForm(GovukFormMixin, forms.Form):
    """Nothing to type: the button confirms."""


def _article_choices(versions) -> list[tuple[str, str]]:
    return [("", _("Choose an article")), *[(str(version.article_id), version.title) for version in versions]]


class _ArticleChoiceForm(GovukFormMixin, forms.Form):
    article = forms.TypedChoiceField(
        label=_("Article"), coerce=int, error_messages={"required": CHOOSE_ARTICLE, "invalid_choice": CHOOSE_ARTICLE}
    )

    def clean_article(self) -> Article:
        article = Article.objects.filter(pk=self.cleaned_data["article"]).first()
        if article is None:
            raise forms.ValidationError(CHOOSE_ARTICLE)
        return article


class ArticleSendForm(_ArticleChoiceForm):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["article"].choices = _article_choices(sendable_articles())
        self.fields["article"].label = _("Which article do you send to the parents?")


class ArticleDiscussionForm(_ArticleChoiceForm):
    discussed_on = dates.DateFormField(label=_("When did you talk about it?"), when=dates.HAPPENED)
    note = forms.CharField(
        label=_("What did you talk about?"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("For the team, not for the parents."),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["article"].choices = _article_choices(sendable_articles())
        self.fields["article"].label = _("Which article did you talk about with the parents?")
        self.fields["discussed_on"].initial = timezone.localdate()
