from __future__ import annotations

from ninja import Router

router = Router(tags=["执法监督"])
