"""`Layer`: the base class of every layer and model.

A layer owns variables (`add_weight`), builds itself from the shape of its first input (`build`), and computes in
`call`. `__call__` adds what every layer shares: input conversion and checks, the `training` flag inherited from the
outer call, masks, losses, and, on symbolic inputs, shape inference plus a graph `Node` for functional models.
"""

from __future__ import annotations

import contextlib
import functools
import inspect
import warnings
from typing import TypeGuard

import numpy as np

from kerasx import ops, regularizers
from kerasx.backend import StatelessScope, _name_scope, _remat, _tree, active, is_float
from kerasx.backend._session import unique_name
from kerasx.backend._traceback import filter_traceback
from kerasx.backend._variable import Variable
from kerasx.layers import _call_context, _placeholder_call, _shape_arguments, _tracking
from kerasx.layers._input_spec import assert_input_compatibility
from kerasx.layers._layer_dtypes import LayerDTypesMixin, layer_dtype_policy
from kerasx.layers._layer_losses import LayerLossesMixin
from kerasx.layers._layer_state import LayerStateMixin
from kerasx.layers._layer_weights import LayerWeightsMixin
from kerasx.layers._node_access import NodeAccessMixin
from kerasx.layers._remat_call import rematerialized_call
from kerasx.ops import KerasTensor, Node, _masking
from kerasx.ops._operation import Operation

UNKNOWN_KWARGS = (
    "Unrecognized keyword argument(s) passed to {cls} (layer '{name}'): {kwargs}. "
    "Check the spelling against the {cls} signature."
)
BAD_NAME = "Layer names must be non-empty strings without '/'. Received: name={name!r}."
NO_INPUTS = "Layer '{name}' was called without inputs. Call it on a tensor: `{name}(x)`."
NON_TENSOR_INPUT = (
    "Layer '{name}' ({cls}) expected tensor inputs, but received an input of type {type}: {value}. "
    "Pass a tensor, a NumPy array or a KerasTensor (from `kerasx.Input`)."
)
NOT_BUILT_STATELESS = (
    "To call `stateless_call`, layer '{name}' must be built (its variables created). "
    "Call it once on data or call `{name}.build(input_shape)` first."
)
WRONG_STATE_COUNT = (
    "`stateless_call` of layer '{name}' expects {expected} {kind} values (one per variable, in the order of "
    "`layer.{kind}`), but received {received}."
)
NO_AUTO_CONFIG = (
    "Layer {cls} cannot be serialized automatically: its constructor received {arg}={value!r}, which is not a "
    "plain Python value. Override `get_config()` to return the constructor arguments as plain values."
)
MASK_DROPPED = (
    "Layer '{name}' ({cls}) received an input with a mask but does not support masking, so the mask is dropped "
    "and downstream layers will not see it."
)

_PLAIN_TYPES = (type(None), bool, int, float, str)


def _is_plain(value) -> bool:
    if isinstance(value, _PLAIN_TYPES):
        return True
    if isinstance(value, (list, tuple)):
        return all(_is_plain(v) for v in value)
    if isinstance(value, dict):
        return all(isinstance(k, str) and _is_plain(v) for k, v in value.items())
    return False


def _shape_of(x):
    """Static shape, None where unknown (a traced TensorFlow batch axis is None here, not a shape tensor)."""
    if x is None:
        return None
    shape = getattr(x, "shape", None)
    return () if shape is None else tuple(None if d is None else int(d) for d in shape)


def _is_tensor_argument(x) -> bool:
    return isinstance(x, KerasTensor) or active.core.is_tensor(x)


def _is_shape(value) -> TypeGuard[tuple | list]:
    return isinstance(value, (tuple, list)) and all(d is None or isinstance(d, (int, np.integer)) for d in value)


def _map_shapes(fn, shapes):
    """Applies `fn` to every shape in a nested structure of shapes (a shape is a tuple of ints/None)."""
    if _is_shape(shapes):
        return fn(tuple(shapes))
    if isinstance(shapes, dict):
        return {k: _map_shapes(fn, v) for k, v in shapes.items()}
    if isinstance(shapes, (list, tuple)):
        return type(shapes)(_map_shapes(fn, s) for s in shapes)
    return shapes


