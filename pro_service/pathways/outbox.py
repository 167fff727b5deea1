"""The outbox: messages are written in the transaction that caused them and delivered later.

A failed delivery is retried on the next run; a delivered message's body
(which holds an invitation link) is erased.
"""
from __future__ import annotations

import logging
import smtplib
from dataclasses import dataclass
from email.message import EmailMessage
from collections.abc import Collection
from pathlib import Path
from typing import Protocol

from sqlmodel import select

from pro_service import db
from pro_service.pathways.contact import valid_recipient
from pro_service.pathways.models import OutboxMessage
from pro_service.types import utcnow

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 5


class Backend(Protocol):
    def deliver(self, message: OutboxMessage) -> None: ...


class InvalidRecipient(ValueError):
    """An address or number that is not one (a line break, no '@'): never handed to a mail server or gateway."""


def queue_message(*, channel: str, recipient: str, subject: str, body: str,
                  invitation_id: str | None = None) -> OutboxMessage:
    if not valid_recipient(channel, recipient):
        raise InvalidRecipient(f"not a valid {channel} recipient")
    message = OutboxMessage(channel=channel, recipient=recipient, subject=subject, body=body,
                            invitation_id=invitation_id)
    db.session().add(message)
    db.session().flush()
    return message


@dataclass(frozen=True)
class DeliveryReport:
    sent: int
    failed: int
    failed_ids: tuple[str, ...] = ()


def deliver_pending(*, backends: dict[str, Backend], limit: int = 500, skip: Collection[str] = ()) -> DeliveryReport:
    """Send what is queued through the backend of each message's channel; `skip` names messages to pass over.

    The messages are claimed (FOR UPDATE SKIP LOCKED on PostgreSQL) until the
    caller's transaction ends: a second worker sending at the same time takes
    other messages, never these.
    """
    session = db.session()
    query = (
        select(OutboxMessage)
        .where(OutboxMessage.sent_at.is_(None), OutboxMessage.attempts < MAX_ATTEMPTS)
        .order_by(OutboxMessage.created_at)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    if skip:
        query = query.where(OutboxMessage.id.not_in(skip))
    pending = session.exec(query).all()
    sent = failed = 0
    failed_ids = []
    for message in pending:
        message.attempts += 1
        try:
            backends[message.channel].deliver(message)
        except Exception as exc:  # a bad address or a down server must not stop the others
            failed += 1
            failed_ids.append(message.id)
            message.last_error = type(exc).__name__
            # The id only: recipients and bodies are personal data and stay out of the log.
            log.warning("outbox message %s not delivered (%s)", message.id, type(exc).__name__)
            continue
        message.sent_at = utcnow()
        message.body = None
        sent += 1
    session.flush()
    return DeliveryReport(sent=sent, failed=failed, failed_ids=tuple(failed_ids))


class FileBackend:
    """Development and test delivery: one file per message in a folder (instance/outbox/)."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def deliver(self, message: OutboxMessage) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        path = self.directory / f"{message.created_at:%Y%m%dT%H%M%S}-{message.channel}-{message.id}.txt"
        path.write_text(f"To: {message.recipient}\nSubject: {message.subject}\n\n{message.body}\n", encoding="utf-8")


class SmtpBackend:
    def __init__(self, *, host: str, port: int, username: str | None, password: str | None,
                 starttls: bool, sender: str) -> None:
        self.host, self.port, self.username, self.password = host, port, username, password
        self.starttls, self.sender = starttls, sender

    def deliver(self, message: OutboxMessage) -> None:
        email = EmailMessage()
        email["From"], email["To"], email["Subject"] = self.sender, message.recipient, message.subject
        email.set_content(message.body or "")
        with smtplib.SMTP(self.host, self.port, timeout=30) as smtp:
            if self.starttls:
                smtp.starttls()
            if self.username:
                smtp.login(self.username, self.password or "")
            smtp.send_message(email)


def backends_from_settings(settings) -> dict[str, Backend]:
    """SMTP when configured, else files; SMS goes to files until an SMS gateway is configured."""
    files = FileBackend(settings.instance_dir / "outbox")
    email: Backend = files
    if settings.smtp_host:
        email = SmtpBackend(host=settings.smtp_host, port=settings.smtp_port, username=settings.smtp_username,
                            password=settings.smtp_password, starttls=settings.smtp_starttls,
                            sender=settings.mail_from)
    return {"email": email, "sms": files}
