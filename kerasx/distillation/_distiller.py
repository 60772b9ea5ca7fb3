"""`Distiller`: a model that trains a student on labels and on a frozen teacher's outputs."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from kerasx import metrics as metrics_module
from kerasx import ops, tree
from kerasx.distillation._losses import _loss_function
from kerasx.models import Model, Sequential
from kerasx.serialization import _registry

NOT_A_MODEL = "{which} must be a kerasx Model (Functional, Sequential or subclassed). Received: {which}={value!r}."
SHAPE_RANK = (
    "Teacher and student {kind} shapes have different ranks. Received: teacher {kind} shape {teacher}, student "
    "{kind} shape {student}. Both models must take the same inputs and give outputs of the same shape."
)
SHAPE_MISMATCH = (
    "Teacher and student {kind} shapes are incompatible: every known dimension must match. Received: teacher "
    "{kind} shape {teacher}, student {kind} shape {student}."
)
DTYPE_MISMATCH = (
    "Teacher and student {kind} dtypes must match. Received: teacher {kind} dtype {teacher}, student {kind} dtype "
    "{student}."
)
BAD_STUDENT_LOSS_WEIGHT = (
    "student_loss_weight must be a number between 0.0 and 1.0 (the distillation losses get 1 - student_loss_weight). "
    "Received: student_loss_weight={value!r}."
)
NO_DISTILLATION_LOSSES = (
    "`distillation_losses` cannot be None. Received: distillation_losses=None. Pass a distillation loss (e.g. "
    "`kerasx.distillation.LogitsDistillation()` or `FeatureDistillation()`) or a list of them."
)
WEIGHTS_LENGTH = (
    "distillation_loss_weights needs one weight per distillation loss. Received: {num_weights} weight(s) "
    "(distillation_loss_weights={weights!r}) for {num_losses} distillation loss(es)."
)
NO_STUDENT_LOSS = (
    "Distiller.compile needs `loss`, the student's supervised loss. Received: loss=None. Pass e.g. "
    "`loss='sparse_categorical_crossentropy'`."
)
METRICS_NOT_A_LIST = "Distiller.compile takes `metrics` as a list or tuple. Received: metrics={metrics!r}."
NON_SCALAR_LOSS = (
    "Distillation loss {cls} returned a loss of shape {shape}; `compute_loss` must return a scalar. Reduce it "
    "(e.g. with `kerasx.ops.mean`) before returning it."
)

_FINAL_OUTPUT = "final_output"


def _check_shapes(kind: str, teacher_shape, student_shape) -> None:
    teacher_shape, student_shape = tuple(teacher_shape), tuple(student_shape)
    if len(teacher_shape) != len(student_shape):
        raise ValueError(SHAPE_RANK.format(kind=kind, teacher=teacher_shape, student=student_shape))
    for teacher_dim, student_dim in zip(teacher_shape, student_shape):
        if teacher_dim is not None and student_dim is not None and teacher_dim != student_dim:
            raise ValueError(SHAPE_MISMATCH.format(kind=kind, teacher=teacher_shape, student=student_shape))


def _check_dtypes(kind: str, teacher_dtype, student_dtype) -> None:
    if teacher_dtype != student_dtype:
        raise ValueError(DTYPE_MISMATCH.format(kind=kind, teacher=teacher_dtype, student=student_dtype))


def _check_models(teacher, student) -> None:
    """Models with symbolic inputs and outputs must agree on their shapes and dtypes; subclassed ones are taken as
    they are."""
    for which, value in (("teacher", teacher), ("student", student)):
        if not isinstance(value, Model):
            raise ValueError(NOT_A_MODEL.format(which=which, value=value))
    pairs = []
    for kind in ("inputs", "outputs"):
        teacher_tensors, student_tensors = getattr(teacher, kind, None), getattr(student, kind, None)
        if teacher_tensors is None or student_tensors is None:
            return
        pairs.append((kind[:-1], teacher_tensors, student_tensors))
        tree.map_structure(lambda t, s, k=kind[:-1]: _check_shapes(k, t.shape, s.shape), teacher_tensors,
                           student_tensors)
    for kind, teacher_tensors, student_tensors in pairs:
        tree.map_structure(lambda t, s, k=kind: _check_dtypes(k, t.dtype, s.dtype), teacher_tensors, student_tensors)


def _feature_extractor(model, layer_names: list):
    """A model giving `model`'s final output and the outputs of `layer_names`, in one forward pass; None when no
    layer is named (the model's own call then gives the final output)."""
    if not layer_names:
        return None
    final_output = model.layers[-1].output if isinstance(model, Sequential) else model.output
    outputs = {_FINAL_OUTPUT: final_output}
    for name in layer_names:
        outputs[name] = model.get_layer(name=name).output
    return Model(inputs=model.inputs, outputs=outputs, name=f"{model.name}_multi_feature_extractor")


def _unique_names(distillation_losses: Sequence, attribute: str) -> list:
    names = []
    for loss in distillation_losses:
        name = getattr(loss, attribute, None)
        if name and name not in names:
            names.append(name)
    return names


@_registry.builtin
class Distiller(Model):
    """Knowledge distillation: trains `student` on the labels and on the outputs of a frozen `teacher`.

    The training loss is `student_loss_weight * student_loss + (1 - student_loss_weight) * distillation_loss`,
    where `student_loss` is the compiled `loss` between labels and the student's predictions and
    `distillation_loss` the weighted sum of the `distillation_losses`. The teacher is set non-trainable; only the
    student's weights change. Calling the distiller (and `predict`) gives the student's output. Besides "loss", the
    metrics report "student_loss", "distillation_loss" and "total_loss".

    Args:
        teacher: a trained Model whose knowledge is transferred; frozen (`trainable = False`).
        student: the Model to train; `distiller.student` is the trained model afterwards.
        distillation_losses: a `DistillationLoss` (`LogitsDistillation`, `FeatureDistillation`, your own) or a list.
        distillation_loss_weights: one weight per distillation loss; None weighs each by 1.0 (a single loss, not in
            a list, always has weight 1.0).
        student_loss_weight: weight of the supervised loss, between 0.0 and 1.0.
        name: the distiller's name.
        **kwargs: other `Model` arguments.

    Example:
        >>> import numpy as np
        >>> import kerasx
        >>> def mlp(units, name):
        ...     inputs = kerasx.Input(shape=(4,))
        ...     hidden = kerasx.layers.Dense(units, activation="relu", kernel_initializer="ones")(inputs)
        ...     return kerasx.Model(inputs, kerasx.layers.Dense(3, kernel_initializer="ones")(hidden), name=name)
        >>> distiller = kerasx.distillation.Distiller(
        ...     teacher=mlp(8, "teacher"), student=mlp(2, "student"),
        ...     distillation_losses=kerasx.distillation.LogitsDistillation(temperature=2.0))
        >>> distiller.teacher.trainable
        False
        >>> distiller.compile(optimizer="sgd", loss="sparse_categorical_crossentropy")
        >>> print(distiller.predict(np.ones((2, 4)), verbose=0))
        [[8. 8. 8.]
         [8. 8. 8.]]
    """

    def __init__(self, teacher: Model, student: Model, distillation_losses: Any,
                 distillation_loss_weights: list | None = None, student_loss_weight: float = 0.5,
                 name: str = "distiller", **kwargs):
        super().__init__(name=name, **kwargs)
        _check_models(teacher, student)
        self.teacher = teacher
        self.student = student
        weight = student_loss_weight
        if isinstance(weight, bool) or not isinstance(weight, (int, float)) or not 0.0 <= weight <= 1.0:
            raise ValueError(BAD_STUDENT_LOSS_WEIGHT.format(value=weight))
        self.student_loss_weight = student_loss_weight
        if distillation_losses is None:
            raise ValueError(NO_DISTILLATION_LOSSES)
        if not isinstance(distillation_losses, (list, tuple)):
            distillation_losses, distillation_loss_weights = [distillation_losses], [1.0]
        elif distillation_loss_weights is None:
            distillation_loss_weights = [1.0] * len(distillation_losses)
        elif len(distillation_loss_weights) != len(distillation_losses):
            raise ValueError(WEIGHTS_LENGTH.format(num_weights=len(distillation_loss_weights),
                                                   weights=distillation_loss_weights,
                                                   num_losses=len(distillation_losses)))
        self.distillation_losses = distillation_losses
        self.distillation_loss_weights = distillation_loss_weights
        for distillation_loss in distillation_losses:
            distillation_loss.validate_model_compatibility(teacher, student)
        self._teacher_feature_extractor = _feature_extractor(
            teacher, _unique_names(distillation_losses, "teacher_layer_name"))
        self._student_feature_extractor = _feature_extractor(
            student, _unique_names(distillation_losses, "student_layer_name"))
        # Which features each loss compares, read once here rather than at every step.
        self._feature_keys = tuple(
            (loss, weight, getattr(loss, "teacher_layer_name", None) is not None,
             getattr(loss, "teacher_layer_name", None) or _FINAL_OUTPUT,
             getattr(loss, "student_layer_name", None) or _FINAL_OUTPUT)
            for loss, weight in zip(distillation_losses, distillation_loss_weights)
        )
        self.teacher.trainable = False
        self.student_loss_tracker = metrics_module.Mean(name="student_loss")
        self.distillation_loss_tracker = metrics_module.Mean(name="distillation_loss")
        self.total_loss_tracker = metrics_module.Mean(name="total_loss")
        self._student_loss = None

    def compile(self, optimizer="adam", loss=None, metrics=None, **kwargs):
        """Configures training; `loss` is the student's supervised loss (required), the other arguments are
        `Model.compile`'s (`metrics` as a list or tuple)."""
        if loss is None:
            raise ValueError(NO_STUDENT_LOSS)
        if metrics is not None and not isinstance(metrics, (list, tuple)):
            raise ValueError(METRICS_NOT_A_LIST.format(metrics=metrics))
        self._student_loss = tree.map_structure(_loss_function, loss)
        super().compile(optimizer=optimizer, loss=None, metrics=metrics, **kwargs)

    def call(self, inputs, training=None, **kwargs):
        return self.student(inputs, training=training, **kwargs)

    def _teacher_features(self, x) -> dict:
        if self._teacher_feature_extractor is not None:
            return self._teacher_feature_extractor(x, training=False)
        return {_FINAL_OUTPUT: self.teacher(x, training=False)}

    def _student_features(self, x, y_pred) -> dict:
        if self._student_feature_extractor is not None:
            return self._student_feature_extractor(x, training=True)
        return {_FINAL_OUTPUT: y_pred}

    def _supervised_loss(self, y, y_pred):
        values = tree.flatten(tree.map_structure(lambda loss, target, output: loss(target, output),
                                                 self._student_loss, y, y_pred))
        student_loss = ops.sum(ops.stack(values)) if len(values) > 1 else values[0]
        if len(getattr(student_loss, "shape", ())):
            student_loss = ops.mean(student_loss)
        return student_loss

    def _distillation_loss(self, x, y_pred):
        total = 0.0
        teacher_features = self._teacher_features(x)
        student_features = self._student_features(x, y_pred)
        for distillation_loss, weight, by_layer, teacher_key, student_key in self._feature_keys:
            teacher_output = teacher_features[teacher_key]
            student_output = student_features[student_key] if by_layer else y_pred
            distillation_loss.validate_outputs(teacher_output, student_output)
            value = distillation_loss.compute_loss(teacher_output, student_output)
            if len(getattr(value, "shape", ())):
                raise ValueError(NON_SCALAR_LOSS.format(cls=type(distillation_loss).__name__, shape=tuple(value.shape)))
            total = ops.add(total, ops.multiply(weight, value))
        return total

    def compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None, training=True):
        """`student_loss_weight * student_loss + (1 - student_loss_weight) * distillation_loss`; also updates the
        "student_loss", "distillation_loss" and "total_loss" metrics. `sample_weight` is not used."""
        if y_pred is None:
            y_pred = self(x, training=training)
        student_loss = 0.0
        if self.student_loss_weight > 0.0 and y is not None:
            student_loss = self._supervised_loss(y, y_pred)
        distillation_loss = 0.0
        if self.student_loss_weight < 1.0:
            distillation_loss = self._distillation_loss(x, y_pred)
        total_loss = ops.add(ops.multiply(self.student_loss_weight, student_loss),
                             ops.multiply(ops.subtract(1.0, self.student_loss_weight), distillation_loss))
        self.student_loss_tracker.update_state(student_loss)
        self.distillation_loss_tracker.update_state(distillation_loss)
        self.total_loss_tracker.update_state(total_loss)
        return total_loss

    def get_config(self) -> dict:
        config = super().get_config()
        config.update({
            "teacher": _registry.serialize_keras_object(self.teacher),
            "student": _registry.serialize_keras_object(self.student),
            "distillation_losses": [_registry.serialize_keras_object(loss) for loss in self.distillation_losses],
            "distillation_loss_weights": list(self.distillation_loss_weights),
            "student_loss_weight": self.student_loss_weight,
        })
        return config

    @classmethod
    def from_config(cls, config: dict, custom_objects=None):
        config = dict(config)
        for key in ("teacher", "student"):
            config[key] = _registry.deserialize_keras_object(config[key], custom_objects=custom_objects)
        config["distillation_losses"] = [_registry.deserialize_keras_object(loss, custom_objects=custom_objects)
                                         for loss in config["distillation_losses"]]
        return cls(**config)

