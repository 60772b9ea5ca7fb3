"""TensorFlow SavedModel writing and reading, shared by the engines that can produce one (tensorflow, jax).

An engine's `export` module gives a `SavedModelWriter` two things: how a kerasx Variable becomes a `tf.Variable` in
the artifact (tensorflow: the one it already stores; jax: a copy of its value) and how an endpoint function becomes a
`tf.function` (tensorflow: traced as it is; jax: converted with jax2tf first). TensorFlow is imported when the first
artifact is written or read: a jax or torch user who never exports pays nothing.
"""

from __future__ import annotations

import importlib

import numpy as np

from kerasx.backend._export_spec import ExportSpec

TENSORFLOW_MISSING = (
    "{what} needs the `tensorflow` package, which is not installed ({error}). Install it with "
    "`pip install tensorflow` (kerasx's `tensorflow` extra)."
)
UNKNOWN_ENDPOINT = (
    "The SavedModel at {path!r} has no endpoint named {name!r}. Received: {argument}={name!r}. Its endpoints are: "
    "functions {functions} and signatures {signatures}; pass one of them."
)
ENDPOINT_ARGUMENTS = (
    "The SavedModel endpoint {name!r} takes {expected} input(s), but the layer was called with {received}. Call it "
    "with one tensor per input of the endpoint's signature {signature}."
)


def tensorflow(what: str = "Exporting to a TensorFlow SavedModel"):
    """The `tensorflow` module, or an ImportError naming what needs it and how to install it."""
    try:
        return importlib.import_module("tensorflow")  # sys.modules' entry after the first call
    except ImportError as error:
        raise ImportError(TENSORFLOW_MISSING.format(what=what, error=error)) from error


def tensor_spec(spec):
    """A `tf.TensorSpec` for an export spec (`shape`, `dtype`, `name`)."""
    tf = tensorflow()
    return tf.TensorSpec(spec.shape, tf.as_dtype(spec.dtype), name=spec.name)


class SavedModelWriter:
    """Collects variables and endpoints into one `tf.Module` and saves it.

    Args:
        tf_variable: `tf_variable(variable)` -> the artifact's `tf.Variable` for a kerasx Variable.
        tf_function: `tf_function(writer, fn, specs, structure, **kwargs)` -> a `tf.function` taking the nested
            `structure` of `specs` (the engine's endpoint keywords, e.g. jax2tf's, arrive in `kwargs`).
    """

    def __init__(self, tf_variable, tf_function):
        self.tf = tensorflow()
        self._tf_variable = tf_variable
        self._tf_function = tf_function
        self.module = self.tf.Module()
        self.module._tracked_variables = []
        self._by_id: dict = {}

    def track(self, variables) -> None:
        for variable in variables:
            if id(variable) not in self._by_id:
                tf_variable = self._tf_variable(variable)
                self._by_id[id(variable)] = (variable, tf_variable)
                self.module._tracked_variables.append(tf_variable)

    def tracked(self) -> list:
        """The kerasx Variables tracked so far, in tracking order."""
        return [variable for variable, _ in self._by_id.values()]

    def tf_variables(self, variables) -> list:
        return [self._by_id[id(variable)][1] for variable in variables]

    def endpoint(self, name: str, fn, specs, structure, **kwargs):
        """A `tf.function` computing `fn(*args)`, with `args` the nested `structure` of `specs`; stored as `name`."""
        function = self._tf_function(self, fn, specs, structure, **kwargs)
        setattr(self.module, name, function)
        return function

    def variable_collection(self, name: str, variables) -> None:
        setattr(self.module, name, list(self.tf_variables(variables)))

    def save(self, filepath: str, endpoints: dict, options=None) -> None:
        # The first endpoint also serves as the default signature, the one TF Serving calls.
        signatures = {"serving_default": next(iter(endpoints.values()))} if endpoints else None
        self.tf.saved_model.save(self.module, filepath, signatures=signatures, options=options)


