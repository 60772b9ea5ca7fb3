"""`JaxLayer` (a pure JAX model function as a layer) and `FlaxLayer` (a Flax Linen module), on jax and tensorflow.

The pytree handling, keys, the function's conversion (jax2tf on TensorFlow) and Flax's API are in
`kerasx.backend.<engine>.jax_layer`; this file asks the active engine for it. The model's params and state become
the layer's trainable and non-trainable weights, in the order JAX flattens them (Keras 3's order), so weights move
between Keras 3 and kerasx with `get_weights`/`set_weights`.
"""

from __future__ import annotations

import inspect

from kerasx.backend import active, backend, is_float, standardize_dtype
from kerasx.layers import _placeholder_call
from kerasx.layers._layer import Layer
from kerasx.random._seed_generator import SeedGenerator, global_seed_generator
from kerasx.serialization import _registry

NEEDS_JAX = (
    "{cls} wraps a JAX model, so it runs only on the jax backend (or on tensorflow, through jax2tf). Current "
    "backend: {backend}. Select jax with KERAS_BACKEND=jax (before importing kerasx), or port the model to kerasx "
    "layers."
)
MISSING_ARGUMENT = (
    "{cls}: `{fn_name}` must take an argument named `{argument}`. Received: {fn_name} with arguments {received}. "
    "Wrap the function to adapt its signature, e.g. `def {fn_name}({example}): ...`."
)
UNSUPPORTED_ARGUMENT = (
    "{cls}: `{fn_name}` takes an argument named `{argument}`, which is not one {cls} passes. Received: {fn_name} "
    "with arguments {received}. Supported argument names: {allowed}."
)
NOT_CALLABLE = "{cls}: `{fn_name}` must be callable. Received: {fn_name}={value!r}."
NOTHING_TO_INITIALIZE = (
    "{cls}: `init_fn`, `params` and `state` cannot all be None when `call_fn` takes a `params` or a `state` "
    "argument. Received: init_fn=None, params=None, state=None. Pass `init_fn` (called at build time with the "
    "input shapes) or the initial `params`/`state`."
)
BUILT_WHILE_TRACING = (
    "{cls} '{name}' cannot be built inside a JAX trace (jax.jit, jax.grad, ...): `init_fn` needs concrete values. "
    "Build it first, e.g. `layer.build(input_shape)` or by calling it once on data."
)
STATE_MISMATCH = (
    "{cls} '{name}': the state returned by `call_fn` does not have the structure of the state at initialization. "
    "Received: {received}. Return the new state with the same structure (same keys and nesting)."
)
UNKNOWN_FUNCTION = (
    "{cls}.from_config: no registered function is named {name!r} (argument `{argument}`). Register it with "
    "`@kerasx.saving.register_keras_serializable()` before loading, or pass it in `custom_objects`."
)

_CALL_ARGUMENTS = ("params", "state", "rng", "inputs", "training")
_INIT_ARGUMENTS = ("rng", "inputs", "training")


def _engine(cls: str):
    engine = getattr(active, "jax_layer", None)
    if engine is None:
        raise ValueError(NEEDS_JAX.format(cls=cls, backend=backend()))
    return engine


def _argument_names(fn, fn_name: str, allowed: tuple, cls: str) -> list:
    """The names of `fn`'s arguments, checked: all among `allowed`, `inputs` among them."""
    if not callable(fn):
        raise TypeError(NOT_CALLABLE.format(cls=cls, fn_name=fn_name, value=fn))
    names = list(inspect.signature(fn).parameters)
    if "inputs" not in names:
        raise ValueError(
            MISSING_ARGUMENT.format(
                cls=cls, fn_name=fn_name, argument="inputs", received=names, example=", ".join(allowed)
            )
        )
    for name in names:
        if name not in allowed:
            raise ValueError(
                UNSUPPORTED_ARGUMENT.format(
                    cls=cls, fn_name=fn_name, argument=name, received=names, allowed=list(allowed)
                )
            )
    return names


def _function_from_config(value, argument: str, cls: str):
    if value is None or callable(value):
        return value
    if isinstance(value, dict):
        return _registry.deserialize_keras_object(value)
    function = _registry.get_registered_object(value)
    if function is None:
        raise ValueError(UNKNOWN_FUNCTION.format(cls=cls, name=value, argument=argument))
    return function


