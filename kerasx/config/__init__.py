"""Process-wide settings, as `keras.config` has them: the backend, default dtypes and image layout, and the switches
for safe mode, traceback filtering, interactive logging, flash attention and debugging caps on training.

Settings are read from the environment and `$KERASX_HOME/kerasx.json` at import and changed at run time by the
setters here; the values themselves live in `kerasx.backend._config`, which every part of kerasx may read.
"""

from kerasx import _missing
from kerasx.backend import set_floatx
from kerasx.backend._config import (
    backend,
    epsilon,
    floatx,
    image_data_format,
    set_epsilon,
    set_image_data_format,
)
from kerasx.config._limits import max_epochs, max_steps_per_epoch, set_max_epochs, set_max_steps_per_epoch
from kerasx.config._set_backend import set_backend
from kerasx.config._switches import (
    disable_flash_attention,
    disable_interactive_logging,
    disable_traceback_filtering,
    enable_flash_attention,
    enable_interactive_logging,
    enable_traceback_filtering,
    enable_unsafe_deserialization,
    is_flash_attention_enabled,
    is_interactive_logging_enabled,
    is_nnx_enabled,
    is_traceback_filtering_enabled,
)
from kerasx.dtype_policies._get import dtype_policy, set_dtype_policy

__all__ = [
    "backend",
    "disable_flash_attention",
    "disable_interactive_logging",
    "disable_traceback_filtering",
    "dtype_policy",
    "enable_flash_attention",
    "enable_interactive_logging",
    "enable_traceback_filtering",
    "enable_unsafe_deserialization",
    "epsilon",
    "floatx",
    "image_data_format",
    "is_flash_attention_enabled",
    "is_interactive_logging_enabled",
    "is_nnx_enabled",
    "is_traceback_filtering_enabled",
    "max_epochs",
    "max_steps_per_epoch",
    "set_backend",
    "set_dtype_policy",
    "set_epsilon",
    "set_floatx",
    "set_image_data_format",
    "set_max_epochs",
    "set_max_steps_per_epoch",
]


# A name missing here raises an AttributeError that says whether Keras 3 has it (see `kerasx._missing`); Python
# calls a module's `__getattr__` only after the normal lookup failed, so existing names cost nothing more.
__getattr__ = _missing.missing_name_hook(__name__)
