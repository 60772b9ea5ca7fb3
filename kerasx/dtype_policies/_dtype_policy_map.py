"""`DTypePolicyMap`: one dtype policy per layer, keyed by layer path (a regular expression), with a default."""

from __future__ import annotations

import re
from collections.abc import Iterator, MutableMapping

from kerasx.dtype_policies import _get
from kerasx.dtype_policies._dtype_policy import DTypePolicy
from kerasx.serialization import _registry

DUPLICATE_KEY = (
    "Key {key!r} already exists in the DTypePolicyMap with value {value!r}. Received: a second policy for it. "
    "Delete the entry first (`del policy_map[{key!r}]`) to replace it."
)
AMBIGUOUS_KEY = (
    "Path {key!r} matches several patterns of the DTypePolicyMap: {matches}. Make the patterns exclusive, or add "
    "the exact path as a key."
)
BAD_POLICY_MAP = "`policy_map` of DTypePolicyMap must be a dict of path -> policy. Received: policy_map={value!r}."


@_registry.builtin
class DTypePolicyMap(DTypePolicy, MutableMapping):
    """Dtype policies by layer path, for models whose layers use different policies.

    A key is a layer path or a regular expression matching whole paths; a lookup tries the exact path first, then
    the patterns, and falls back to `default_policy`. Given as a layer's `dtype`, the layer takes the policy of its
    own path (its name).

    Args:
        default_policy: policy (or name) for paths no key matches; default the global policy when the map is
            made. Without one, the config leaves the float policy of each entry out (as Keras 3's does): a map
            read back from it gives its entries the global policy of the time it is read (a quantized entry keeps
            its mode).
        policy_map: initial `{path: policy}` entries.

    Example:
        >>> import kerasx
        >>> policies = kerasx.dtype_policies.DTypePolicyMap(default_policy="float32")
        >>> policies["encoder/.*"] = "mixed_bfloat16"
        >>> policies["encoder/dense"].name, policies["decoder/dense"].name
        ('mixed_bfloat16', 'float32')
    """

    def __init__(self, default_policy=None, policy_map: dict | None = None):
        if policy_map is not None and not isinstance(policy_map, dict):
            raise TypeError(BAD_POLICY_MAP.format(value=policy_map))
        self._default_policy_arg = default_policy
        self._default_policy = _get.get(default_policy)
        super().__init__(self._default_policy.name)
        self._name = f"map_{self._default_policy.name}"
        self._compute_dtype = self._default_policy.compute_dtype
        self._variable_dtype = self._default_policy.variable_dtype
        self._quantization_mode = self._default_policy.quantization_mode
        self._policy_map: dict = {}
        for key, policy in (policy_map or {}).items():
            self[key] = policy

    @property
    def default_policy(self) -> DTypePolicy:
        return self._default_policy

    def __getitem__(self, key: str) -> DTypePolicy:
        if key in self._policy_map:
            return self._policy_map[key]
        matches = [pattern for pattern in self._policy_map if re.fullmatch(pattern, key)]
        if len(matches) > 1:
            raise ValueError(AMBIGUOUS_KEY.format(key=key, matches=matches))
        return self._policy_map[matches[0]] if matches else self._default_policy

    def __setitem__(self, key: str, policy) -> None:
        if key in self._policy_map:
            raise ValueError(DUPLICATE_KEY.format(key=key, value=self._policy_map[key]))
        self._policy_map[key] = _get.get(policy)

    def __delitem__(self, key: str) -> None:
        del self._policy_map[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._policy_map)

    def __len__(self) -> int:
        return len(self._policy_map)

    def __contains__(self, key) -> bool:
        return key in self._policy_map

    def get_config(self) -> dict:
        default = self._default_policy_arg
        if isinstance(default, DTypePolicy):
            default = default.name
        policy_map = {key: _get.serialize(policy) for key, policy in self._policy_map.items()}
        if default is None:
            # Keras 3 writes a map without a default policy with its entries' float policies left out (names None),
            # so that a loaded map takes the global policy of the process that loads it; a quantized entry keeps its
            # mode. The entries here keep their names; only the config leaves them out.
            for entry in policy_map.values():
                inner = entry["config"] = dict(entry["config"])
                inner["source_name" if "source_name" in inner else "name"] = None
        return {"default_policy": default, "policy_map": policy_map}

    @classmethod
    def from_config(cls, config: dict, custom_objects=None):
        config = dict(config)
        entries = config.pop("policy_map", None) or {}
        policy_map = {key: _get.deserialize(value, custom_objects) for key, value in entries.items()}
        return cls(policy_map=policy_map, **config)

    # Mutable, so equal by content and unhashable, as a dict is.
    def __eq__(self, other):
        return isinstance(other, DTypePolicyMap) and self.get_config() == other.get_config()

    __hash__ = None  # pyright: ignore[reportAssignmentType]

    def __repr__(self):
        mapping = [(key, policy.name) for key, policy in self._policy_map.items()]
        return f"<DTypePolicyMap default_policy={self._default_policy.name}, mapping={mapping}>"
