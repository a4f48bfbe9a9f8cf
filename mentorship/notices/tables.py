"""The outbox: one row per recipient and message (it is also the person's in-app notice),
the log of every delivery attempt, each person's preferences, and the worker's job runs."""

from piccolo.columns import JSON, ForeignKey, Integer, Serial, Timestamptz, Varchar
from piccolo.columns.base import OnDelete
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from mentorship.accounts.tables import Account
from mentorship.notices.kinds import Category, Delivery
from mentorship.notices.states import MailState


class Notice(Table):
    """One message to one person: shown in the app at once, and mailed by the worker.

    Written in the same transaction as the change it tells about (so a rolled-back change
    tells nothing); its parameters are the allow-listed context (names, dates, states, ids,
    counts), never free text; subject and body are worded when sent or shown.
    """

    id: Serial

    recipient = ForeignKey(references=Account, on_delete=OnDelete.cascade, null=False, index=True)
    kind = Varchar(length=60, help_text="Which kind of notice (mentorship/notices/kinds.py).")
    category = Varchar(length=30, choices=Category)
    params = JSON(default="{}", help_text="The allow-listed context the wording is filled from.")
    link = Varchar(length=300, help_text="The page that acts on it (a path in the service).")
    created_at = Timestamptz(default=TimestamptzNow())
    read_at = Timestamptz(
        null=True, default=None, help_text="When the person opened it or marked it read."
    )
    # --- the mail ---
    message_key = Varchar(length=40, unique=True, help_text="Stable Message-ID's local part.")
    mail_state = Varchar(length=12, choices=MailState, index=True)
    attempts = Integer(default=0, help_text="Delivery attempts claimed so far.")
    next_attempt_at = Timestamptz(default=TimestamptzNow(), index=True)
    locked_until = Timestamptz(
        null=True, default=None, help_text="A worker's lease: nobody else sends it before then."
    )
    lease = Varchar(length=32, null=True, default=None, help_text="Which claim holds the lease.")
    sent_at = Timestamptz(null=True, default=None, help_text="When the SMTP server accepted it.")
    last_error = Varchar(length=300, null=True, default=None, help_text="The server's answer.")
    digest = Integer(
        null=True, default=None, help_text="The digest notice that carried this one's mail."
    )


class DeliveryAttempt(Table):
    """One attempt to deliver a notice's mail, and how it ended (the delivery log)."""

    id: Serial

    notice = ForeignKey(references=Notice, on_delete=OnDelete.cascade, null=False, index=True)
    attempted_at = Timestamptz(default=TimestamptzNow())
    outcome = Varchar(length=12, help_text="sent, retry, failed, skipped or held.")
    detail = Varchar(length=300, default="", help_text="The SMTP answer or why it was skipped.")


class NoticePreference(Table):
    """How one person wants one category's mail; no row means right away. (account,
    category) is unique (index in the first migration)."""

    id: Serial

    account = ForeignKey(references=Account, on_delete=OnDelete.cascade, null=False, index=True)
    category = Varchar(length=30, choices=Category)
    delivery = Varchar(length=12, choices=Delivery)


class WorkerRun(Table):
    """The worker's last start and last success of each job (the admin home shows them)."""

    id: Serial

    job = Varchar(length=40, unique=True)
    last_started_at = Timestamptz(null=True, default=None)
    last_success_at = Timestamptz(null=True, default=None)
    last_error = Varchar(length=300, null=True, default=None)
