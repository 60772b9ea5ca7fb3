"""Distillation losses: how a student's outputs (or features) are compared with its teacher's."""

from __future__ import annotations

from typing import Any

from kerasx import losses as losses_module
from kerasx import ops, tree
from kerasx.serialization import _registry

BASE_COMPUTE_LOSS = (
    "{cls} does not define `compute_loss`: `DistillationLoss` is a base class. Subclass it and override "
    "`compute_loss(self, teacher_outputs, student_outputs, **kwargs)` to return a scalar loss, or use "
    "`LogitsDistillation` / `FeatureDistillation`."
)
ALL_LOSSES_NONE = (
    "{cls} needs at least one loss that is not None. Received: loss={loss!r}. Pass e.g. loss={default!r}, or a "
    "structure of losses matching the outputs with None only for the outputs to skip."
)
BAD_TEMPERATURE = "LogitsDistillation's temperature must be a positive number. Received: temperature={temperature!r}."
LAYER_NAMES_NEED_GRAPH = (
    "FeatureDistillation with layer names reads intermediate layer outputs, which needs Functional or Sequential "
    "models, but the {which} model(s) are subclassed (they have no symbolic inputs and outputs). Use "
    "Functional/Sequential models, FeatureDistillation without layer names (final outputs), or LogitsDistillation."
)
NO_SUCH_FEATURE_LAYER = "In {which} model: {error} (FeatureDistillation's {which}_layer_name={name!r})."
LOSS_STRUCTURE = (
    "FeatureDistillation's loss structure does not match the features it compares. Received: loss={loss!r} for "
    "teacher features structured as {structure}. Give one loss per feature (None to skip one). Error: {error}"
)


def _loss_function(identifier):
    """A loss for a name ("mse" gives the function, as `kerasx.losses.get` does); None stays None (skip)."""
    if identifier is None:
        return None
    if isinstance(identifier, str):
        return losses_module.get(identifier)
    return identifier


def _losses_of(loss, cls: str, default: str):
    resolved = tree.map_structure(_loss_function, loss)
    if all(item is None for item in tree.flatten(resolved)):
        raise ValueError(ALL_LOSSES_NONE.format(cls=cls, loss=loss, default=default))
    return resolved


def _sum(values: list):
    # Skipped outputs add nothing; one loss is returned as it is (stacking it would add an op to every step).
    values = [value for value in values if value is not None]
    return values[0] if len(values) == 1 else ops.sum(ops.stack(values))


@_registry.builtin
class DistillationLoss:
    """Base class of the losses a `Distiller` adds: it compares the teacher's outputs with the student's.

    Subclass it and override `compute_loss(teacher_outputs, student_outputs, **kwargs)` to return a scalar.
    `validate_outputs` (called with each batch's outputs) and `validate_model_compatibility` (called once, when
    the `Distiller` is built) can be overridden to check the models and outputs first.

    Example:
        >>> import numpy as np
        >>> import kerasx
        >>> class MeanGap(kerasx.distillation.DistillationLoss):
        ...     def compute_loss(self, teacher_outputs, student_outputs, **kwargs):
        ...         return kerasx.ops.mean(kerasx.ops.abs(teacher_outputs - student_outputs))
        >>> loss = MeanGap().compute_loss(np.array([[1.0, 2.0]]), np.array([[0.0, 4.0]]))
        >>> print(round(float(loss), 4))
        1.5
    """

    def compute_loss(self, teacher_outputs: Any, student_outputs: Any, **kwargs) -> Any:
        """The distillation loss (a scalar) between the teacher's and the student's outputs or features.

        Args:
            teacher_outputs: the teacher's outputs: a tensor or a structure (list, tuple, dict) of them.
            student_outputs: the student's outputs, structured like `teacher_outputs`.
            **kwargs: extra arguments a subclass may use.
        """
        raise TypeError(BASE_COMPUTE_LOSS.format(cls=type(self).__name__))

    def validate_outputs(self, teacher_outputs: Any, student_outputs: Any) -> None:
        """Raises a ValueError when the teacher's and the student's outputs are not structured alike."""
        tree.assert_same_structure(teacher_outputs, student_outputs)

    def validate_model_compatibility(self, teacher, student) -> None:
        """Raises a ValueError when this loss cannot compare the two models; the base class accepts any."""

    def get_config(self) -> dict:
        return {}

    @classmethod
    def from_config(cls, config: dict):
        return cls(**config)


