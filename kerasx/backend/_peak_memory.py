"""Peak memory of this process: resident set size from the OS, device memory from the active engine's allocator.

Reads the engine from `sys.modules` and imports none: by the time a run is measured its engine is loaded, and a
measurement must not import one.
"""

from __future__ import annotations

import sys

try:
    import resource
except ImportError:  # Windows has no `resource`; the peak RSS is then unknown
    resource = None


def peak_rss_bytes() -> int | None:
    """The largest resident set size this process has had, in bytes (None where the OS does not say)."""
    if resource is None:
        return None
    kilobytes = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    # Linux reports kilobytes, macOS bytes.
    return int(kilobytes) if sys.platform == "darwin" else int(kilobytes) * 1024


def _torch_peak(torch) -> int | None:
    if not torch.cuda.is_available():
        return None
    return int(torch.cuda.max_memory_allocated())


def _jax_peak(jax) -> int | None:
    peaks = []
    for device in jax.devices():
        if device.platform == "cpu":
            continue
        stats = device.memory_stats() or {}
        if "peak_bytes_in_use" in stats:
            peaks.append(int(stats["peak_bytes_in_use"]))
    return max(peaks) if peaks else None


def _tensorflow_peak(tf) -> int | None:
    gpus = tf.config.list_logical_devices("GPU")
    if not gpus:
        return None
    return max(int(tf.config.experimental.get_memory_info(gpu.name)["peak"]) for gpu in gpus)


_READERS = {"torch": _torch_peak, "jax": _jax_peak, "tensorflow": _tensorflow_peak}


def peak_device_bytes(engine: str) -> int | None:
    """The largest accelerator memory `engine`'s allocator has held, in bytes; None on CPU-only runs, for the numpy
    engine, or when the engine is not loaded."""
    module = sys.modules.get(engine)
    reader = _READERS.get(engine)
    if module is None or reader is None:
        return None
    return reader(module)
