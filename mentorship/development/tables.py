"""Everyone's training records: the professional-development record's own table."""

from piccolo.columns import Date, ForeignKey, Integer, Serial, Timestamptz, Varchar
from piccolo.columns.base import OnDelete
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from mentorship.accounts.tables import Account


class TrainingRecord(Table):
    """Training a person completed; only verified records count toward admission."""

    id: Serial

    account = ForeignKey(references=Account, on_delete=OnDelete.cascade, null=False, index=True)
    topic = Varchar(length=200)
    minutes = Integer(help_text="Length of the training in minutes (hours times 60).")
    completed_on = Date()
    provider = Varchar(length=200, default="")
    recorded_by = ForeignKey(references=Account, on_delete=OnDelete.set_null, null=True)
    recorded_at = Timestamptz(default=TimestamptzNow())
    verified_by = ForeignKey(references=Account, on_delete=OnDelete.set_null, null=True)
    verified_at = Timestamptz(null=True, default=None)
