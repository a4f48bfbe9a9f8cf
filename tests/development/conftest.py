"""The professional-development tests use the mentor-pool tests' people and helpers: training
is recorded by people who apply to the pool and by the coordinators who admit them."""

from __future__ import annotations

from tests.pool.conftest import ana, coordinator, signed_in

__all__ = ["ana", "coordinator", "signed_in"]
