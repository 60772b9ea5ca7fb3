"""The members of Keras 3's `Layer` about its state as files and graphs see it: the build config that rebuilds a
layer's variables before a load (`get_build_config`/`build_from_config`), the store its variables are saved to and
loaded from (`save_own_variables`/`load_own_variables`, which kerasx's weight files call when a layer overrides
them), and the small introspection members (`path`, `input_dtype`, `call_signature_parameters`, ...)."""

from __future__ import annotations

import inspect
from typing import Any

import numpy as np

from kerasx.layers import _remat_call

ADD_METRIC_REMOVED = (
    "Layer '{name}': `add_metric()` does not exist in Keras 3 (it was removed from tf.keras 2's API). Pass the "
    "metric to `Model.compile(metrics=[...])`, or create a `kerasx.metrics` object in `__init__`/`build` and call "
    "its `update_state()` in `call` or `train_step`."
)
NOT_QUANTIZABLE = (
    "Layer '{name}' ({cls}) cannot be quantized: only Dense, EinsumDense and Embedding (and ReversibleEmbedding) "
    "have quantized forms. `Model.quantize` skips the other layers; call `quantize` on those layers only."
)
STORE_COUNT = (
    "Layer '{name}' has {expected} variable(s) ({paths}), but the store it is loading from holds {received} "
    "({keys}). Was the layer built with the same input shape as the one that was saved? A layer that creates its "
    "variables in an unusual way should override `get_build_config()`/`build_from_config()`."
)
STORE_SHAPE = (
    "Layer '{name}': variable '{path}' has shape {expected}, but the store's entry '{key}' has shape {received}."
)


def overrides(obj, method: str) -> bool:
    """Whether `obj`'s class defines its own `method` instead of `Layer`'s default (a custom variable store or build
    config, which the file formats then call)."""
    own = getattr(type(obj), method, None)
    return own is not None and own is not getattr(LayerStateMixin, method, None)


