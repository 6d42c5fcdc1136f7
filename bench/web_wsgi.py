"""The application exactly as zhifa.wsgi serves it, with the platform's clock at the moment
bench_web's data describes (as the sequential run sets it): otherwise every running limit of the
generated cases would be long overdue and the inbox would show another workload."""

from __future__ import annotations

from bench.bench_web import NOW
from zhifa import clock
from zhifa.wsgi import application

clock.set_now(NOW)

__all__ = ["application"]
