"""`Trainer`: compile / fit / evaluate / predict, written once for every engine.

The loop, callbacks and progress bar are engine-free. An engine contributes two things through
`kerasx.backend.active.trainer`: `compute_gradients` (autodiff with respect to variables) and `make_step`
(jax.jit over donated state, tf.function, or eager torch). A user's `train_step` override written with kerasx ops
therefore runs on all three engines unchanged.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any

from kerasx import metrics as metrics_module
from kerasx import ops
from kerasx import optimizers as optimizers_module
from kerasx.backend import active, floatx, is_float
from kerasx.backend._traceback import filter_traceback
from kerasx.layers._layer import Layer
from kerasx.trainers import _first_batch, _loops
from kerasx.trainers._compile_loss import CompileLoss
from kerasx.trainers._compile_metrics import CompileMetrics
from kerasx.trainers._stateless_steps import StatelessTrainerMixin
from kerasx.trainers._structures import batch_size_of, output_names_of
from kerasx.trainers._trainer_state import TrainerStateMixin
from kerasx.trainers.data import unpack_x_y_sample_weight

NOT_COMPILED = (
    "You must call `compile()` before `{method}()` on model '{name}'. For example: "
    "`model.compile(optimizer='adam', loss='mse')`."
)
NO_LOSS = (
    "Model '{name}' has no loss to minimize: `compile()` was called without `loss=` and the model added no losses "
    "(`add_loss`). Pass e.g. `loss='mse'` to compile, or override `compute_loss`."
)


# Methods whose default versions create nothing while a step runs beyond what `_first_batch` builds before it.
_STEP_METHODS = ("train_step", "test_step", "predict_step", "compute_loss", "compute_metrics")

_STEP_NAMES = {"train": "train_step", "test": "test_step", "predict": "predict_step"}
# Metrics `compile` sets; every other Metric assigned to a model attribute is one of its own `metrics`.
_COMPILE_METRIC_ATTRIBUTES = frozenset(("_loss_tracker", "_compile_metrics"))


def _takes_training(compute_loss) -> bool:
    """Whether a `compute_loss` accepts `training` (Keras added it in 3.3; older overrides lack it)."""
    parameters = inspect.signature(compute_loss).parameters.values()
    return any(p.name == "training" or p.kind is p.VAR_KEYWORD for p in parameters)


def _additional_loss(loss):
    """A loss from `add_loss` or a regularizer as a float scalar, as Keras adds them to the total."""
    if len(loss.shape):
        loss = ops.sum(loss)
    dtype = ops.dtype(loss)
    return loss if is_float(dtype) else ops.cast(loss, floatx())


class _Holder:
    __slots__ = ("value",)

    def __init__(self, value):
        self.value = value


class Trainer(TrainerStateMixin, StatelessTrainerMixin):
    """Mixin giving models `compile`, `fit`, `evaluate`, `predict` and the `*_on_batch` methods.

    `kerasx.Model` (and so `Sequential` and functional models) inherit these methods; the training loop is written
    once and the selected engine supplies the compiled step.

    Example:
        >>> import numpy as np
        >>> import kerasx
        >>> issubclass(kerasx.Model, kerasx.trainers.Trainer)
        True
        >>> model = kerasx.Sequential([kerasx.Input(shape=(2,)), kerasx.layers.Dense(1, kernel_initializer="ones")])
        >>> model.compile(optimizer="sgd", loss="mse")
        >>> model.evaluate(np.ones((4, 2)), np.ones((4, 1)), verbose=0)
        1.0
        >>> print(model.predict_on_batch(np.array([[1.0, 3.0]])))
        [[4.]]
    """

    # Provided by `Layer` (a Model is both).
    __call__: Callable[..., Any]
    built: bool
    variables: list
    losses: list
    _flatten_layers: Callable[..., list]
    _loss_sources: Callable[[], tuple]
    _losses_of: Callable[..., list]

    # Defaults before `compile()`: predict works on an uncompiled model.
    compiled = False
    run_eagerly = False
    jit_compile = "auto"  # resolved by compile()
    _jit_compile_config = "auto"
    optimizer: Any = None  # an Optimizer once compiled
    loss = None
    _compile_loss: CompileLoss | None = None
    _compile_metrics: CompileMetrics | None = None
    _loss_tracker: Any = None  # a metrics.Mean once compiled
    _step_functions: dict | None = None
    _trainable_cache = None
    _loss_sources_cache = None
    _sublayer_metrics_cache = None
    _compute_loss_takes_training = True

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        # Read once per class, not at every step.
        cls._compute_loss_takes_training = _takes_training(cls.compute_loss)

    def compile(self, optimizer="rmsprop", loss=None, loss_weights=None, metrics=None, weighted_metrics=None,
                run_eagerly=False, steps_per_execution=1, jit_compile="auto", auto_scale_loss=True):
        """Configures the model for training.

        Args:
            optimizer: name (e.g. "adam") or optimizer instance.
            loss: loss name, function or instance; or a list / dict (keyed by output name) of them.
            loss_weights: scalar coefficients per output (list or dict) weighting the total loss.
            metrics: metrics to report; for several outputs a list applied to every output, a list of lists, or a
                dict keyed by output name. "accuracy" picks binary/categorical/sparse accuracy from the targets.
            weighted_metrics: like `metrics`, but weighted by `sample_weight`/`class_weight`.
            run_eagerly: run steps without compiling (debugging).
            jit_compile: compile steps with XLA (JAX, TensorFlow) or `torch.compile`. "auto": on for JAX; on for
                TensorFlow unless it has only a CPU and the model has convolutions (XLA runs those ~3x slower on
                CPU); off for torch.
            auto_scale_loss: when the model computes in float16 (`dtype_policy` "mixed_float16"), wrap the optimizer
                in a `LossScaleOptimizer`, as Keras 3 does, so that small float16 gradients do not underflow.
        """
        self.optimizer = optimizers_module.get(optimizer)
        policy = getattr(self, "dtype_policy", None)
        if (
            auto_scale_loss
            and policy is not None
            and policy.compute_dtype == "float16"
            and not isinstance(self.optimizer, optimizers_module.LossScaleOptimizer)
        ):
            self.optimizer = optimizers_module.LossScaleOptimizer(self.optimizer)
        object.__setattr__(self, "loss", loss)  # as given, like Keras; not a tracked attribute
        self._compile_loss = None if loss is None else CompileLoss(loss, loss_weights)
        no_metrics = metrics is None and weighted_metrics is None
        self._compile_metrics = None if no_metrics else CompileMetrics(metrics, weighted_metrics)
        self._loss_tracker = metrics_module.Mean(name="loss")
        self.run_eagerly = bool(run_eagerly)
        self.jit_compile = self._auto_jit_compile() if jit_compile == "auto" else bool(jit_compile)
        # Saved as given: "auto" in a file means the loading engine's choice, not the saving engine's.
        self._jit_compile_config = jit_compile if jit_compile == "auto" else bool(jit_compile)
        self.steps_per_execution = steps_per_execution
        self.compiled = True
        self.stop_training = False
        self._reset_step_functions()
        if getattr(self, "built", False):
            # What is trainable is fixed here, as in Keras: a GAN's discriminator compiled while trainable keeps
            # training in its own `fit` after `trainable = False` is set for the combined model.
            self._step_trainable_variables()

    # The steps: override these in a subclass; they are engine-free. -------------------------------------------------
    def train_step(self, data):
        """One optimization step on a batch (`x`, `(x, y)` or `(x, y, sample_weight)`, as the data gives it);
        returns the logs: the metrics results."""
        x, y, sample_weight = unpack_x_y_sample_weight(data)

        def loss_fn():
            y_pred = self(x, training=True)
            loss = self._compute_loss(x, y, y_pred, sample_weight, training=True)
            # Gradients of the scaled loss (loss scaling; `scale_loss` returns the loss itself without it). The
            # unscaled loss rides along only when it differs, so an unscaled step returns what it always did.
            scaled_loss = self.optimizer.scale_loss(loss)
            return scaled_loss, (None if scaled_loss is loss else loss, y_pred)

        variables = self._step_trainable_variables()
        scaled_loss, (loss, y_pred), grads = self.compute_gradients(loss_fn, variables)
        if loss is None:
            loss = scaled_loss
        # The step, not `compute_loss`, tracks the loss (as in Keras): a custom step calling `compute_loss` updates
        # the "loss" metric itself. Weighted by batch size: the epoch loss is the mean over samples.
        self._loss_tracker.update_state(loss, sample_weight=batch_size_of(x))
        self.optimizer.apply(grads, variables)
        return self.compute_metrics(x, y, y_pred, sample_weight)

    def test_step(self, data):
        x, y, sample_weight = unpack_x_y_sample_weight(data)
        y_pred = self(x, training=False)
        loss = self._compute_loss(x, y, y_pred, sample_weight, training=False)
        self._loss_tracker.update_state(loss, sample_weight=batch_size_of(x))
        return self.compute_metrics(x, y, y_pred, sample_weight)

    def predict_step(self, data):
        x, _, _ = unpack_x_y_sample_weight(data)
        return self(x, training=False)

    def compute_gradients(self, loss_fn, variables):
        """Runs `loss_fn() -> (loss, aux)` and returns `(loss, aux, gradients)` w.r.t. `variables`, on any engine."""
        return active.trainer.compute_gradients(loss_fn, variables)

    def compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None, training=True):
        """Total loss of a batch: the compiled loss plus the model's own losses (`add_loss`, regularizers).

        It updates no metric: the default steps track the returned loss in the "loss" metric.
        """
        total = None
        if self._compile_loss is not None:
            if not self._compile_loss.built:
                self._compile_loss.build(output_names_of(self, y_pred))
            total = self._compile_loss(y, y_pred, sample_weight)
        for loss in self._step_losses():
            loss = _additional_loss(loss)
            total = loss if total is None else total + loss
        if total is None:
            raise ValueError(NO_LOSS.format(name=self.name))
        return total

    def _compute_loss(self, x, y, y_pred, sample_weight, training):
        """`compute_loss`, also for overrides written before Keras added its `training` argument."""
        if self._compute_loss_takes_training:
            return self.compute_loss(x=x, y=y, y_pred=y_pred, sample_weight=sample_weight, training=training)
        return self.compute_loss(x=x, y=y, y_pred=y_pred, sample_weight=sample_weight)

    def compute_metrics(self, x, y, y_pred, sample_weight=None):
        """Updates the compiled metrics with a batch and returns `get_metrics_result()`."""
        metrics = self._compile_metrics
        if y is not None and metrics is not None:
            if not metrics.built:
                losses = self._compile_loss.losses if self._compile_loss is not None else None
                names = output_names_of(self, y_pred)
                metrics.build(names, y, y_pred, losses or [None] * len(names))
            metrics.update_state(y, y_pred, sample_weight)
        return self.get_metrics_result()

    def get_metrics_result(self) -> dict:
        """Current value of every metric in `metrics`, as tensors (no host sync); the compiled metrics' dict is
        merged into the top level."""
        results = {}
        for metric in self.metrics:
            result = metric.result()
            if isinstance(result, dict):
                results.update(result)
            else:
                results[metric.name] = result
        return results

    @property
    def metrics(self) -> list:
        """As in Keras: once compiled, the "loss" tracker, the compiled metrics (one metric named
        "compile_metrics" whose result is a dict) and the per-output loss trackers; then the metrics assigned to
        the model's attributes, in assignment order; then those of its layers."""
        tracked = []
        if self.compiled:
            if self._loss_tracker is not None:
                tracked.append(self._loss_tracker)
            if self._compile_metrics is not None:
                tracked.append(self._compile_metrics)
            compile_loss = self._compile_loss
            if compile_loss is not None and compile_loss.built:
                tracked.extend(t for t in compile_loss.trackers if t is not None)
        names = self.__dict__.get("_metric_attributes")
        if names:
            for name in names:
                value = self.__dict__.get(name)
                tracked.extend(value if isinstance(value, (list, tuple)) else [value])
        tracked.extend(self._sublayer_metrics())
        return tracked

    def _sublayer_metrics(self) -> list:
        """Metrics of the layers (not of nested models, which have their own trainer), as Keras lists them; the walk
        is done once per `compile`, since `metrics` is read at every step."""
        cached = self._sublayer_metrics_cache
        if cached is None:
            found = [
                metric
                for layer in self._flatten_layers(include_self=False)
                if not isinstance(layer, Trainer)
                for metric in layer._own_metrics()
            ]
            if not self.compiled or not getattr(self, "built", False):
                return found
            cached = self._sublayer_metrics_cache = _Holder(found)
        return cached.value

    def __setattr__(self, name, value):
        if name not in _COMPILE_METRIC_ATTRIBUTES:
            own = isinstance(value, metrics_module.Metric) or (
                isinstance(value, (list, tuple))
                and value
                and all(isinstance(item, metrics_module.Metric) for item in value)
            )
            names = self.__dict__.get("_metric_attributes")
            if own:
                if names is None:
                    names = {}
                    object.__setattr__(self, "_metric_attributes", names)
                names[name] = None
            elif names and name in names:
                del names[name]
        super().__setattr__(name, value)

    @property
    def metrics_names(self) -> list:
        return [metric.name for metric in self.metrics]

    def reset_metrics(self):
        for metric in self.metrics:
            metric.reset_state()

    # Compiled step functions, cached per model. -------------------------------------------------------------------
    def _reset_step_functions(self):
        self._step_functions = {}
        self._trainable_cache = None
        self._loss_sources_cache = None
        self._sublayer_metrics_cache = None

    def _step_trainable_variables(self) -> list:
        """`trainable_variables` as of `compile` (or of the first step, for a model built by it): a changed
        `trainable` takes effect at the next `compile`, as in Keras. Walking every layer at each eager torch step
        would cost ~0.1-0.3 ms on a 10-layer MLP."""
        cached = self._trainable_cache
        if cached is None:
            variables = self.trainable_variables
            if not variables:
                return variables  # not built yet: ask again next step
            # A plain holder object: a list attribute would be tracked by the layer machinery as the model's own.
            cached = self._trainable_cache = _Holder(variables)
        return cached.value

    def _auto_jit_compile(self) -> bool:
        layers = self._flatten_layers()
        # Layers computing on the host (text, vocabulary lookups) call back into Python, which XLA cannot compile.
        if any(not getattr(layer, "supports_jit", True) for layer in layers):
            return False
        convolutional = any(getattr(layer, "_slow_under_cpu_xla", False) for layer in layers)
        return active.trainer.auto_jit_compile(convolutional=convolutional)

    def _step_losses(self) -> list:
        """`losses`, with its layer walk done once per `compile` (like the trainable variables): the walk would
        cost ~0.1 ms of every eager torch step of a small MLP."""
        if type(self).losses is not Layer.losses:
            return self.losses  # a model that defines its own `losses`
        cached = self._loss_sources_cache
        if cached is None:
            if not getattr(self, "built", False):
                return self.losses  # variables (and their regularizers) may still be created
            cached = self._loss_sources_cache = _Holder(self._loss_sources())
        return self._losses_of(*cached.value)

    def _state_variables(self, mode):
        state = list(self.variables)
        for metric in self.metrics:
            state.extend(metric.variables)
        if mode == "train":
            state.extend(self.optimizer.variables)
            # A custom train_step may update with optimizers of its own (a GAN's `d_optimizer` and `g_optimizer`,
            # attributes of the model): their slots and counters change in the step too.
            for value in vars(self).values():
                if isinstance(value, optimizers_module.Optimizer) and value is not self.optimizer:
                    state.extend(value.variables)
        seen = set()
        return [v for v in state if not (id(v) in seen or seen.add(id(v)))]

    def _step_function(self, mode):
        """The step for `mode` ("train", "test", "predict"). Its first call builds what is missing from its batch
        (the model, the compiled loss and metrics, the optimizer); the default steps then run compiled from the
        first batch on (they create nothing), a custom step runs once eagerly (it may create variables) before it
        is compiled over the complete state."""
        if self._step_functions is None:
            self._step_functions = {}
        cached = self._step_functions.get(mode)
        if cached is not None:
            return cached
        training = mode == "train"
        jit_compile = self._auto_jit_compile() if self.jit_compile == "auto" else self.jit_compile

        def compiled(step):
            function = self._step_functions[mode] = active.trainer.make_step(  # pyright: ignore[reportOptionalSubscript] - set above
                step, self._state_variables(mode), jit_compile=jit_compile, training=training
            )
            return function

        def first_call(data):
            built = _first_batch.build_from_batch(self, mode, data)
            takes_state = self._takes_state(mode)
            # A step over explicit state (`train_step(state, data)`) creates nothing: it is wrapped and compiled.
            step = self._stateful_step(mode) if takes_state else getattr(self, _STEP_NAMES[mode])
            eager = active.trainer.make_step(step, [], training=training, eager=True)
            if self.run_eagerly:
                self._step_functions[mode] = eager  # pyright: ignore[reportOptionalSubscript]
                return eager(data)
            if takes_state or (built and self._default_steps()):
                return compiled(step)(data)
            outputs = eager(data)
            compiled(step)
            return outputs

        self._step_functions[mode] = first_call
        return first_call

    def _default_steps(self) -> bool:
        cls = type(self)
        return all(getattr(cls, name) is getattr(Trainer, name) for name in _STEP_METHODS)

    def _assert_compiled(self, method):
        if not getattr(self, "compiled", False):
            raise RuntimeError(NOT_COMPILED.format(method=method, name=self.name))

    # Public loops (implemented in _loops to keep this file about the model side). ----------------------------------
    @filter_traceback
    def fit(self, x=None, y=None, batch_size=None, epochs=1, verbose="auto", callbacks=None, validation_split=0.0,
            validation_data=None, shuffle=True, class_weight=None, sample_weight=None, initial_epoch=0,
            steps_per_epoch=None, validation_steps=None, validation_batch_size=None, validation_freq=1, **kwargs):
        """Trains the model; returns a `History`. Arguments as in Keras 3 (`nb_epoch` is accepted, deprecated)."""
        return _loops.fit(self, **_loops.fit_arguments(locals(), kwargs))

    @filter_traceback
    def evaluate(self, x=None, y=None, batch_size=None, verbose="auto", sample_weight=None, steps=None,
                 callbacks=None, return_dict=False, **kwargs):
        """Loss and metrics on data: a list in the order of `metrics` (a single value alone), or with
        `return_dict=True` the dict callbacks see. Unknown keyword arguments are a ValueError, as in Keras."""
        return _loops.evaluate(self, x, y, batch_size, verbose, sample_weight, steps, callbacks, return_dict, kwargs)

    @filter_traceback
    def predict(self, x, batch_size=None, verbose="auto", steps=None, callbacks=None):
        """Model outputs for `x`, batch by batch, concatenated as NumPy arrays."""
        return _loops.predict(self, x, batch_size, verbose, steps, callbacks)

    @filter_traceback
    def train_on_batch(self, x, y=None, sample_weight=None, class_weight=None, return_dict=False):
        return _loops.train_on_batch(self, x, y, sample_weight, class_weight, return_dict)

    @filter_traceback
    def test_on_batch(self, x, y=None, sample_weight=None, return_dict=False):
        return _loops.test_on_batch(self, x, y, sample_weight, return_dict)

    @filter_traceback
    def predict_on_batch(self, x):
        return _loops.predict_on_batch(self, x)

