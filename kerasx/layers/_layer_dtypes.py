"""The dtype half of `Layer`: its dtype policy, the variable and compute dtypes it gives, and the autocast scope a
mixed-precision layer's `call` runs in."""

from __future__ import annotations

import contextlib

from kerasx import dtype_policies
from kerasx.backend import _autocast, is_float, standardize_dtype

_NO_SCOPE = contextlib.nullcontext()


def layer_dtype_policy(dtype) -> dtype_policies.DTypePolicy:
    """The policy of a layer's `dtype` argument: None (the global policy), a policy, its name or config (Keras 3
    writes a layer's dtype as `{"class_name": "DTypePolicy", "config": {"name": ...}}`), or any dtype object."""
    if dtype is None or isinstance(dtype, (str, dict, dtype_policies.DTypePolicy)):
        return dtype_policies.get(dtype)
    return dtype_policies.DTypePolicy(standardize_dtype(dtype))


class LayerDTypesMixin:
    """Dtypes of a layer. Expects `name`, `autocast` and `_dtype_policy` (set by `Layer.__init__`)."""

    name: str
    autocast: bool
    _dtype_policy: dtype_policies.DTypePolicy

    @property
    def dtype_policy(self) -> dtype_policies.DTypePolicy:
        """The layer's dtype policy (its own entry when it was given a `DTypePolicyMap`; the quantized policy once
        it is quantized)."""
        policy = self._dtype_policy
        if isinstance(policy, dtype_policies.DTypePolicyMap):
            return policy[self.name]
        quantized = self.__dict__.get("_quantization_policy")
        return policy if quantized is None else quantized

    @dtype_policy.setter
    def dtype_policy(self, value) -> None:
        object.__setattr__(self, "_dtype_policy", layer_dtype_policy(value))

    @property
    def dtype(self) -> str:
        """dtype of the layer's weights (the policy's `variable_dtype`)."""
        return self.dtype_policy.variable_dtype

    @property
    def variable_dtype(self) -> str:
        """dtype the layer's weights are stored in."""
        return self.dtype_policy.variable_dtype

    @property
    def compute_dtype(self) -> str:
        """dtype the layer computes in: its float inputs are cast to it."""
        return self.dtype_policy.compute_dtype

    def _autocast_scope(self):
        """The scope in which `call` reads float variables in the compute dtype (mixed precision), or in their own
        dtype when an outer mixed layer's scope is open."""
        policy = self.dtype_policy
        compute = policy.compute_dtype
        wanted = compute if self.autocast and compute != policy.variable_dtype and is_float(compute) else None
        return _NO_SCOPE if wanted == _autocast.current_dtype() else _autocast.AutocastScope(wanted)

    def _dtype_config(self) -> dict:
        """The dtype as Keras 3.15 writes it in a layer config: the serialized policy, a plain dtype included
        (`{"module": "keras", "class_name": "DTypePolicy", "config": {"name": "float32"}, ...}`). A plain dtype
        name is still read (`layer_dtype_policy`), as older Keras 3 files hold one."""
        return dtype_policies.serialize(self._dtype_policy)
