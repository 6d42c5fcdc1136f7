from __future__ import annotations

from django.db.models import QuerySet

from outbox.models import OutboxMessage


def messages_for_streams(streams: list[str]) -> QuerySet[OutboxMessage]:
    """The messages of the given records (callers have already checked access to them)."""
    return OutboxMessage.objects.filter(stream__in=streams).order_by("created_at", "id")


def failing_messages(streams_prefix: str) -> QuerySet[OutboxMessage]:
    """Messages of one area that failed at least once and are not sent yet."""
    return OutboxMessage.objects.filter(
        stream__startswith=streams_prefix,
        status__in=[OutboxMessage.Status.PENDING, OutboxMessage.Status.DEAD],
        attempts__gt=0,
    ).order_by("-next_attempt_at")