@_registry.builtin
class JaxLayer(Layer):
    """A JAX model function as a layer; its params and state become the layer's weights (jax backend only).

    `call_fn` computes the model. Its arguments are recognized by name, in any order: `params` (the trainable
    parameters, a pytree), `state` (non-trainable state), `rng` (a JAX PRNG key, a new one per training call, None
    in inference), `inputs` (required: an array or a pytree of arrays) and `training` (a Python bool). With a
    `state` argument it returns `(outputs, new_state)` and the layer stores the new state; otherwise it returns the
    outputs.

    `init_fn(rng, inputs, training)` (only `inputs` required) creates them at build time from placeholder inputs of
    the input shapes (unknown dimensions as 1; `training` is True) and returns `params`, or `(params, state)` when
    `call_fn` takes a `state`. Alternatively pass the initial `params`/`state` directly. Array leaves of the trees
    become variables (float ones in the layer's dtype); other leaves are kept as configuration.

    On the tensorflow backend the function runs converted by `jax.experimental.jax2tf` (with every unknown input
    dimension symbolic), as in Keras 3, so jax must be installed there too; on torch and numpy creating the layer
    raises a ValueError naming the backends it needs.

    Args:
        call_fn: the model function, as described above.
        init_fn: the initialization function, or None when `params`/`state` are given (or `call_fn` has neither).
        params: initial trainable parameters (a pytree of arrays), or None.
        state: initial non-trainable state (a pytree of arrays), or None.
        seed: int seed of the layer's `rng` stream, or None for a random one.
        native_serialization_platforms: on tensorflow, the platforms ('cpu', 'cuda', 'rocm', 'tpu') jax2tf
            compiles for; None is the default platform. Unused on jax.
        **kwargs: base Layer arguments (name, dtype, trainable, ...).

    Call arguments:
        inputs: the model's inputs (one array or a pytree of them).
        training: whether the call is in training mode.

    Example:
        >>> import numpy as np
        >>> import kerasx
        >>> def call_fn(params, inputs):
        ...     return inputs @ params["kernel"] + params["bias"]
        >>> if kerasx.backend.backend() in ("jax", "tensorflow"):
        ...     layer = kerasx.layers.JaxLayer(call_fn, params={"kernel": np.ones((3, 2)), "bias": np.zeros(2)})
        ...     print(kerasx.ops.convert_to_numpy(layer(np.ones((1, 3), "float32"))))
        ... else:  # torch and numpy refuse to create it; on jax and tensorflow this prints:
        ...     print(np.full((1, 2), 3.0, "float32"))
        [[3. 3.]]
    """

    def __init__(
        self,
        call_fn,
        init_fn=None,
        params=None,
        state=None,
        seed: int | None = None,
        native_serialization_platforms=None,
        **kwargs,
    ):
        cls = type(self).__name__
        engine = _engine(cls)
        super().__init__(**kwargs)
        self._jax = engine
        self.call_fn = call_fn
        self.init_fn = init_fn
        self.call_fn_arguments = _argument_names(call_fn, "call_fn", _CALL_ARGUMENTS, cls)
        self.call_fn_has_params = "params" in self.call_fn_arguments
        self.call_fn_has_state = "state" in self.call_fn_arguments
        self.init_fn_arguments = None if init_fn is None else _argument_names(init_fn, "init_fn", _INIT_ARGUMENTS, cls)
        if init_fn is None and params is None and state is None and (self.call_fn_has_params or self.call_fn_has_state):
            raise ValueError(NOTHING_TO_INITIALIZE.format(cls=cls))
        self.native_serialization_platforms = native_serialization_platforms
        self.seed = seed
        self.seed_generator = SeedGenerator(seed) if "rng" in self.call_fn_arguments else None
        self._params_tree = self._state_tree = None
        self._call_functions = None  # {training: function}, made at the first call
        self._params_leaves, self._state_leaves = [], []
        self._params_tree, self._params_leaves = self._make_variables(params, trainable=True)
        self._state_tree, self._state_leaves = self._make_variables(state, trainable=False)
        if params is not None or state is not None:
            self.built = True

    # The model's trees, with variables at the array leaves (as Keras 3 exposes them).
    @property
    def params(self):
        return None if self._params_tree is None else self._jax.tree_unflatten(self._params_tree, self._params_leaves)

    @property
    def state(self):
        return None if self._state_tree is None else self._jax.tree_unflatten(self._state_tree, self._state_leaves)

    def _make_variables(self, values, trainable: bool):
        """`(treedef, leaves)` of `values` with each array (or Python number) leaf replaced by a new weight."""
        if values is None:
            return None, []
        leaves, treedef = self._jax.tree_flatten(values)
        return treedef, [self._weight_for(leaf, trainable) for leaf in leaves]

    def _weight_for(self, value, trainable: bool):
        if self._jax.is_array(value):
            dtype = standardize_dtype(value.dtype)
        elif isinstance(value, (bool, int, float)):
            dtype = standardize_dtype(type(value))
        else:
            return value  # configuration of the model, passed through as it is
        dtype = self.variable_dtype if is_float(dtype) else dtype
        index = len(self._own_weights)
        variable = active.core.Variable(
            value, dtype=dtype, trainable=trainable, name="variable" if index == 0 else f"variable_{index}"
        )
        variable.path = f"{self.name}/{variable.name}"
        self._own_weights.append(variable)
        return variable

    # Seeds: methods of their own so that subclasses can pass other structures of keys (FlaxLayer does).
    def _get_init_seed(self):
        return global_seed_generator().next()

    def _get_init_rng(self):
        return self._get_init_seed()

    def _get_call_seed(self):
        return self.seed_generator.next()  # pyright: ignore[reportOptionalMemberAccess] - made when call_fn has rng

    def _get_call_rng(self, training):
        return self._get_call_seed() if training else None

    def build(self, input_shape):
        if self._params_tree is not None or self._state_tree is not None:
            return
        if not (self.call_fn_has_params or self.call_fn_has_state):
            return
        inputs = self._jax.placeholder_inputs(input_shape)
        init_args = []
        for name in self.init_fn_arguments or ():
            if name == "rng":
                init_args.append(self._jax.tree_map(self._jax.as_key, self._get_init_rng()))
            elif name == "inputs":
                init_args.append(inputs)
            else:
                init_args.append(True)
        if any(active.core.is_traced(x) for x in self._jax.tree_flatten(inputs)[0]):
            raise ValueError(BUILT_WHILE_TRACING.format(cls=type(self).__name__, name=self.name))
        result = self.init_fn(*init_args)  # pyright: ignore[reportOptionalCall] - checked in __init__
        params, state = result if self.call_fn_has_state else (result, None)
        self._params_tree, self._params_leaves = self._make_variables(params, trainable=True)
        self._state_tree, self._state_leaves = self._make_variables(state, trainable=False)

    def call(self, inputs, training=False):
        functions = self._call_functions
        if functions is None:
            shapes = self._build_input_shape
            if shapes is None:
                shapes = self._jax.tree_map(lambda x: tuple(x.shape), inputs)
            functions = self._call_functions = self._jax.call_functions(
                self.call_fn, self.call_fn_arguments, shapes, self.native_serialization_platforms
            )
        call_args = []
        for name in self.call_fn_arguments:
            if name == "params":
                call_args.append(self._values(self._params_tree, self._params_leaves))
            elif name == "state":
                call_args.append(self._values(self._state_tree, self._state_leaves))
            elif name == "rng":
                call_args.append(self._jax.tree_map(self._jax.call_key, self._get_call_rng(training)))
            elif name == "inputs":
                call_args.append(inputs)
        function = functions[bool(training)]
        if not self.call_fn_has_state:
            return function(*call_args)
        outputs, new_state = function(*call_args)
        self._assign_state(new_state)
        return outputs

    def compute_output_spec(self, *args, **kwargs):
        # `call_fn` is JAX code: it runs under `jax.eval_shape` on placeholders of the inputs' shapes and dtypes.
        return _placeholder_call.engine_call(self, args, kwargs)

    def _values(self, treedef, leaves):
        if treedef is None:
            return None
        return self._jax.tree_unflatten(treedef, [v.value if hasattr(v, "assign") else v for v in leaves])

    def _assign_state(self, new_state) -> None:
        leaves, treedef = self._jax.tree_flatten(new_state)
        if treedef != self._state_tree or len(leaves) != len(self._state_leaves):
            raise ValueError(STATE_MISMATCH.format(cls=type(self).__name__, name=self.name, received=treedef))
        for variable, value in zip(self._state_leaves, leaves):
            if hasattr(variable, "assign"):
                variable.assign(value)

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(
            {
                "call_fn": _registry.serialize_keras_object(self.call_fn),
                "init_fn": _registry.serialize_keras_object(self.init_fn),
                "native_serialization_platforms": self.native_serialization_platforms,
            }
        )
        return config

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        for argument in ("call_fn", "init_fn"):
            config[argument] = _function_from_config(config.get(argument), argument, cls.__name__)
        return cls(**config)


