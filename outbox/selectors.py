from __future__ import annotations

from collections.abc import Sequence

from django.db.models import QuerySet

from outbox.models import OutboxMessage


def messages_for_streams(streams: Sequence[str]) -> QuerySet[OutboxMessage]:
    """The messages of the given records; callers have already checked access to the records."""
    return OutboxMessage.objects.filter(stream__in=streams).order_by("created_at", "id")


def failing_for_streams(streams: Sequence[str]) -> QuerySet[OutboxMessage]:
    """Messages of the given records that failed at least once and are not sent (yet)."""
    return (
        OutboxMessage.objects.filter(stream__in=streams, attempts__gt=0)
        .exclude(status=OutboxMessage.Status.SENT)
        .order_by("-next_attempt_at")
    )