class LayerStateMixin:
    """Build config, variable store and introspection members of `Layer` (expects the attributes `Layer` sets)."""

    name: str
    built: bool
    compute_dtype: str
    dtype_policy: Any
    _build_input_shape: Any

    def add_variable(self, shape, initializer, dtype=None, trainable=True, autocast=True, regularizer=None,
                     constraint=None, name=None):
        """Creates a variable owned by the layer: `add_weight` with `shape` and `initializer` first, as Keras 3's
        alias.

        Example:
            >>> import kerasx
            >>> layer = kerasx.layers.Layer(name="holder")
            >>> variable = layer.add_variable((2, 3), "ones", name="table")
            >>> variable.path, tuple(variable.shape), len(layer.weights)
            ('holder/table', (2, 3), 1)
        """
        return self.add_weight(  # pyright: ignore[reportAttributeAccessIssue] - `Layer` provides it
            shape=shape, initializer=initializer, dtype=dtype, trainable=trainable, autocast=autocast,
            regularizer=regularizer, constraint=constraint, name=name,
        )

    @property
    def path(self) -> str | None:
        """The layer's path, which prefixes its variables' paths: its name under the layers it was built in
        (`sequential/dense`) once built, None before (Keras 3).

        Example:
            >>> import kerasx
            >>> layer = kerasx.layers.Dense(2, name="head")
            >>> print(layer.path)
            None
            >>> layer.build((None, 3))
            >>> layer.path, layer.kernel.path
            ('head', 'head/kernel')
        """
        if not self.built:
            return None
        return self.__dict__.get("_path") or self.name

    @property
    def input_dtype(self) -> str:
        """The dtype float inputs are converted to before `call`: the compute dtype.

        Example:
            >>> import kerasx
            >>> kerasx.layers.Dense(2, dtype="mixed_float16").input_dtype
            'float16'
        """
        return self.compute_dtype

    @property
    def quantization_mode(self) -> str | None:
        """The quantization mode of the layer's dtype policy ("int8", ...), None for a float layer.

        Example:
            >>> import kerasx
            >>> print(kerasx.layers.Dropout(0.5).quantization_mode)
            None
        """
        return getattr(self.dtype_policy, "quantization_mode", None)

    @property
    def call_signature_parameters(self) -> list:
        """The names of the parameters of the layer's `call`.

        Example:
            >>> import kerasx
            >>> kerasx.layers.Dropout(0.5).call_signature_parameters
            ['inputs', 'training']
        """
        return list(inspect.signature(self.call).parameters)  # pyright: ignore[reportAttributeAccessIssue]

    def symbolic_call(self, *args, **kwargs):
        """The output specs (`KerasTensor`s) the layer gives for symbolic inputs, without recording a call in any
        graph: `compute_output_spec`.

        Example:
            >>> import kerasx
            >>> spec = kerasx.layers.Dense(4).symbolic_call(kerasx.KerasTensor((None, 3)))
            >>> spec.shape, spec.dtype
            ((None, 4), 'float32')
        """
        return self.compute_output_spec(*args, **kwargs)  # pyright: ignore[reportAttributeAccessIssue]

    def rematerialized_call(self, layer_call, *args, **kwargs):
        """`layer_call` (the layer's `call`), wrapped to recompute its activations in the backward pass as the
        `kerasx.RematScope` open when the layer was created says for these arguments; unchanged outside a scope.
        `__call__` applies it by itself.

        Example:
            >>> import kerasx
            >>> layer = kerasx.layers.Dense(2)
            >>> layer.rematerialized_call(layer.call) == layer.call
            True
        """
        if getattr(self, "_remat_mode", None) is None:
            return layer_call
        return _remat_call.rematerialized_call(self, args, kwargs, call=layer_call)

    def add_metric(self, *args, **kwargs):
        """Refused, as in Keras 3 (a tf.keras 2 method): raises `NotImplementedError` saying what to do instead.

        Example:
            >>> import kerasx
            >>> try:
            ...     kerasx.layers.Dense(2, name="head").add_metric(1.0)
            ... except NotImplementedError as error:
            ...     print(str(error)[:48])
            Layer 'head': `add_metric()` does not exist in K
        """
        # Keras 3 raises NotImplementedError here; code written for it may catch that type.
        raise NotImplementedError(ADD_METRIC_REMOVED.format(name=self.name))

    def quantize(self, mode=None, type_check=True, config=None) -> None:
        """Refuses, for a layer kind without a quantized form (Dense, EinsumDense and Embedding have one), with
        `NotImplementedError` as Keras 3 does (`Model.quantize` skips such layers).

        Example:
            >>> import kerasx
            >>> try:
            ...     kerasx.layers.Dropout(0.5, name="drop").quantize("int8")
            ... except NotImplementedError as error:
            ...     print(str(error)[:45])
            Layer 'drop' (Dropout) cannot be quantized: o
        """
        raise NotImplementedError(NOT_QUANTIZABLE.format(name=self.name, cls=type(self).__name__))

    # Build config -------------------------------------------------------------------------------------------------
    def get_build_config(self) -> dict | None:
        """What `build_from_config` needs to create the layer's variables again: `{"input_shape": shape}` (the
        shape the layer was built with), or `{"shapes_dict": {argument: shape}}` for a `build` taking several
        shapes; None before the layer is built. Saved models store it, so that a loaded layer is built before its
        weights arrive.

        Example:
            >>> import kerasx
            >>> layer = kerasx.layers.Dense(2)
            >>> print(layer.get_build_config())
            None
            >>> layer.build((None, 3))
            >>> layer.get_build_config()
            {'input_shape': (None, 3)}
        """
        shapes = self.__dict__.get("_build_shapes_dict")
        if shapes:
            if len(shapes) == 1:
                return {"input_shape": _plain_shapes(next(iter(shapes.values())))}
            return {"shapes_dict": {key: _plain_shapes(value) for key, value in shapes.items()}}
        if not self.built or self._build_input_shape is None:
            return None
        return {"input_shape": _plain_shapes(self._build_input_shape)}

    def build_from_config(self, config: dict | None) -> None:
        """Builds the layer from `get_build_config()`'s dict: `build(input_shape)`, or `build(**shapes_dict)`.

        Example:
            >>> import kerasx
            >>> layer = kerasx.layers.Dense(2)
            >>> layer.build_from_config({"input_shape": [None, 3]})
            >>> layer.built, tuple(layer.kernel.shape)
            (True, (3, 2))
        """
        if not config:
            return
        if "input_shape" in config:
            self.build(as_shapes(config["input_shape"]))  # pyright: ignore[reportAttributeAccessIssue]
        elif "shapes_dict" in config:
            shapes = {key: as_shapes(value) for key, value in config["shapes_dict"].items()}
            self.build(**shapes)  # pyright: ignore[reportAttributeAccessIssue]
        else:
            return
        if not self.built:
            # `Layer.build` itself (a layer without weights, or one that builds its sublayers by calling them)
            # leaves the marking to `__call__`.
            object.__setattr__(self, "_build_input_shape", as_shapes(config.get("input_shape")))
            self.built = True

    # Variable store -----------------------------------------------------------------------------------------------
    def _store_variables(self) -> dict:
        """Store key -> variable: "0", "1", ... over the layer's own trainable then non-trainable variables, or the
        keys a layer gives its state (`_saved_variables`, e.g. a wrapped torch module's `state_dict` keys)."""
        saved = getattr(self, "_saved_variables", None)
        if saved is not None:
            return saved()
        own = self._children()[0]  # pyright: ignore[reportAttributeAccessIssue]
        ordered = [v for v in own if v.trainable] + [v for v in own if not v.trainable]
        return {str(i): v for i, v in enumerate(ordered)}

    def save_own_variables(self, store) -> None:
        """Writes the layer's own variables (not its sublayers') into `store`, a dict-like, under "0", "1", ...:
        trainable first, then non-trainable. Weight files call it for a layer that overrides it (to save state of
        its own making), and `load_own_variables` reads the same keys back.

        Example:
            >>> import kerasx
            >>> layer = kerasx.layers.Dense(2, kernel_initializer="ones")
            >>> layer.build((None, 3))
            >>> store = {}
            >>> layer.save_own_variables(store)
            >>> sorted(store), float(store["0"].sum())
            (['0', '1'], 6.0)
        """
        for key, variable in self._store_variables().items():
            store[key] = np.asarray(variable.numpy())

    def load_own_variables(self, store) -> None:
        """Assigns the layer's own variables from `store` (what `save_own_variables` wrote), checking the count and
        every shape first, so that a mismatch changes nothing.

        Example:
            >>> import numpy as np
            >>> import kerasx
            >>> layer = kerasx.layers.Dense(2)
            >>> layer.build((None, 3))
            >>> layer.load_own_variables({"0": np.ones((3, 2)), "1": np.full((2,), 0.5)})
            >>> layer.bias.numpy().tolist()
            [0.5, 0.5]
        """
        variables = self._store_variables()
        keys = list(store.keys())
        if sorted(keys) != sorted(variables):
            raise ValueError(
                STORE_COUNT.format(
                    name=self.name, expected=len(variables), received=len(keys), keys=keys,
                    paths=", ".join(v.path for v in variables.values()) or "none",
                )
            )
        arrays = {key: np.asarray(store[key]) for key in variables}
        for key, variable in variables.items():
            if tuple(arrays[key].shape) != tuple(variable.shape):
                raise ValueError(
                    STORE_SHAPE.format(name=self.name, path=variable.path, expected=tuple(variable.shape), key=key,
                                       received=tuple(arrays[key].shape))
                )
        for key, variable in variables.items():
            variable.assign(arrays[key])


def _is_shape(value) -> bool:
    return isinstance(value, (list, tuple)) and all(d is None or isinstance(d, (int, np.integer)) for d in value)


def _plain_shapes(value):
    """Shapes as tuples of ints and None, however nested."""
    if value is None:
        return None
    if hasattr(value, "as_list"):  # a TensorShape
        value = value.as_list()
    if _is_shape(value):
        return tuple(None if d is None else int(d) for d in value)
    if isinstance(value, dict):
        return {key: _plain_shapes(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(_plain_shapes(item) for item in value)
    return value


def as_shapes(value):
    """A config's shapes (JSON lists) as the tuples `build` receives when it is called."""
    if value is None or _is_shape(value):
        return None if value is None else tuple(value)
    if isinstance(value, dict):
        return {key: as_shapes(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [as_shapes(item) for item in value]
    return value

