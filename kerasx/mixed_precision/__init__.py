"""Mixed precision, as `keras.mixed_precision` has it: the dtype policies under their older names and the loss
scaling optimizer that keeps float16 gradients from underflowing.

Example:
    >>> import kerasx
    >>> kerasx.mixed_precision.set_global_policy("mixed_float16")
    >>> kerasx.mixed_precision.global_policy()
    <DTypePolicy "mixed_float16">
    >>> kerasx.mixed_precision.set_global_policy("float32")
"""

from kerasx import _missing
from kerasx.dtype_policies import DTypePolicy
from kerasx.dtype_policies._get import dtype_policy, set_dtype_policy
from kerasx.optimizers import LossScaleOptimizer

Policy = DTypePolicy
global_policy = dtype_policy
set_global_policy = set_dtype_policy

__all__ = [
    "DTypePolicy",
    "LossScaleOptimizer",
    "Policy",
    "dtype_policy",
    "global_policy",
    "set_dtype_policy",
    "set_global_policy",
]

__getattr__ = _missing.missing_name_hook(__name__)