class _CallSignature:
    """What `__call__` needs to know about a layer class's `call` parameters."""

    __slots__ = ("signature", "first_arg", "has_training", "has_mask", "training_default")

    def __init__(self, call):
        self.signature = inspect.signature(call)
        parameters = self.signature.parameters
        names = [
            p.name for p in parameters.values() if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)
        ]
        self.first_arg = names[0] if names else None
        self.has_training = "training" in parameters
        self.has_mask = "mask" in parameters
        default = parameters["training"].default if self.has_training else None
        self.training_default = None if default is inspect.Parameter.empty else default


_CALL_SIGNATURES: dict = {}


def _wrap_build(build):
    """Makes a subclass's `build` mark the layer built and remember its input shape, however it is called."""

    @functools.wraps(build)
    def wrapped(self, *args, **kwargs):
        # A Sequential builds its graph here; those calls must record nodes even inside a shape-only pass. The
        # layer's name scope prefixes the paths of what it creates (`sequential/dense/kernel`, as in Keras 3).
        with _call_context.call_scope(record_nodes=True), self._open_name_scope():
            if "_path" not in self.__dict__:
                object.__setattr__(self, "_path", _name_scope.current_path())
            result = build(self, *args, **kwargs)
        if args and getattr(self, "_build_input_shape", None) is None:
            object.__setattr__(self, "_build_input_shape", args[0])
        if "_build_shapes_dict" not in self.__dict__:
            # The arguments of the first build, by name: `get_build_config` (Keras 3 keeps the same).
            try:
                bound = inspect.signature(build).bind(self, *args, **kwargs).arguments
            except TypeError:
                bound = {}
            bound.pop(next(iter(inspect.signature(build).parameters)), None)
            object.__setattr__(self, "_build_shapes_dict", dict(bound))
        self.built = True
        return result

    wrapped._kerasx_build_wrapper = True  # pyright: ignore[reportAttributeAccessIssue]
    return wrapped


# Constructor-argument translators, each `translate(cls, args, kwargs) -> (args, kwargs)`, run before a layer's
# `__new__`/`__init__` see the arguments (the Keras-1 spellings of `kerasx.legacy` register here).
CONSTRUCTOR_TRANSLATORS: list = []


class _LayerType(type):
    """Metaclass of `Layer`: applies the registered constructor translators."""

    def __call__(cls, *args, **kwargs):
        for translate in CONSTRUCTOR_TRANSLATORS:
            args, kwargs = translate(cls, args, kwargs)
        return super().__call__(*args, **kwargs)


_NO_SCOPE = contextlib.nullcontext()

# On torch, `torch.nn.Module` (layers are Modules there, as in Keras); nothing on the other engines.
_ENGINE_BASES = active.core.layer_bases()