def nested_tensor_specs(specs, structure):
    """`structure` (a nested list/dict with export specs at the leaves, in `specs`' order) with `tf.TensorSpec`s."""
    tf = tensorflow()
    return tf.nest.pack_sequence_as(structure, [tensor_spec(spec) for spec in specs])


def load(filepath: str):
    """The object `tf.saved_model.load` restores from `filepath`."""
    return tensorflow("Loading a TensorFlow SavedModel (TFSMLayer)").saved_model.load(filepath)


def find_endpoint(reloaded, filepath: str, name: str, argument: str):
    """`(function, takes_keywords)`: a signature (called with keywords, returns a dict) or a restored function."""
    signatures = dict(getattr(reloaded, "signatures", {}) or {})
    function = getattr(reloaded, name, None)
    if function is not None and callable(function):
        return function, False
    if name in signatures:
        return signatures[name], True
    functions = sorted(
        key for key in dir(reloaded) if not key.startswith("_") and callable(getattr(reloaded, key, None))
    )
    raise ValueError(
        UNKNOWN_ENDPOINT.format(path=filepath, name=name, argument=argument, functions=functions,
                                signatures=sorted(signatures))
    )


def call_endpoint(function, takes_keywords: bool, name: str, inputs):
    """Calls a reloaded endpoint with `inputs` (one tensor, a list, or a dict), as TensorFlow tensors or arrays."""
    tf = tensorflow()
    if not takes_keywords:
        return function(inputs)
    keywords = function.structured_input_signature[1]
    if isinstance(inputs, dict):
        return function(**inputs)
    flat = tf.nest.flatten(inputs)
    if len(flat) != len(keywords):
        raise ValueError(
            ENDPOINT_ARGUMENTS.format(name=name, expected=len(keywords), received=len(flat), signature=keywords)
        )
    outputs = function(**dict(zip(sorted(keywords), flat)))
    # A signature returns a dict; a single output is given back as a tensor, as the function endpoint would.
    return next(iter(outputs.values())) if len(outputs) == 1 else outputs


def endpoint_variables(functions) -> list:
    """The `tf.Variable`s the reloaded endpoint `functions` read: the trainable ones first, each once (the order
    Keras 3's TFSMLayer gives its weights, and so the order of its arrays in a `.keras` file)."""
    trainable, others, seen = [], [], set()
    concretes = []
    for function in functions:
        if hasattr(function, "concrete_functions"):
            concretes.extend(function.concrete_functions)
        elif hasattr(function, "get_concrete_function"):
            concretes.append(function.get_concrete_function())
        else:
            concretes.append(function)
    for concrete in concretes:
        for variable in concrete.trainable_variables:
            if id(variable) not in seen:
                seen.add(id(variable))
                trainable.append(variable)
    for concrete in concretes:
        for variable in concrete.variables:
            if id(variable) not in seen:
                seen.add(id(variable))
                others.append(variable)
    return trainable + others


def output_specs(function, takes_keywords: bool):
    """The outputs of a reloaded endpoint as a structure of `tf.TensorSpec`s, in the form `call_endpoint` returns."""
    tf = tensorflow()
    concrete = function if hasattr(function, "structured_outputs") else function.concrete_functions[0]
    outputs = concrete.structured_outputs
    if takes_keywords and isinstance(outputs, dict) and len(outputs) == 1:
        outputs = next(iter(outputs.values()))
    return tf.nest.map_structure(lambda t: tf.TensorSpec(t.shape, t.dtype), outputs)


def output_shapes(function, takes_keywords: bool, batch=None):
    """The endpoint's outputs as a structure of `ExportSpec`s; an unknown first size becomes `batch`."""
    tf = tensorflow()

    def to_spec(spec):
        dims = spec.shape.as_list() if spec.shape.rank is not None else []
        shape = tuple(batch if axis == 0 and dim is None else dim for axis, dim in enumerate(dims))
        return ExportSpec(shape, spec.dtype.name)

    return tf.nest.map_structure(to_spec, output_specs(function, takes_keywords))


def to_numpy_structure(outputs):
    tf = tensorflow()
    return tf.nest.map_structure(lambda t: np.asarray(t), outputs)
