"""`ExportArchive`: variables and endpoint functions of kerasx objects, written as one TensorFlow SavedModel."""

from __future__ import annotations

import os

from kerasx.backend import active
from kerasx.export import _signature

NOT_TRACKABLE = (
    "ExportArchive.track takes a kerasx Layer or Model (whose variables the artifact stores). Received: "
    "resource={resource!r} (of type {type})."
)
UNBUILT_RESOURCE = (
    "ExportArchive.track: layer '{name}' is not built, so it has no variables yet. Call it on data or call "
    "`layer.build(input_shape)` first."
)
TAKEN_NAME = "ExportArchive: the name {name!r} is already used by an endpoint or a variable collection. Pick another."
NO_SIGNATURE = (
    "ExportArchive.add_endpoint({name!r}) needs `input_signature`: one spec per positional argument of `fn`. "
    "Example: `input_signature=[kerasx.InputSpec(shape=(None, 3), dtype='float32')]`."
)
NOT_CALLABLE = "ExportArchive.add_endpoint({name!r}): `fn` must be callable. Received: fn={fn!r}."
UNTRACKED_VARIABLES = (
    "ExportArchive.add_variable_collection({name!r}): every variable must belong to a tracked resource. Not "
    "tracked: {names}. Call `archive.track(layer)` for the layer that owns them first."
)
NOT_VARIABLES = (
    "ExportArchive.add_variable_collection({name!r}) takes a list of kerasx Variables. Received: {value!r}."
)
NO_ENDPOINTS = (
    "ExportArchive.write_out: the archive has no endpoint to serve. Add one with `add_endpoint` or "
    "`track_and_add_endpoint` first."
)


class ExportArchive:
    """Builds a TensorFlow SavedModel from kerasx layers and functions: tracked variables, named endpoints (with
    input signatures, unknown sizes kept dynamic) and named variable collections; `write_out` saves it.

    Works on the tensorflow backend (the model's own variables) and on jax (through jax2tf; TensorFlow must be
    installed); on torch and numpy the constructor refuses and names the formats those backends write. Reload the
    artifact with `tf.saved_model.load` (endpoints are its attributes) or `kerasx.layers.TFSMLayer`.

    Example:
        >>> import os, tempfile
        >>> import kerasx
        >>> model = kerasx.Sequential([kerasx.Input((3,)), kerasx.layers.Dense(2)])
        >>> path = os.path.join(tempfile.mkdtemp(), "artifact")
        >>> try:
        ...     archive = kerasx.export.ExportArchive()
        ... except ValueError as error:  # torch and numpy: the message names the formats they write
        ...     print(os.path.exists(path) or "SavedModel" in str(error))
        ... else:
        ...     archive.track(model)
        ...     spec = kerasx.InputSpec(shape=(None, 3), dtype="float32")
        ...     _ = archive.add_endpoint("serve", model.__call__, input_signature=[spec])
        ...     archive.write_out(path, verbose=False)
        ...     print(os.path.exists(os.path.join(path, "saved_model.pb")))
        True
    """

    def __init__(self):
        self._writer = active.export.saved_model_writer()
        self._endpoints: dict = {}
        self._collections: dict = {}

    @property
    def variables(self) -> list:
        """The tracked kerasx Variables."""
        return self._writer.tracked()

    def track(self, resource) -> None:
        """Tracks a built layer or model: its variables go into the artifact, and endpoints may read them."""
        # Duck-typed: `kerasx.export` sits below `kerasx.layers` (Model.export imports it), so it cannot import Layer.
        if not (hasattr(resource, "variables") and hasattr(resource, "built") and callable(resource)):
            raise TypeError(NOT_TRACKABLE.format(resource=resource, type=type(resource).__name__))
        if not resource.built:
            raise ValueError(UNBUILT_RESOURCE.format(name=resource.name))
        self._writer.track(resource.variables)

    def add_endpoint(self, name: str, fn, input_signature=None, **kwargs):
        """Adds `fn` as the endpoint `name`, traced for `input_signature` (one spec per positional argument).

        Args:
            name: attribute name of the endpoint in the reloaded artifact.
            fn: a function of tensors reading the variables of tracked resources.
            input_signature: a list with one (possibly nested) `kerasx.InputSpec`, `KerasTensor` or
                `tf.TensorSpec` per positional argument; None sizes stay dynamic.
            **kwargs: on jax, `jax2tf_kwargs` (a dict for `jax2tf.convert`; `polymorphic_shapes` is computed when
                absent) and `is_static` (accepted; endpoints never update state here).

        Returns:
            The `tf.function` that was added.
        """
        self._check_free(name)
        if not callable(fn):
            raise TypeError(NOT_CALLABLE.format(name=name, fn=fn))
        if input_signature is None:
            raise ValueError(NO_SIGNATURE.format(name=name))
        structure, specs = _signature.standardize(input_signature)
        function = self._writer.endpoint(name, fn, specs, structure, **kwargs)
        self._endpoints[name] = function
        return function

    def track_and_add_endpoint(self, name: str, resource, input_signature, **kwargs):
        """`track(resource)` then `add_endpoint(name, resource.__call__, input_signature, **kwargs)`."""
        self.track(resource)
        return self.add_endpoint(name, resource.__call__, input_signature, **kwargs)

    def add_variable_collection(self, name: str, variables) -> None:
        """Stores `variables` (of tracked resources) as the list attribute `name` of the reloaded artifact."""
        self._check_free(name)
        if not isinstance(variables, (list, tuple)):
            raise TypeError(NOT_VARIABLES.format(name=name, value=variables))
        tracked = {id(variable) for variable in self._writer.tracked()}
        missing = [getattr(variable, "path", repr(variable)) for variable in variables if id(variable) not in tracked]
        if missing:
            raise ValueError(UNTRACKED_VARIABLES.format(name=name, names=missing))
        self._writer.variable_collection(name, variables)
        self._collections[name] = list(variables)

    def write_out(self, filepath, options=None, verbose: bool = True) -> None:
        """Saves the SavedModel folder at `filepath`; the first endpoint is also its `serving_default` signature.

        Args:
            filepath: folder to write.
            options: a `tf.saved_model.SaveOptions`.
            verbose: print the endpoints and their input signatures.
        """
        if not self._endpoints:
            raise ValueError(NO_ENDPOINTS)
        filepath = os.fspath(filepath)
        self._writer.save(filepath, self._endpoints, options=options)
        if verbose:
            print(f"Saved artifact at '{filepath}'. The following endpoints are available:")
            for name, function in self._endpoints.items():
                print(f"\n* Endpoint '{name}'\n  Inputs: {function.input_signature}")

    def _check_free(self, name: str) -> None:
        if name in self._endpoints or name in self._collections:
            raise ValueError(TAKEN_NAME.format(name=name))
