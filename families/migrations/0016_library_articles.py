from django.db import migrations
from django.utils import timezone

from families.migrations._library_articles import ARTICLES


def add_articles(apps, schema_editor):
    """The library's first articles, published, each as its version 1."""
    Article = apps.get_model("families", "Article")
    ArticleVersion = apps.get_model("families", "ArticleVersion")
    now = timezone.now()
    for text in ARTICLES:
        article = Article.objects.create(published_at=now)
        ArticleVersion.objects.create(
            article=article, number=1, change_note="First version", **text
        )


def remove_articles(apps, schema_editor):
    Article = apps.get_model("families", "Article")
    ArticleVersion = apps.get_model("families", "ArticleVersion")
    seeded = Article.objects.filter(created_by__isnull=True, versions__number=1, versions__title_en__in=[a["title_en"] for a in ARTICLES])
    unused = seeded.exclude(pk__in=apps.get_model("families", "ArticleSent").objects.values("article_id")).exclude(
        pk__in=apps.get_model("families", "ArticleDiscussion").objects.values("article_id")
    )
    ArticleVersion.objects.filter(article__in=unused).delete()
    Article.objects.filter(pk__in=unused.values("pk")).delete()


class Migration(migrations.Migration):

    dependencies = [
        ("families", "0015_library"),
    ]

    operations = [
        migrations.RunPython(add_articles, remove_articles),
    ]
