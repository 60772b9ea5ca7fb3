"""NumPy backend: one CPU device, so layouts over one device are accepted and anything larger is refused."""

from __future__ import annotations

ONE_DEVICE_ONLY = (
    "The numpy backend runs on one device, but the layout's mesh has {count} devices "
    "(shape={shape}, axis_names={names}). Received: devices={devices}. Distribute with KERAS_BACKEND=jax, torch "
    "or tensorflow, or use a mesh of one device."
)
NO_MULTI_PROCESS = (
    "The numpy backend cannot join a multi-process run. Received: job_addresses={job_addresses}, "
    "num_processes={num_processes}, process_id={process_id}. Use KERAS_BACKEND=jax, torch or tensorflow."
)


def list_devices(device_type=None):
    if device_type is not None and device_type.lower() != "cpu":
        return []
    return ["cpu:0"]


def _check_one_device(layout):
    mesh = layout.device_mesh
    devices = list(mesh.devices)
    if len(devices) > 1:
        raise ValueError(
            ONE_DEVICE_ONLY.format(count=len(devices), shape=mesh.shape, names=mesh.axis_names, devices=devices)
        )


def distribute_variable(value, layout):
    _check_one_device(layout)
    return value


def distribute_data(value, layout):
    _check_one_device(layout)
    return value


def initialize(job_addresses=None, num_processes=None, process_id=None):
    if (num_processes or 1) > 1:
        raise ValueError(
            NO_MULTI_PROCESS.format(job_addresses=job_addresses, num_processes=num_processes, process_id=process_id)
        )


def num_processes():
    return 1


def process_id():
    return 0
