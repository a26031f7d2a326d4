"""What every management command of ours shares: it speaks one language.

A command writes every line, warning and error in the language of the settings
(``LANGUAGE_CODE``) unless ``--language`` names another of ``LANGUAGES``; never a mix of
the two, and never whatever language happened to be active where it was called from, so
that a log from a scheduled run reads the same every day. A command that runs another
passes its language on (``call_command(..., language=get_language())``).

Everything a command writes is put into words while it runs: messages with ``gettext``,
never a lazy text that would be read after the language is switched back.
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.functional import Promise


def command_languages() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


class LocalisedCommand(BaseCommand):
    """A management command that prints in one language: ``LANGUAGE_CODE``, or the one
    given with ``--language``. Subclasses write ``add_arguments`` and ``handle`` as usual."""

    def create_parser(self, prog_name: str, subcommand: str, **kwargs):
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        parser.add_argument(
            "--language",
            choices=command_languages(),
            help=f"The language of everything the command writes (default: LANGUAGE_CODE, {settings.LANGUAGE_CODE}).",
        )
        return parser

    def execute(self, *args, **options):
        with translation.override(options.get("language") or settings.LANGUAGE_CODE):
            try:
                return super().execute(*args, **options)
            except CommandError as error:
                # Django prints the error after the command returns, in whatever language is
                # active then: a lazy text is put into words here, in the command's language.
                error.args = tuple(str(arg) if isinstance(arg, Promise) else arg for arg in error.args)
                raise
