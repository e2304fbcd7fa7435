"""The email digest: each member with unread notifications not yet emailed gets one email
(plain text and HTML) listing them, at most once per day or week as they chose (`Member.digest`).

A member is claimed with a conditional UPDATE of `last_digest_at` before the email is sent, so
two runs at the same time never send the same digest twice. The notifications it lists are then
marked `emailed_at`, so no later digest repeats one. If sending fails, the claim is given back
and the next run tries again.
"""

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, mailers
from django.db.models import Exists, OuterRef, Q
from django.template.loader import render_to_string
from django.utils import timezone

from townsquare.community.models import DigestFrequency, Member, Notification

logger = logging.getLogger("townsquare.community.digest")

# A little less than a day or a week, so an hourly check does not drift a digest later each time.
INTERVALS = {
    DigestFrequency.DAILY: timedelta(days=1) - timedelta(minutes=30),
    DigestFrequency.WEEKLY: timedelta(days=7) - timedelta(minutes=30),
}
MAX_LISTED = 50
MAX_COUNTED = 10_000


@dataclass
class DigestReport:
    sent: int = 0
    notifications: int = 0
    failed: int = 0


def pending(user_id: int):
    return Notification.objects.filter(user_id=user_id, read_at__isnull=True, emailed_at__isnull=True)


def due_members(frequency: str, now: datetime):
    has_pending = Exists(
        Notification.objects.filter(
            user_id=OuterRef("user_id"), read_at__isnull=True, emailed_at__isnull=True
        )
    )
    last_before = now - INTERVALS[frequency]
    return (
        Member.objects.filter(digest=frequency, user__is_active=True)
        .exclude(user__email="")
        .filter(Q(last_digest_at__isnull=True) | Q(last_digest_at__lte=last_before))
        .filter(has_pending)
        .select_related("user")
        .order_by("pk")
    )


def site_url() -> str:
    return settings.SITE_URL.rstrip("/")


def topic_url(notification: Notification) -> str:
    if notification.topic_id is None:
        return f"{site_url()}/community/notifications/"
    anchor = f"#post-{notification.post_id}" if notification.post_id else ""
    return f"{site_url()}/community/t/{notification.topic_id}/{anchor}"


def build_email(member: Member, notifications: list[Notification], total: int) -> EmailMultiAlternatives:
    context = {
        "member": member,
        "items": [(n, topic_url(n)) for n in notifications],
        "total": total,
        "more": total - len(notifications),
        "notifications_url": f"{site_url()}/community/notifications/",
        "frequency": member.get_digest_display().lower(),
    }
    subject = f"{total} new in the community" if total != 1 else "1 new in the community"
    text = render_to_string("community/notify/digest.txt", context)
    html = render_to_string("community/notify/digest.html", context)
    email = EmailMultiAlternatives(subject, text, settings.DEFAULT_FROM_EMAIL, [member.user.email])
    email.attach_alternative(html, "text/html")
    return email


def send_digest(member: Member, now: datetime, mailer) -> int:
    """Claim, send and mark one member's digest; returns how many notifications it covered (0: none sent)."""
    previous = member.last_digest_at
    claim = Member.objects.filter(pk=member.pk)
    claim = claim.filter(last_digest_at=previous) if previous else claim.filter(last_digest_at__isnull=True)
    if not claim.update(last_digest_at=now):
        return 0  # another run took this member
    rows = pending(member.user_id).filter(created_at__lte=now).order_by("-created_at", "-id")
    # Everything pending goes in this digest, also what does not fit in its list (it says how many).
    ids = list(rows.values_list("pk", flat=True)[:MAX_COUNTED])
    listed = list(rows.select_related("topic")[:MAX_LISTED])
    if not listed:
        Member.objects.filter(pk=member.pk, last_digest_at=now).update(last_digest_at=previous)
        return 0
    try:
        mailer.open()  # once per run: when it is already open this does nothing
        if mailer.send_messages([build_email(member, listed, len(ids))]) != 1:
            raise RuntimeError("the mail backend did not send the digest")
    except Exception:
        Member.objects.filter(pk=member.pk, last_digest_at=now).update(last_digest_at=previous)
        mailer.close()  # a broken connection is not reused: the next digest dials again
        raise
    Notification.objects.filter(pk__in=ids).update(emailed_at=now)
    return len(ids)


def send_digests(frequency: str | None = None, now: datetime | None = None) -> DigestReport:
    """Send every due digest of `frequency` (daily or weekly; both when None)."""
    now = now or timezone.now()
    frequencies = [frequency] if frequency else list(INTERVALS)
    report = DigestReport()
    # Opened at the first digest that is due: an hour with nothing to send never dials the mail server.
    mailer = mailers.default
    try:
        for each in frequencies:
            for member in due_members(each, now).iterator(chunk_size=200):
                try:
                    count = send_digest(member, now, mailer)
                except Exception:
                    logger.exception("community digest for member %s failed", member.pk)
                    report.failed += 1
                    continue
                if count:
                    report.sent += 1
                    report.notifications += count
    finally:
        mailer.close()
    return report
