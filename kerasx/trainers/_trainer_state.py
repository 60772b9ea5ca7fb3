"""The members of Keras 3's `Model` that expose a trainer's state and steps: the state tree (every variable by
path) and the step functions (`make_train_function`, ...). The compile config is `kerasx.models`' (its format is
the saving package's)."""

from __future__ import annotations

from typing import Any

from kerasx import ops

STATE_KINDS = ("trainable_variables", "non_trainable_variables", "optimizer_variables", "metrics_variables")
VALUE_FORMATS = ("backend_tensor", "numpy_array")

BAD_VALUE_FORMAT = (
    "Model '{name}': `get_state_tree(value_format=...)` takes one of {formats}. Received: value_format={value!r}."
)
DUPLICATE_PATH = (
    "Model '{name}': the variable path '{path}' occurs twice among its {kind}, so a state tree keyed by paths cannot "
    "hold both. Give the layers (or other objects) that own them distinct names."
)
UNKNOWN_KIND = (
    "Model '{name}': `set_state_tree` received the key {key!r}; a state tree has the keys {kinds}."
)
UNKNOWN_PATH = (
    "Model '{name}': `set_state_tree` received a value for '{path}' among its {kind}, but no such variable exists. "
    "Known paths: {known}."
)
STATE_SHAPE = (
    "Model '{name}': `set_state_tree` received a value of shape {received} for '{path}', whose shape is {expected}."
)