@_registry.builtin
class LogitsDistillation(DistillationLoss):
    """Compares the student's final outputs (logits) with the teacher's, both divided by a temperature.

    A `kerasx.losses.KLDivergence` instance compares the softmax of the scaled logits and is multiplied by
    `temperature ** 2` (gradients then keep their size as the temperature changes). Any other loss, including the
    default name "kl_divergence" (which gives the plain function, as in Keras 3), is applied to the scaled logits
    themselves. Each loss is averaged to a scalar, and the losses of several outputs are summed.

    Args:
        temperature: positive number dividing both models' logits; higher values soften the distributions.
        loss: a loss name, function or `Loss` instance; or a structure of them matching the outputs, with None for
            outputs not to distill (at least one must be a loss).

    Example:
        >>> import numpy as np
        >>> import kerasx
        >>> distill = kerasx.distillation.LogitsDistillation(temperature=2.0, loss=kerasx.losses.KLDivergence())
        >>> teacher_logits = np.array([[2.0, 0.0, -2.0]])
        >>> print(round(float(distill.compute_loss(teacher_logits, teacher_logits)), 4))
        0.0
        >>> print(round(float(distill.compute_loss(teacher_logits, np.zeros((1, 3)))), 4))
        1.0649
    """

    def __init__(self, temperature: float = 3.0, loss: Any = "kl_divergence"):
        self.temperature = temperature
        self.loss = _losses_of(loss, "LogitsDistillation", "kl_divergence")
        if isinstance(temperature, bool) or not isinstance(temperature, (int, float)) or temperature <= 0:
            raise ValueError(BAD_TEMPERATURE.format(temperature=temperature))

    def _one_loss(self, loss_fn, teacher_logits, student_logits):
        if loss_fn is None:
            return None
        temperature = self.temperature
        teacher_logits = ops.divide(teacher_logits, temperature)
        student_logits = ops.divide(student_logits, temperature)
        if isinstance(loss_fn, losses_module.KLDivergence):
            teacher_probs = ops.softmax(teacher_logits, axis=-1)
            student_probs = ops.softmax(student_logits, axis=-1)
            return ops.mean(loss_fn(teacher_probs, student_probs)) * (temperature**2)
        return ops.mean(loss_fn(teacher_logits, student_logits))

    def compute_loss(self, teacher_outputs: Any, student_outputs: Any, **kwargs) -> Any:
        """The summed loss between the temperature-scaled logits of the teacher and of the student."""
        values = tree.map_structure(self._one_loss, self.loss, teacher_outputs, student_outputs)
        return _sum(tree.flatten(values))

    def get_config(self) -> dict:
        return {"temperature": self.temperature, "loss": _serialize_losses(self.loss)}

    @classmethod
    def from_config(cls, config: dict):
        config = dict(config)
        config["loss"] = _deserialize_losses(config["loss"])
        return cls(**config)


@_registry.builtin
class FeatureDistillation(DistillationLoss):
    """Compares features of the student with the teacher's: its final outputs, or the outputs of named layers.

    With layer names both models must be Functional or Sequential (their layers' symbolic outputs are read); the
    `Distiller` then runs one extra forward pass of each model that returns every requested layer's output.

    Args:
        loss: a loss name ("mse", "cosine_similarity", "mae"), function or `Loss` instance; or a structure of them
            matching the features, with None for features to skip (at least one must be a loss).
        teacher_layer_name: name of the teacher layer whose output is compared; None: the teacher's final output.
        student_layer_name: name of the student layer whose output is compared; None: the student's final output.

    Example:
        >>> import numpy as np
        >>> import kerasx
        >>> distill = kerasx.distillation.FeatureDistillation(loss="mse")
        >>> print(round(float(distill.compute_loss(np.array([[1.0, 2.0]]), np.array([[0.0, 4.0]]))), 4))
        2.5
    """

    def __init__(self, loss: Any = "mse", teacher_layer_name: str | None = None,
                 student_layer_name: str | None = None):
        self.teacher_layer_name = teacher_layer_name
        self.student_layer_name = student_layer_name
        self.loss = _losses_of(loss, "FeatureDistillation", "mse")

    def validate_model_compatibility(self, teacher, student) -> None:
        """Checks that named layers exist in Functional/Sequential models."""
        if self.teacher_layer_name is None and self.student_layer_name is None:
            return
        subclassed = [which for which, model in (("teacher", teacher), ("student", student))
                      if getattr(model, "inputs", None) is None]
        if subclassed:
            raise ValueError(LAYER_NAMES_NEED_GRAPH.format(which=" and ".join(subclassed)))
        for which, model, name in (("teacher", teacher, self.teacher_layer_name),
                                   ("student", student, self.student_layer_name)):
            if name is None:
                continue
            try:
                model.get_layer(name=name)
            except ValueError as error:
                raise ValueError(NO_SUCH_FEATURE_LAYER.format(which=which, error=error, name=name)) from None

    def validate_outputs(self, teacher_outputs: Any, student_outputs: Any) -> None:
        """Checks that the features are structured alike, and like `loss`."""
        super().validate_outputs(teacher_outputs, student_outputs)
        try:
            tree.assert_same_structure(self.loss, teacher_outputs)
        except (ValueError, TypeError) as error:
            structure = tree.map_structure(lambda _: "*", teacher_outputs)
            raise ValueError(LOSS_STRUCTURE.format(loss=self.loss, structure=structure, error=error)) from None

    def _one_loss(self, loss_fn, teacher_features, student_features):
        if loss_fn is None:
            return None
        return ops.mean(loss_fn(teacher_features, student_features))

    def compute_loss(self, teacher_outputs: Any, student_outputs: Any, **kwargs) -> Any:
        """The summed, averaged loss between the teacher's and the student's features."""
        values = tree.map_structure(self._one_loss, self.loss, teacher_outputs, student_outputs)
        return _sum(tree.flatten(values))

    def get_config(self) -> dict:
        return {
            "loss": _serialize_losses(self.loss),
            "teacher_layer_name": self.teacher_layer_name,
            "student_layer_name": self.student_layer_name,
        }

    @classmethod
    def from_config(cls, config: dict):
        config = dict(config)
        config["loss"] = _deserialize_losses(config["loss"])
        return cls(**config)


def _serialize_losses(loss):
    return tree.map_structure(lambda item: None if item is None else losses_module.serialize(item), loss)


def _deserialize_losses(config):
    """Inverse of `_serialize_losses`; a serialized `Loss` is a dict too, so it is recognised before descending."""
    if config is None:
        return None
    if isinstance(config, str) or (isinstance(config, dict) and "class_name" in config):
        return losses_module.deserialize(config)
    if isinstance(config, dict):
        return {key: _deserialize_losses(value) for key, value in config.items()}
    return type(config)(_deserialize_losses(value) for value in config)
