"""Pluggable mailer: the development mailer writes each mail to the log; SMTP for production."""

import asyncio
import logging
import smtplib
from dataclasses import dataclass
from email.message import EmailMessage
from typing import Protocol

from app.core.config import Settings

log = logging.getLogger("techx.mail")


@dataclass(frozen=True)
class Mail:
    to: str
    subject: str
    body: str


class Mailer(Protocol):
    async def send(self, mail: Mail) -> None: ...


class LogMailer:
    """Writes mails to the log (and keeps them, so tests and developers can read them)."""

    def __init__(self) -> None:
        self.sent: list[Mail] = []

    async def send(self, mail: Mail) -> None:
        self.sent.append(mail)
        log.info("mail", extra={"to": mail.to, "subject": mail.subject, "body": mail.body})


class SmtpMailer:
    def __init__(self, settings: Settings) -> None:
        self.host, self.port, self.sender = (
            settings.smtp_host,
            settings.smtp_port,
            settings.smtp_from,
        )

    async def send(self, mail: Mail) -> None:
        message = EmailMessage()
        message["From"], message["To"], message["Subject"] = self.sender, mail.to, mail.subject
        message.set_content(mail.body)
        await asyncio.to_thread(self._send, message)

    def _send(self, message: EmailMessage) -> None:
        with smtplib.SMTP(self.host, self.port, timeout=10) as smtp:
            smtp.send_message(message)


_mailers: dict[int, Mailer] = {}


def get_mailer(settings: Settings) -> Mailer:
    """One mailer per Settings object (tests get their own LogMailer to inspect)."""
    key = id(settings)
    if key not in _mailers:
        _mailers[key] = SmtpMailer(settings) if settings.mailer == "smtp" else LogMailer()
    return _mailers[key]


async def send_quietly(mailer: Mailer, mail: Mail) -> None:
    """Mail is best effort after commit: a failing SMTP server must not fail the user's action."""
    try:
        await mailer.send(mail)
    except Exception:  # logged and dropped; the in-app notification is the durable record
        log.exception("mail delivery failed", extra={"to": mail.to})