class TrainerStateMixin:
    """State tree and step functions of `Trainer` (expects its attributes)."""

    name: str
    optimizer: Any
    compiled: bool
    trainable_variables: list
    non_trainable_variables: list
    metrics_variables: list
    _step_function: Any

    # Set by `make_train_function` and the others; None until then, as in Keras 3.
    train_function = None
    test_function = None
    predict_function = None
    # What `compile` received (1 until then); kerasx's steps run one batch per call whatever it is.
    steps_per_execution = 1

    # Step functions ---------------------------------------------------------------------------------------------
    def make_train_function(self, force: bool = False):
        """The function `fit` runs on each batch, also kept as `model.train_function`: it takes a batch (`(x, y)`,
        `(x, y, sample_weight)` or `x`) and returns the logs. The first call builds what is missing and compiles
        the step (unless `run_eagerly`); `force` makes a new one.

        Example:
            >>> import numpy as np
            >>> import kerasx
            >>> model = kerasx.Sequential([kerasx.Input((2,)), kerasx.layers.Dense(1, kernel_initializer="zeros")])
            >>> model.compile(optimizer="sgd", loss="mse")
            >>> step = model.make_train_function()
            >>> step is model.train_function
            True
            >>> batch = (np.ones((4, 2), "float32"), np.ones((4, 1), "float32"))
            >>> # The numpy backend runs inference only: its train step refuses to run.
            >>> kerasx.backend.backend() == "numpy" or float(step(batch)["loss"]) == 1.0
            True
        """
        return self._make_function("train", force)

    def make_test_function(self, force: bool = False):
        """The function `evaluate` runs on each batch (also `model.test_function`): batch in, logs out.

        Example:
            >>> import numpy as np
            >>> import kerasx
            >>> model = kerasx.Sequential([kerasx.Input((2,)), kerasx.layers.Dense(1, kernel_initializer="ones")])
            >>> model.compile(loss="mse")
            >>> logs = model.make_test_function()((np.ones((3, 2), "float32"), np.ones((3, 1), "float32")))
            >>> float(logs["loss"])
            1.0
        """
        return self._make_function("test", force)

    def make_predict_function(self, force: bool = False):
        """The function `predict` runs on each batch (also `model.predict_function`): batch in, outputs out.

        Example:
            >>> import numpy as np
            >>> import kerasx
            >>> model = kerasx.Sequential([kerasx.Input((2,)), kerasx.layers.Dense(1, kernel_initializer="ones")])
            >>> outputs = model.make_predict_function()((np.array([[1.0, 2.0]], "float32"),))
            >>> kerasx.ops.convert_to_numpy(outputs).tolist()
            [[3.0]]
        """
        return self._make_function("predict", force)

    def _make_function(self, mode: str, force: bool):
        attribute = f"{mode}_function"
        existing = self.__dict__.get(attribute)
        if existing is not None and not force:
            return existing
        if force and self.__dict__.get("_step_functions"):
            self.__dict__["_step_functions"].pop(mode, None)
        step = self._step_function(mode)

        def function(data):
            # The cached step changes after its first call (built, then compiled): look it up each time.
            steps = self.__dict__.get("_step_functions") or {}
            return steps.get(mode, step)(data)

        object.__setattr__(self, attribute, function)
        return function

    # State tree -------------------------------------------------------------------------------------------------
    def _state_tree_groups(self) -> dict:
        optimizer = self.optimizer
        return {
            "trainable_variables": list(self.trainable_variables),
            "non_trainable_variables": list(self.non_trainable_variables),
            "optimizer_variables": list(optimizer.variables) if optimizer is not None else [],
            "metrics_variables": list(self.metrics_variables),
        }

    def get_state_tree(self, value_format: str = "backend_tensor") -> dict:
        """Every variable of the model, its optimizer and its metrics, as nested dicts keyed by the parts of each
        variable's path (`{"trainable_variables": {"dense": {"kernel": ...}}, ...}`).

        Args:
            value_format: "backend_tensor" (the engine's tensors) or "numpy_array".

        Example:
            >>> import kerasx
            >>> model = kerasx.Sequential([kerasx.Input((2,)), kerasx.layers.Dense(1, name="head")], name="net")
            >>> tree = model.get_state_tree("numpy_array")
            >>> sorted(tree)
            ['metrics_variables', 'non_trainable_variables', 'optimizer_variables', 'trainable_variables']
            >>> sorted(tree["trainable_variables"]["net"]["head"])
            ['bias', 'kernel']
        """
        if value_format not in VALUE_FORMATS:
            raise ValueError(BAD_VALUE_FORMAT.format(name=self.name, formats=VALUE_FORMATS, value=value_format))
        groups = self._state_tree_groups()
        return {kind: self._nested(variables, kind, value_format) for kind, variables in groups.items()}

    def _nested(self, variables: list, kind: str, value_format: str) -> dict:
        tree: dict = {}
        seen = set()
        for variable in variables:
            if variable.path in seen:
                raise ValueError(DUPLICATE_PATH.format(name=self.name, path=variable.path, kind=kind))
            seen.add(variable.path)
            value = variable.numpy() if value_format == "numpy_array" else variable.value
            *parents, leaf = variable.path.split("/")
            node = tree
            for part in parents:
                node = node.setdefault(part, {})
            node[leaf] = value
        return tree

    def set_state_tree(self, state_tree: dict) -> None:
        """Assigns the values of a state tree (`get_state_tree`'s form; any subset of kinds and paths) to the
        model's variables, checking every path and shape before assigning any.

        Example:
            >>> import numpy as np
            >>> import kerasx
            >>> model = kerasx.Sequential([kerasx.Input((2,)), kerasx.layers.Dense(1, name="head")], name="net")
            >>> model.set_state_tree({"trainable_variables": {"net": {"head": {"bias": np.array([0.5], "float32")}}}})
            >>> model.layers[0].bias.numpy().tolist()
            [0.5]
        """
        groups = self._state_tree_groups()
        plan = []
        for kind, subtree in state_tree.items():
            if kind not in groups:
                raise ValueError(UNKNOWN_KIND.format(name=self.name, key=kind, kinds=list(STATE_KINDS)))
            by_path = {variable.path: variable for variable in groups[kind]}
            for path, value in _flatten_tree(subtree).items():
                variable = by_path.get(path)
                if variable is None:
                    raise ValueError(UNKNOWN_PATH.format(name=self.name, path=path, kind=kind, known=sorted(by_path)))
                shape = tuple(ops.shape(value)) if hasattr(value, "shape") else ()
                if shape != tuple(variable.shape):
                    raise ValueError(
                        STATE_SHAPE.format(name=self.name, path=path, received=shape, expected=tuple(variable.shape))
                    )
                plan.append((variable, value))
        for variable, value in plan:
            variable.assign(value)


def _flatten_tree(tree, prefix: str = "") -> dict:
    if not isinstance(tree, dict):
        return {prefix: tree}
    flat: dict = {}
    for key, value in tree.items():
        flat.update(_flatten_tree(value, f"{prefix}/{key}" if prefix else str(key)))
    return flat