@_registry.builtin
class FlaxLayer(JaxLayer):
    """A Flax Linen module as a layer: its "params" collection becomes trainable weights, every other collection
    (e.g. "batch_stats") non-trainable ones (jax backend, or tensorflow through jax2tf; needs the `flax` package).

    The forward pass is `module.apply(variables, inputs, method=method, training=...)` with every collection but
    "params" mutable, and a "dropout" key in training calls. `method` (default `__call__`) takes `inputs` and
    optionally `training`; it may be a function not defined on the module, taking the module first. Initialization
    is `module.init` with "params" and "dropout" keys, unless `variables` are given.

    Args:
        module: a `flax.linen.Module` instance.
        method: the module's method (or a function of the module) to call; None is `__call__`.
        variables: the module's variables as `module.init` returns them ({"params": ..., other collections}), or
            None to initialize them at build time.
        **kwargs: base Layer arguments (name, dtype, trainable, ...) and `seed`.

    Example:
        >>> import numpy as np
        >>> import kerasx
        >>> if kerasx.backend.backend() in ("jax", "tensorflow"):
        ...     import flax.linen
        ...     layer = kerasx.layers.FlaxLayer(flax.linen.Dense(4))
        ...     outputs = layer(np.ones((2, 3), "float32"))
        ...     print(tuple(outputs.shape), [tuple(w.shape) for w in layer.trainable_weights])
        ... else:  # torch and numpy refuse to create it; on jax and tensorflow (with flax installed) this prints:
        ...     print((2, 4), [(4,), (3, 4)])
        (2, 4) [(4,), (3, 4)]
    """

    def __init__(self, module, method=None, variables=None, **kwargs):
        engine = _engine(type(self).__name__)
        self.module = module
        self.method = method
        self._apply_mutable = engine.flax_apply_mutable()
        takes_training = "training" in inspect.signature(method or module.__call__).parameters
        call_fn = self._apply_with_training if takes_training else self._apply
        init_fn = self._init_with_training if takes_training else self._init
        params, state = self._split(variables)
        super().__init__(call_fn=call_fn, init_fn=init_fn, params=params, state=state, **kwargs)

    @staticmethod
    def _split(variables):
        """Flax's variables -> (params, state): {"params": ...} and the other collections."""
        if variables is None:
            return None, None
        if "params" not in variables:
            return {}, variables
        params = {"params": variables["params"]}
        return params, {key: value for key, value in variables.items() if key != "params"}

    @staticmethod
    def _merged(params, state) -> dict:
        return {**(params or {}), **(state or {})}

    def _apply_with_training(self, params, state, rng, inputs, training):
        return self.module.apply(
            self._merged(params, state), inputs, rngs=rng, method=self.method, mutable=self._apply_mutable,
            training=training,
        )

    def _apply(self, params, state, rng, inputs):
        return self.module.apply(
            self._merged(params, state), inputs, rngs=rng, method=self.method, mutable=self._apply_mutable
        )

    def _init_with_training(self, rng, inputs, training):
        return self._split(self.module.init(rng, inputs, method=self.method, training=training))

    def _init(self, rng, inputs):
        return self._split(self.module.init(rng, inputs, method=self.method))

    def _get_init_rng(self):
        return {"params": self._get_init_seed(), "dropout": self._get_init_seed()}

    def _get_call_rng(self, training):
        return {"dropout": self._get_call_seed()} if training else {}

    def get_config(self) -> dict:
        config = Layer.get_config(self)
        method = self.method
        if getattr(method, "__self__", None) is self.module:
            method = method.__name__  # pyright: ignore[reportOptionalMemberAccess] - a bound method has a name
        config.update(
            {
                "module": _registry.serialize_keras_object(self.module),
                "method": _registry.serialize_keras_object(method),
                "native_serialization_platforms": self.native_serialization_platforms,
            }
        )
        return config

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        module = _registry.deserialize_keras_object(config["module"])
        method = config.get("method")
        if isinstance(method, str) and callable(getattr(module, method, None)):
            method = getattr(module, method)  # a method of the module, saved by name
        else:
            method = _function_from_config(method, "method", cls.__name__)
        config["module"], config["method"] = module, method
        return cls(**config)