class Layer(
    LayerWeightsMixin, LayerLossesMixin, LayerDTypesMixin, LayerStateMixin, NodeAccessMixin, *_ENGINE_BASES,
    metaclass=_LayerType,
):
    """Base class of layers: state (weights) plus computation (`call`).

    Subclasses create weights in `build(input_shape)` (or in `__init__` when the shapes are known) with
    `add_weight`, and compute in `call(inputs, ...)`. If `call` accepts `training` or `mask`, `__call__` passes
    them. Layers and Variables assigned as attributes (also inside lists and dicts) are tracked.

    Args:
        activity_regularizer: regularizer applied to the outputs; its value is added to `losses`.
        trainable: whether the layer's weights are trained.
        dtype: dtype of the weights and of the computation, or a dtype policy (or its name, e.g. "mixed_float16":
            float32 weights, float16 computation); default the global policy (`kerasx.config.dtype_policy()`).
        autocast: with a mixed policy, cast float inputs to the compute dtype and read float variables in it
            inside `call`; False leaves both as they are.
        name: unique name; defaults to the snake_case class name, numbered (`dense`, `dense_1`, ...).
        input_shape: shape of one sample (no batch axis), for the first layer of a Sequential model.
        input_dim: shorthand for `input_shape=(input_dim,)`.

    Example:
        >>> import numpy as np
        >>> import kerasx
        >>> class Scale(kerasx.Layer):
        ...     def build(self, input_shape):
        ...         self.factor = self.add_weight(shape=(input_shape[-1],), initializer="ones")
        ...     def call(self, inputs):
        ...         return inputs * self.factor
        >>> layer = Scale()
        >>> print(kerasx.ops.convert_to_numpy(layer(np.array([[1.0, 2.0]]))))
        [[1. 2.]]
        >>> [tuple(w.shape) for w in layer.trainable_weights]
        [(2,)]
    """

    # Layers with nothing to create from the input shape (dropout, pooling, activations) are built from the start, as
    # Keras 3's: `build` never runs for them, so they record no build config and take no path.
    _built_at_construction = False

    supports_masking = False
    input_spec = None
    # False in layers that compute on the host (text, vocabularies): a model holding one runs its steps uncompiled.
    supports_jit = True
    # Set to False in layers whose first argument is legitimately something else than tensors.
    _check_tensor_inputs = True
    # Models that hand inputs to layers (which convert them) set this to False: no premature casts.
    _convert_input_args = True
    _remat_mode = None

    def __new__(cls, *args, **kwargs):
        layer = super().__new__(cls)
        for base in _ENGINE_BASES:
            base.__init__(layer)
        object.__setattr__(layer, "_tracked_names", {})
        object.__setattr__(layer, "_init_args", (args, kwargs))
        return layer

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        build = cls.__dict__.get("build")
        if build is not None and not getattr(build, "_kerasx_build_wrapper", False):
            cls.build = _wrap_build(build)

    def __init__(
        self,
        *,
        activity_regularizer=None,
        trainable=True,
        dtype=None,
        autocast=True,
        name=None,
        input_shape=None,
        input_dim=None,
        **kwargs,
    ):
        if name is not None and (not isinstance(name, str) or not name or "/" in name):
            raise ValueError(BAD_NAME.format(name=name))
        name = name or unique_name(_tracking.to_snake_case(type(self).__name__))
        if kwargs:
            raise TypeError(UNKNOWN_KWARGS.format(cls=type(self).__name__, name=name, kwargs=kwargs))
        internal = {
            "name": name,
            "_trainable": bool(trainable),
            "_dtype_policy": layer_dtype_policy(dtype),
            "autocast": bool(autocast),
            "_own_weights": [],
            "_losses": [],
            "_losses_call": 0,
            "_last_outer_call": 0,
            "_inbound_nodes": [],
            "_build_input_shape": None,
            "_batch_input_shape": None,
            # The `RematScope` open when the layer is created decides how its calls are rematerialized (Keras 3).
            "_remat_mode": _remat.current_mode(),
        }
        for key, value in internal.items():
            object.__setattr__(self, key, value)
        if input_shape is not None:
            self._batch_input_shape = (None,) + tuple(input_shape)
        elif input_dim is not None:
            self._batch_input_shape = (None, int(input_dim))
        self.built = self._built_at_construction
        self.activity_regularizer = regularizers.get(activity_regularizer)

    # Build / call -------------------------------------------------------------------------------------------------
    def build(self, input_shape=None):
        """Creates the layer's weights for inputs of `input_shape`. The default builds sublayers by running `call`
        symbolically when there are sublayers (models defined by subclassing)."""
        if input_shape is not None and self._children()[2]:
            inputs = _map_shapes(lambda s: KerasTensor(s, self.compute_dtype), input_shape)
            with _call_context.call_scope(record_nodes=False):
                self.compute_output_spec(inputs)
        self.built = True

    def call(self, inputs, *args, **kwargs):
        """The computation; the base layer is the identity."""
        return inputs

    def compute_mask(self, inputs, mask=None):
        """Output mask; by default the input mask passes through (for layers with `supports_masking`)."""
        return mask

    def compute_output_shape(self, input_shape):
        """Output shape(s) for `input_shape`, by default from a symbolic call."""
        inputs = _map_shapes(lambda s: KerasTensor(s, self.compute_dtype), input_shape)
        with _call_context.call_scope(record_nodes=False):
            outputs = self(inputs)
        return _tree.map_structure(lambda t: t.shape, outputs)

    def compute_output_spec(self, *args, **kwargs):
        """Output KerasTensor(s) for KerasTensor inputs, without running an engine: from `compute_output_shape` when
        a subclass defines it, else by running `call` on the KerasTensors (every op has a symbolic rule); a `call`
        using the engine's own ops runs on engine placeholders instead."""
        if type(self).compute_output_shape is not Layer.compute_output_shape:
            shape_args, shape_kwargs = self._shape_arguments_for(self.compute_output_shape, args, kwargs)
            shapes = self.compute_output_shape(*shape_args, **shape_kwargs)
            return _map_shapes(lambda s: KerasTensor(s, self.compute_dtype), shapes)
        return _placeholder_call.symbolic_call(self, args, kwargs)

    def _shape_arguments_for(self, target, args, kwargs):
        """`(args, kwargs)` for `build`/`compute_output_shape`: one shape per tensor argument of `call`, named
        `<argument>_shape`, as Keras 3 passes them (see `_shape_arguments`)."""
        if len(_shape_arguments.target_names(target)) <= 1:
            # The common case; it also takes first arguments that Keras would not count as tensors (Python numbers).
            return (_tree.map_structure(_shape_of, args[0]),), {}
        signature = self._call_signature().signature
        shapes = _shape_arguments.call_shapes(signature, args, kwargs, _is_tensor_argument, _shape_of)
        return _shape_arguments.shape_arguments(target, shapes, signature, self)

    def _call_signature(self) -> _CallSignature:
        call = type(self).call
        signature = _CALL_SIGNATURES.get(call)
        if signature is None:
            signature = _CALL_SIGNATURES[call] = _CallSignature(self.call)
        return signature

    @filter_traceback
    def __call__(self, *args, **kwargs):
        signature = self._call_signature()
        if not args:
            if signature.first_arg not in kwargs:
                raise TypeError(NO_INPUTS.format(name=self.name))
            args = (kwargs.pop(signature.first_arg),)
        explicit_training = kwargs.pop("training", None)
        explicit_mask = kwargs.pop("mask", None)
        if self._check_tensor_inputs:
            self._check_input_types(args[0])
        args, kwargs = self._convert_inputs(args, kwargs)
        inputs = args[0]
        if len(args) == 1 and not kwargs and not _tree.is_nested(inputs):
            symbolic = isinstance(inputs, KerasTensor)
        else:
            symbolic = any(isinstance(x, KerasTensor) for x in _tree.flatten((args, kwargs)))

        outer = _call_context.current()
        training = explicit_training
        if training is None and outer is not None:
            training = outer.training
        if training is None:
            training = signature.training_default
        call_kwargs = dict(kwargs)
        if signature.has_training:
            call_kwargs["training"] = training
        previous_mask = explicit_mask if explicit_mask is not None else self._input_masks(inputs)
        if signature.has_mask and previous_mask is not None:
            call_kwargs["mask"] = previous_mask

        # Only the first call (which builds) opens the layer's name scope: later calls create nothing, and pay
        # nothing for it.
        scope = self._open_name_scope() if not self.built else _NO_SCOPE
        with scope, _call_context.call_scope(training=training) as frame:
            object.__setattr__(self, "_last_outer_call", frame.call_number)
            build_by_call = False
            if not self.built:
                assert_input_compatibility(self.input_spec, inputs, self.name, ops.dtype)
                build_by_call = symbolic and self._builds_sublayers_in_call()
                if len(_shape_arguments.target_names(self.build)) > 1:
                    self._build_from(inputs, self._shape_arguments_for(self.build, args, kwargs))
                else:
                    self._build_from(inputs)
            assert_input_compatibility(self.input_spec, inputs, self.name, ops.dtype)
            if symbolic:
                with _call_context.call_scope(record_nodes=False), self._autocast_scope():
                    if build_by_call:
                        # `compute_output_shape` alone would leave the sublayers that `call` builds unbuilt.
                        _placeholder_call.symbolic_call(self, args, call_kwargs)
                    outputs = self.compute_output_spec(*args, **call_kwargs)
                outputs = _fresh_symbolic(outputs)
            else:
                call = self.call if self._remat_mode is None else rematerialized_call(self, args, call_kwargs)
                with self._autocast_scope():
                    outputs = call(*args, **call_kwargs)
                self._add_activity_loss(outputs)
            self._set_output_masks(inputs, outputs, previous_mask)
            if symbolic and frame.record_nodes:
                node_kwargs = dict(kwargs)
                if explicit_training is not None:
                    node_kwargs["training"] = explicit_training
                if explicit_mask is not None:
                    node_kwargs["mask"] = explicit_mask
                self._inbound_nodes.append(Node(self, args, node_kwargs, outputs))
        return outputs

    def _open_name_scope(self):
        """The layer's name scope, under the path that enclosed it the first time it was opened (Keras 3: a layer
        built inside another's build or first call lives under it, `outer/inner`, wherever it is called later)."""
        parent = self.__dict__.get("_parent_path")
        if parent is None:
            parent = _name_scope.current_path()
            object.__setattr__(self, "_parent_path", parent)
        return _name_scope.name_scope(self.name, caller=self, override_parent=parent)

    def _builds_sublayers_in_call(self) -> bool:
        """A layer with sublayers, no `build` and its own `compute_output_shape` builds them only by running `call`."""
        cls = type(self)
        if cls.build is not Layer.build or cls.compute_output_shape is Layer.compute_output_shape:
            return False
        return bool(self._children()[2])

    def _build_from(self, inputs, build_arguments=None) -> None:
        """Builds from the first input's shapes, or from `build_arguments` (`(args, kwargs)`) for a `build` that
        takes one shape per call argument."""
        shapes = _tree.map_structure(_shape_of, inputs)
        if type(self).build is not Layer.build:
            build_args, build_kwargs = ((shapes,), {}) if build_arguments is None else build_arguments
            self.build(*build_args, **build_kwargs)
        elif "_build_shapes_dict" not in self.__dict__:
            # The default build takes the first input's shapes, and that is what Keras 3 records for it.
            object.__setattr__(self, "_build_shapes_dict", {"input_shape": shapes})
        object.__setattr__(self, "_build_input_shape", shapes)
        if "_path" not in self.__dict__:
            with self._open_name_scope():
                object.__setattr__(self, "_path", _name_scope.current_path())
        self.built = True

    def _check_input_types(self, inputs) -> None:
        if active.core.is_tensor(inputs) or isinstance(inputs, KerasTensor):
            return
        for x in _tree.flatten(inputs):
            if x is None or isinstance(x, (KerasTensor, Variable, np.ndarray, np.generic, bool, int, float)):
                continue
            if active.core.is_tensor(x):
                continue
            raise TypeError(
                NON_TENSOR_INPUT.format(
                    name=self.name, cls=type(self).__name__, type=type(x).__name__, value=repr(x)[:100]
                )
            )

    def _convert_inputs(self, args, kwargs):
        """NumPy arrays become tensors; float inputs are cast to the compute dtype."""
        if not self._convert_input_args:
            return args, kwargs
        target = self.compute_dtype if self.autocast and is_float(self.compute_dtype) else None
        first = args[0]
        if (
            len(args) == 1
            and not kwargs
            and active.core.is_tensor(first)
            and (
                target is None
                or active.core.dtype_name(first) == target
                or not is_float(active.core.dtype_name(first))
            )
        ):
            return args, kwargs

        def convert(x):
            if isinstance(x, (np.ndarray, np.generic)):
                if x.dtype.kind not in "biuf":
                    return x
                dtype = target if (target is not None and x.dtype.kind == "f") else None
                return ops.convert_to_tensor(x, dtype=dtype)
            if target is not None and (isinstance(x, KerasTensor) or active.core.is_tensor(x)):
                dtype = ops.dtype(x)
                if dtype != target and is_float(dtype):
                    return ops.cast(x, target)
            return x

        return _tree.map_structure(convert, args), _tree.map_structure(convert, kwargs)

    def _input_masks(self, inputs):
        if _tree.is_nested(inputs):
            masks = _tree.map_structure(_masking.get_mask, inputs)
            return masks if any(m is not None for m in _tree.flatten(masks)) else None
        return _masking.get_mask(inputs)

    def _set_output_masks(self, inputs, outputs, previous_mask) -> None:
        if previous_mask is None and type(self).compute_mask is Layer.compute_mask:
            return
        if not self.supports_masking:
            if previous_mask is not None and any(m is not None for m in _tree.flatten(previous_mask)):
                warnings.warn(MASK_DROPPED.format(name=self.name, cls=type(self).__name__), stacklevel=3)
            return
        flat_outputs = _tree.flatten(outputs)
        if all(_masking.get_mask(o) is not None for o in flat_outputs):
            return
        output_mask = self.compute_mask(inputs, previous_mask)
        if output_mask is None:
            return
        flat_masks = _tree.flatten(output_mask) if _tree.is_nested(output_mask) else [output_mask] * len(flat_outputs)
        for output, mask in zip(flat_outputs, flat_masks):
            if mask is not None and output is not None and _masking.get_mask(output) is None:
                _masking.set_mask(output, mask)


    # Stateless call and torch interop ----------------------------------------------------------------------------
    def stateless_call(self, trainable_variables, non_trainable_variables, *args, return_losses=False, **kwargs):
        """Calls the layer with the given variable values instead of the stored ones, without changing any state.

        Args:
            trainable_variables: values for `layer.trainable_variables`, in that order.
            non_trainable_variables: values for `layer.non_trainable_variables`, in that order.
            *args, **kwargs: the call's arguments.
            return_losses: also return the losses of this call.

        Returns:
            `(outputs, non_trainable_variables)` with the updated non-trainable values (e.g. moving statistics, seed
            states), plus `losses` when `return_losses`. Pure, so it can be traced by `jax.jit` and differentiated.
        """
        if not self.built:
            raise ValueError(NOT_BUILT_STATELESS.format(name=self.name))
        trainable = self.trainable_variables
        non_trainable = self.non_trainable_variables
        for kind, given, expected in (
            ("trainable_variables", trainable_variables, trainable),
            ("non_trainable_variables", non_trainable_variables, non_trainable),
        ):
            if len(given) != len(expected):
                raise ValueError(
                    WRONG_STATE_COUNT.format(name=self.name, expected=len(expected), kind=kind, received=len(given))
                )
        mapping = [
            (variable, ops.convert_to_tensor(value, dtype=variable.dtype))
            for variable, value in zip(
                trainable + non_trainable, list(trainable_variables) + list(non_trainable_variables)
            )
        ]
        with StatelessScope(mapping) as scope:
            outputs = self(*args, **kwargs)
            losses = self.losses if return_losses else None
        self._clear_losses()
        new_non_trainable = [scope.get_current_value(v) for v in non_trainable]
        if return_losses:
            return outputs, new_non_trainable, losses
        return outputs, new_non_trainable

    def parameters(self, recurse=True):
        """Native tensors of the trainable variables (torch Parameters on the torch backend), as in torch."""
        variables = self.trainable_variables if recurse else [v for v in self._children()[0] if v.trainable]
        return iter([v.value for v in variables])

    def named_parameters(self, prefix="", recurse=True):
        """`(path, native tensor)` pairs of the trainable variables, as in torch."""
        variables = self.trainable_variables if recurse else [v for v in self._children()[0] if v.trainable]
        return iter([(prefix + v.path, v.value) for v in variables])

    # Config -------------------------------------------------------------------------------------------------------
    def get_config(self) -> dict:
        """Constructor arguments as plain values. Subclasses with their own arguments extend it; when they do not,
        the arguments they were constructed with are used if they are plain values."""
        config = {"name": self.name, "trainable": self.trainable, "dtype": self._dtype_config()}
        if type(self).get_config is Layer.get_config and type(self).__init__ is not Layer.__init__:
            args, kwargs = self._init_args
            try:
                bound = inspect.signature(type(self).__init__).bind(self, *args, **kwargs).arguments
            except TypeError:
                bound = dict(kwargs)
            for key, value in bound.items():
                if key == "self":
                    continue
                parameter = inspect.signature(type(self).__init__).parameters.get(key)
                if parameter is not None and parameter.kind is parameter.VAR_KEYWORD:
                    items = value.items()
                elif parameter is not None and parameter.kind is parameter.VAR_POSITIONAL:
                    items = [(key, list(value))]
                else:
                    items = [(key, value)]
                for name, item in items:
                    if not _is_plain(item):
                        raise TypeError(NO_AUTO_CONFIG.format(cls=type(self).__name__, arg=name, value=item))
                    config.setdefault(name, item)
        return config

    @classmethod
    def from_config(cls, config):
        return cls(**config)

    def __repr__(self):
        return f"<{type(self).__name__} name={self.name}, built={self.built}>"


# Layers are operations, as in Keras 3: `isinstance(layer, kerasx.Operation)`.
Operation.register(Layer)


def _fresh_symbolic(outputs):
    """New KerasTensors for the layer's outputs, so that a Node never rewrites the history of a tensor that came
    from elsewhere (a layer may return its input unchanged)."""

    def fresh(x):
        if not isinstance(x, KerasTensor):
            return x
        y = KerasTensor(x.shape, x.dtype)
        y._keras_mask = x._keras_mask
        return y

    return _tree.map_structure(fresh, outputs)
