"""Contract of `kerasx/backend/<engine>/distribution.py`: devices, placement by layout, multi-process setup.

A `layout` here is duck-typed (the backend never imports `kerasx.distribution`): it has `axes` (one mesh axis
name or None per tensor dimension) and `device_mesh` with `shape`, `axis_names` and `devices` (strings such as
"cpu:0", as `list_devices` returns them).
"""

from __future__ import annotations

from typing import Any, Protocol


class DistributionContract(Protocol):
    def list_devices(self, device_type=None) -> list:
        """Devices of this engine as lower-case strings "<type>:<id>", all processes included; `device_type`
        ("cpu", "gpu", "tpu") filters them, None means the engine's default kind."""
        ...

    def distribute_variable(self, value, layout) -> Any:
        """A native tensor with the value of `value` placed on the mesh as `layout` says (sharded or replicated).
        Engines that cannot shard raise a ValueError that says what to use instead."""

    def distribute_data(self, value, layout) -> Any:
        """The part of a global batch tensor `value` that this process's step consumes, placed per `layout`
        (the batch dimension split along the mesh's batch axis): JAX a global sharded array, torch this rank's
        slice, TensorFlow the value itself (its strategy splits it)."""

    def initialize(self, job_addresses=None, num_processes=None, process_id=None) -> None:
        """Joins a multi-process run through the engine's own runtime (coordinator address first in
        `job_addresses`, a comma-separated string or list). Arguments default to the launcher's environment."""

    def num_processes(self) -> int:
        """How many processes take part (1 without `initialize`)."""
        ...

    def process_id(self) -> int:
        """This process's index, 0 on the coordinator."""
        ...
