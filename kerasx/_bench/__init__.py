"""`python -m kerasx bench`: the command line (`main`) of `kerasx.utils.benchmark`, and what runs inside each
engine's process: the worker (`_worker`), the step timer attached to `fit` (`_timing`) and the saved-model workload
(`_saved_model`). The worker runs programs through `_keras_alias`, so this package sits above it, and the driver,
which `kerasx.utils` exports, lives in `kerasx/utils/_benchmark.py`.
"""

from kerasx._bench._cli import main

__all__ = ["main"]
