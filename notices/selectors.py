from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from notices.models import Notice, NoticeSetting
from orgs.models import User

MAX_ID = 2**63 - 1


def notices_for(user: User) -> QuerySet[Notice]:
    """The user's own notices, newest first; nobody reads another's."""
    if not user.is_authenticated or not user.is_active:
        return Notice.objects.none()
    return Notice.objects.filter(user_id=user.pk).order_by("-created_at", "-id")


def notice_for(user: User, notice_id: int) -> Notice:
    """The one access function for a notice: another user's (or none) is 404."""
    if not isinstance(notice_id, int) or not 0 < notice_id <= MAX_ID:
        raise Http404("提醒不存在")
    try:
        return notices_for(user).get(pk=notice_id)
    except (Notice.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404("提醒不存在") from None


def unread_count(user: User) -> int:
    return notices_for(user).filter(read_at__isnull=True).count()


def sms_kinds_of(user: User) -> list[str]:
    row = NoticeSetting.objects.filter(user_id=user.pk).values_list("sms_kinds", flat=True).first()
    return [k for k in (row or []) if k in Notice.Kind.values]
