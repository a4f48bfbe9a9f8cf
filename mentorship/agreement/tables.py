"""Published versions of the peer-assistance agreement."""

from piccolo.columns import JSON, ForeignKey, Integer, Serial, Text, Timestamptz
from piccolo.columns.base import OnDelete
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from mentorship.accounts.tables import Account


class AgreementVersion(Table):
    """One published version; the highest version number is the one in force."""

    id: Serial

    version = Integer(unique=True, help_text="1, 2, 3, … in order of publication.")
    terms = JSON(help_text="The terms, as validated by mentorship.agreement.terms.")
    summary = Text(default="", help_text="What changed, in the publisher's words.")
    published_at = Timestamptz(default=TimestamptzNow())
    published_by = ForeignKey(
        references=Account, on_delete=OnDelete.set_null, null=True, default=None
    )
