"""Policies from their names or configs (`get`, `serialize`, `deserialize`) and the global policy."""

from __future__ import annotations

from kerasx.dtype_policies import _dtype_policy
from kerasx.dtype_policies._dtype_policy import (
    AWQDTypePolicy,
    DTypePolicy,
    GPTQDTypePolicy,
    Int4DTypePolicy,
    QuantizedDTypePolicy,
    QuantizedFloat8DTypePolicy,
)
from kerasx.serialization import _registry

BAD_IDENTIFIER = (
    "Cannot interpret `dtype` argument. Expected a string (a dtype or policy name such as 'mixed_float16'), a "
    "DTypePolicy or its config. Received: dtype={value!r} ({type})."
)
BAD_GLOBAL_POLICY = (
    "Invalid `policy` argument. Expected the string name of a policy (such as 'mixed_float16') or a `DTypePolicy` "
    "instance. Received: policy={value!r} ({type})."
)
BAD_CONFIG = (
    "Cannot deserialize a dtype policy from {config!r}: expected {{'class_name': <a DTypePolicy class>, "
    "'config': {{...}}}} as `kerasx.dtype_policies.serialize` writes it."
)

# Keras 3 writes the float policy under the module "keras", the others under "keras.dtype_policies".
_KERAS_MODULES = {"DTypePolicy": "keras", "FloatDTypePolicy": "keras"}


def _quantized_from_name(name: str) -> DTypePolicy:
    """The policy of a name "<mode>_from_<source>": the class follows the mode's form."""
    mode, _, source = name.partition("_from_")
    if mode.startswith("int4/"):
        return Int4DTypePolicy(mode, source)
    if mode.startswith("gptq/"):
        return GPTQDTypePolicy(mode, source)
    if mode.startswith("awq/"):
        return AWQDTypePolicy(mode, source)
    if mode == "float8":
        return QuantizedFloat8DTypePolicy(mode, source)
    return QuantizedDTypePolicy(mode, source)


def get(identifier) -> DTypePolicy:
    """The policy an identifier names: a policy (returned as is), its name, its config, or None (the global policy).

    Args:
        identifier: "mixed_float16", "float32", "int8_from_float32", ..., a `DTypePolicy`, a serialized policy, or
            None.

    Example:
        >>> import kerasx
        >>> kerasx.dtype_policies.get("mixed_float16")
        <DTypePolicy "mixed_float16">
        >>> kerasx.dtype_policies.get("int8_from_mixed_bfloat16")
        <QuantizedDTypePolicy "int8_from_mixed_bfloat16">
    """
    if identifier is None:
        return dtype_policy()
    if isinstance(identifier, DTypePolicy):
        return identifier
    if isinstance(identifier, dict):
        return deserialize(identifier)
    if isinstance(identifier, str):
        if "_from_" in identifier:
            return _quantized_from_name(identifier)
        return DTypePolicy(identifier)
    raise ValueError(BAD_IDENTIFIER.format(value=identifier, type=type(identifier).__name__))


def serialize(dtype_policy: DTypePolicy) -> dict:
    """A policy's config as Keras 3 writes it (`module`, `class_name`, `config`, `registered_name`).

    Example:
        >>> import kerasx
        >>> kerasx.dtype_policies.serialize(kerasx.dtype_policies.DTypePolicy("mixed_bfloat16"))
        {'module': 'keras', 'class_name': 'DTypePolicy', 'config': {'name': 'mixed_bfloat16'}, 'registered_name': None}
    """
    name = type(dtype_policy).__name__
    return {
        "module": _KERAS_MODULES.get(name, "keras.dtype_policies"),
        "class_name": name,
        "config": dtype_policy.get_config(),
        "registered_name": None,
    }


def deserialize(config: dict, custom_objects: dict | None = None) -> DTypePolicy:
    """The policy a config (from `serialize`, or `{"class_name", "config"}`) describes.

    Example:
        >>> import kerasx
        >>> kerasx.dtype_policies.deserialize({"class_name": "DTypePolicy", "config": {"name": "mixed_float16"}})
        <DTypePolicy "mixed_float16">
    """
    name = config.get("class_name") if isinstance(config, dict) else None
    cls = _registry.get_registered_object(name, custom_objects) if isinstance(name, str) else None
    if not (isinstance(cls, type) and issubclass(cls, DTypePolicy)):
        raise ValueError(BAD_CONFIG.format(config=config))
    inner = dict(config.get("config") or {})
    if getattr(cls, "from_config", None) is not None and "policy_map" in inner:
        return cls.from_config(inner, custom_objects)  # pyright: ignore[reportCallIssue] - DTypePolicyMap's
    return cls.from_config(inner)


def dtype_policy() -> DTypePolicy:
    """The policy new layers take when given no `dtype`: the one `set_dtype_policy` set, else `floatx()`'s.

    Example:
        >>> import kerasx
        >>> kerasx.config.dtype_policy()
        <DTypePolicy "float32">
    """
    policy = _dtype_policy.GLOBAL_POLICY[0]
    return DTypePolicy(_dtype_policy.floatx()) if policy is None else policy


def set_dtype_policy(policy) -> None:
    """Sets the policy of every layer created from now on without a `dtype` (`kerasx.mixed_precision`'s
    `set_global_policy`).

    Args:
        policy: a policy name ("mixed_float16", "mixed_bfloat16", "float32", ...) or a `DTypePolicy`.

    Example:
        >>> import kerasx
        >>> kerasx.config.set_dtype_policy("mixed_bfloat16")
        >>> kerasx.layers.Dense(2).compute_dtype
        'bfloat16'
        >>> kerasx.config.set_dtype_policy("float32")
    """
    if isinstance(policy, str):
        policy = get(policy)
    if not isinstance(policy, DTypePolicy):
        raise ValueError(BAD_GLOBAL_POLICY.format(value=policy, type=type(policy).__name__))
    _dtype_policy.GLOBAL_POLICY[0] = policy
