"""Keras 3's JAX guides ("Customizing what happens in fit() with JAX", "Writing a training loop from scratch in
JAX"): their recipes, written as programs over the library module, run with `import keras` and with `import kerasx
as keras` from the same weights and data and give the same History, metrics and weights (1e-5)."""

import numpy as np
import pytest

import kerasx

if kerasx.backend.backend() != "jax":
    pytest.skip("JAX recipes (stateless train_step, jax.value_and_grad) run on the jax backend", allow_module_level=True)

import jax  # noqa: E402

import guide_support  # noqa: E402
from guide_support import assert_same_runs  # noqa: E402

keras = guide_support.oracle()
LIBRARIES = {"keras": keras, "kerasx": kerasx}


def _run_both(program, **kwargs):
    expected = program(keras, **kwargs)
    actual = program(kerasx, **kwargs)
    assert_same_runs(actual, expected)
    return actual, expected


def _dense_model(lib, model_class, with_batch_norm=False, regularized=False):
    inputs = lib.Input(shape=(32,))
    hidden = inputs
    if with_batch_norm:
        # No bias before the normalization: its gradient is rounding noise there, which Adam scales up.
        hidden = lib.layers.Dense(8, activation="relu", use_bias=False)(hidden)
        hidden = lib.layers.BatchNormalization()(hidden)
    regularizer = lib.regularizers.L2(0.05) if regularized else None
    outputs = lib.layers.Dense(1, kernel_regularizer=regularizer)(hidden)
    model = model_class(inputs, outputs)
    model.set_weights(guide_support.seeded_weights(model))
    return model


# "A first simple example": the whole step is pure, over (trainable, non-trainable, optimizer, metrics) values.
def _first_example_class(lib):
    class CustomModel(lib.Model):
        def compute_loss_and_updates(self, trainable_variables, non_trainable_variables, metrics_variables, x, y,
                                     sample_weight, training=False):
            y_pred, non_trainable_variables = self.stateless_call(
                trainable_variables, non_trainable_variables, x, training=training
            )
            loss, (trainable_variables, non_trainable_variables, metrics_variables) = self.stateless_compute_loss(
                trainable_variables, non_trainable_variables, metrics_variables, x=x, y=y, y_pred=y_pred,
                sample_weight=sample_weight, training=training,
            )
            return loss, (y_pred, non_trainable_variables, metrics_variables)

        def train_step(self, state, data):
            trainable_variables, non_trainable_variables, optimizer_variables, metrics_variables = state
            x, y, sample_weight = lib.utils.unpack_x_y_sample_weight(data)
            grad_fn = jax.value_and_grad(self.compute_loss_and_updates, has_aux=True)
            (loss, (y_pred, non_trainable_variables, metrics_variables)), grads = grad_fn(
                trainable_variables, non_trainable_variables, metrics_variables, x, y, sample_weight, training=True
            )
            trainable_variables, optimizer_variables = self.optimizer.stateless_apply(
                optimizer_variables, grads, trainable_variables
            )
            new_metrics_vars = []
            logs = {}
            for metric in self.metrics:
                start = len(new_metrics_vars)
                this_metric_vars = metrics_variables[start:start + len(metric.variables)]
                if metric.name == "loss":
                    this_metric_vars = metric.stateless_update_state(this_metric_vars, loss, sample_weight=sample_weight)
                else:
                    this_metric_vars = metric.stateless_update_state(
                        this_metric_vars, y, y_pred, sample_weight=sample_weight
                    )
                logs[metric.name] = metric.stateless_result(this_metric_vars)
                new_metrics_vars += this_metric_vars
            return logs, (trainable_variables, non_trainable_variables, optimizer_variables, new_metrics_vars)

    return CustomModel


def first_example(lib, with_batch_norm=False, regularized=False, run_eagerly=False):
    model = _dense_model(lib, _first_example_class(lib), with_batch_norm, regularized)
    model.compile(optimizer="adam", loss="mse", metrics=["mae"], run_eagerly=run_eagerly)
    x, y = guide_support.regression_data()
    # Without sample_weight: Keras 3.15's Mean cannot weigh the scalar loss by per-sample weights as the guide asks.
    history = model.fit(x, y, batch_size=16, epochs=3, shuffle=False, verbose=0)
    return {
        "history": history.history,
        "weights": model.get_weights(),
        # No evaluate: Keras's own JAX test_step calls `compute_loss_and_updates`, which this guide model redefines
        # with another return structure.
        "predict": model.predict(x, batch_size=32, verbose=0),
    }


@pytest.mark.parametrize(
    "with_batch_norm, regularized, run_eagerly", [(False, False, False), (True, False, False), (False, True, False),
                                                  (True, False, True)],
    ids=["dense", "batch_norm", "regularized", "run_eagerly"],
)
def test_stateless_train_step_with_compiled_loss_and_metrics(with_batch_norm, regularized, run_eagerly):
    actual, expected = _run_both(
        first_example, with_batch_norm=with_batch_norm, regularized=regularized, run_eagerly=run_eagerly
    )
    assert sorted(actual["history"]) == ["loss", "mae"]
    assert actual["history"]["loss"][-1] < actual["history"]["loss"][0]


# The guide's earlier form: `self.compute_loss(x, y, y_pred)` inside the differentiated function.
def compute_loss_in_pure_step(lib):
    class CustomModel(lib.Model):
        def compute_loss_and_updates(self, trainable_variables, non_trainable_variables, x, y, training=False):
            y_pred, non_trainable_variables = self.stateless_call(
                trainable_variables, non_trainable_variables, x, training=training
            )
            loss = self.compute_loss(x, y, y_pred)
            return loss, (y_pred, non_trainable_variables)

        def train_step(self, state, data):
            trainable_variables, non_trainable_variables, optimizer_variables, metrics_variables = state
            x, y = data
            grad_fn = jax.value_and_grad(self.compute_loss_and_updates, has_aux=True)
            (loss, (y_pred, non_trainable_variables)), grads = grad_fn(
                trainable_variables, non_trainable_variables, x, y, training=True
            )
            trainable_variables, optimizer_variables = self.optimizer.stateless_apply(
                optimizer_variables, grads, trainable_variables
            )
            new_metrics_vars, logs = [], {}
            for metric in self.metrics:
                start = len(new_metrics_vars)
                this_metric_vars = metrics_variables[start:start + len(metric.variables)]
                if metric.name == "loss":
                    this_metric_vars = metric.stateless_update_state(this_metric_vars, loss)
                else:
                    this_metric_vars = metric.stateless_update_state(this_metric_vars, y, y_pred)
                logs[metric.name] = metric.stateless_result(this_metric_vars)
                new_metrics_vars += this_metric_vars
            return logs, (trainable_variables, non_trainable_variables, optimizer_variables, new_metrics_vars)

    model = _dense_model(lib, CustomModel, with_batch_norm=True)
    model.compile(optimizer="adam", loss="mse", metrics=["mae"])
    x, y = guide_support.regression_data()
    history = model.fit(x, y, batch_size=16, epochs=3, shuffle=False, verbose=0)
    return {"history": history.history, "weights": model.get_weights()}


def test_compute_loss_inside_a_stateless_train_step():
    actual, _ = _run_both(compute_loss_in_pure_step)
    assert sorted(actual["history"]) == ["loss", "mae"]


# "Going lower-level": only the optimizer comes from compile(); the model owns its loss and metrics.
def lower_level(lib):
    class CustomModel(lib.Model):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.loss_tracker = lib.metrics.Mean(name="loss")
            self.mae_metric = lib.metrics.MeanAbsoluteError(name="mae")
            self.loss_fn = lib.losses.MeanSquaredError()

        def compute_loss_and_updates(self, trainable_variables, non_trainable_variables, x, y, sample_weight,
                                     training=False):
            y_pred, non_trainable_variables = self.stateless_call(
                trainable_variables, non_trainable_variables, x, training=training
            )
            loss = self.loss_fn(y, y_pred, sample_weight=sample_weight)
            return loss, (y_pred, non_trainable_variables)

        def train_step(self, state, data):
            trainable_variables, non_trainable_variables, optimizer_variables, metrics_variables = state
            x, y, sample_weight = lib.utils.unpack_x_y_sample_weight(data)
            grad_fn = jax.value_and_grad(self.compute_loss_and_updates, has_aux=True)
            (loss, (y_pred, non_trainable_variables)), grads = grad_fn(
                trainable_variables, non_trainable_variables, x, y, sample_weight, training=True
            )
            trainable_variables, optimizer_variables = self.optimizer.stateless_apply(
                optimizer_variables, grads, trainable_variables
            )
            loss_tracker_vars = metrics_variables[: len(self.loss_tracker.variables)]
            mae_metric_vars = metrics_variables[len(self.loss_tracker.variables):]
            loss_tracker_vars = self.loss_tracker.stateless_update_state(
                loss_tracker_vars, loss, sample_weight=sample_weight
            )
            mae_metric_vars = self.mae_metric.stateless_update_state(
                mae_metric_vars, y, y_pred, sample_weight=sample_weight
            )
            logs = {
                self.loss_tracker.name: self.loss_tracker.stateless_result(loss_tracker_vars),
                self.mae_metric.name: self.mae_metric.stateless_result(mae_metric_vars),
            }
            new_metrics_vars = loss_tracker_vars + mae_metric_vars
            return logs, (trainable_variables, non_trainable_variables, optimizer_variables, new_metrics_vars)

        @property
        def metrics(self):
            return [self.loss_tracker, self.mae_metric]

    model = _dense_model(lib, CustomModel)
    model.compile(optimizer="adam")
    x, y = guide_support.regression_data()
    history = model.fit(x, y, batch_size=16, epochs=3, shuffle=False, verbose=0)
    return {
        "history": history.history,
        "weights": model.get_weights(),
        "metrics": [float(m.result()) for m in model.metrics],
    }


def test_lower_level_stateless_train_step_with_own_metrics():
    actual, _ = _run_both(lower_level)
    assert sorted(actual["history"]) == ["loss", "mae"]


# "Providing your own evaluation step": test_step(state, data) with state = (trainable, non-trainable, metrics).
def own_evaluation_step(lib):
    class CustomModel(lib.Model):
        def test_step(self, state, data):
            x, y, sample_weight = lib.utils.unpack_x_y_sample_weight(data)
            trainable_variables, non_trainable_variables, metrics_variables = state
            y_pred, non_trainable_variables = self.stateless_call(
                trainable_variables, non_trainable_variables, x, training=False
            )
            loss, (trainable_variables, non_trainable_variables, metrics_variables) = self.stateless_compute_loss(
                trainable_variables, non_trainable_variables, metrics_variables, x=x, y=y, y_pred=y_pred,
                sample_weight=sample_weight, training=False,
            )
            new_metrics_vars = []
            logs = {}
            for metric in self.metrics:
                start = len(new_metrics_vars)
                this_metric_vars = metrics_variables[start:start + len(metric.variables)]
                if metric.name == "loss":
                    this_metric_vars = metric.stateless_update_state(this_metric_vars, loss, sample_weight=sample_weight)
                else:
                    this_metric_vars = metric.stateless_update_state(
                        this_metric_vars, y, y_pred, sample_weight=sample_weight
                    )
                logs[metric.name] = metric.stateless_result(this_metric_vars)
                new_metrics_vars += this_metric_vars
            return logs, (trainable_variables, non_trainable_variables, new_metrics_vars)

    model = _dense_model(lib, CustomModel, with_batch_norm=True)
    model.compile(loss="mse", metrics=["mae"])
    x, y = guide_support.regression_data()
    return {"evaluate": model.evaluate(x, y, batch_size=16, verbose=0, return_dict=True)}


def test_stateless_test_step():
    actual, _ = _run_both(own_evaluation_step)
    assert sorted(actual["evaluate"]) == ["loss", "mae"]


# Keras's JAX predict_step has the same form: (trainable, non-trainable) in, (outputs, non-trainable) out.
def own_predict_step(lib):
    class CustomModel(lib.Model):
        def predict_step(self, state, data):
            trainable_variables, non_trainable_variables = state
            x, _, _ = lib.utils.unpack_x_y_sample_weight(data)
            outputs, non_trainable_variables = self.stateless_call(
                trainable_variables, non_trainable_variables, x, training=False
            )
            return {"scaled": outputs * 2.0, "raw": outputs}, non_trainable_variables

    model = _dense_model(lib, CustomModel, with_batch_norm=True)
    x, _ = guide_support.regression_data()
    return {"predict": model.predict(x, batch_size=16, verbose=0)}


def test_stateless_predict_step():
    actual, _ = _run_both(own_predict_step)
    np.testing.assert_allclose(actual["predict"]["scaled"], 2 * actual["predict"]["raw"], rtol=1e-6)


# "Writing a training loop from scratch in JAX".
def _mlp(lib, activity_regularization=False):
    class ActivityRegularizationLayer(lib.layers.Layer):
        def call(self, inputs):
            self.add_loss(1e-2 * jax.numpy.sum(inputs))
            return inputs

    inputs = lib.Input(shape=(20,), name="digits")
    hidden = lib.layers.Dense(16, activation="relu")(inputs)
    if activity_regularization:
        hidden = ActivityRegularizationLayer()(hidden)
    hidden = lib.layers.Dense(16, activation="relu")(hidden)
    outputs = lib.layers.Dense(4, name="predictions")(hidden)
    model = lib.Model(inputs=inputs, outputs=outputs)
    model.set_weights(guide_support.seeded_weights(model, seed=3))
    return model


def _batches(x, y, batch_size=16):
    return [(x[i:i + batch_size], y[i:i + batch_size]) for i in range(0, len(x), batch_size)]


def loop_from_scratch(lib, activity_regularization=False):
    model = _mlp(lib, activity_regularization)
    optimizer = lib.optimizers.Adam(learning_rate=1e-3)
    loss_fn = lib.losses.CategoricalCrossentropy(from_logits=True)
    train_acc_metric = lib.metrics.CategoricalAccuracy()
    val_acc_metric = lib.metrics.CategoricalAccuracy()

    def compute_loss_and_updates(trainable_variables, non_trainable_variables, metric_variables, x, y):
        y_pred, non_trainable_variables, losses = model.stateless_call(
            trainable_variables, non_trainable_variables, x, return_losses=True
        )
        loss = loss_fn(y, y_pred)
        if losses:
            loss += jax.numpy.sum(jax.numpy.asarray(losses))
        metric_variables = train_acc_metric.stateless_update_state(metric_variables, y, y_pred)
        return loss, (non_trainable_variables, metric_variables)

    grad_fn = jax.value_and_grad(compute_loss_and_updates, has_aux=True)

    @jax.jit
    def train_step(state, data):
        trainable_variables, non_trainable_variables, optimizer_variables, metric_variables = state
        x, y = data
        (loss, (non_trainable_variables, metric_variables)), grads = grad_fn(
            trainable_variables, non_trainable_variables, metric_variables, x, y
        )
        trainable_variables, optimizer_variables = optimizer.stateless_apply(
            optimizer_variables, grads, trainable_variables
        )
        return loss, (trainable_variables, non_trainable_variables, optimizer_variables, metric_variables)

    @jax.jit
    def eval_step(state, data):
        trainable_variables, non_trainable_variables, metric_variables = state
        x, y = data
        y_pred, non_trainable_variables = model.stateless_call(trainable_variables, non_trainable_variables, x)
        loss = loss_fn(y, y_pred)
        metric_variables = val_acc_metric.stateless_update_state(metric_variables, y, y_pred)
        return loss, (trainable_variables, non_trainable_variables, metric_variables)

    x, y = guide_support.classification_data()
    optimizer.build(model.trainable_variables)
    # The guide puts the Variables themselves in the state; the jax of Keras 3.15.1 refuses them as jit arguments
    # ("Triggering __jax_array__() during abstractification is no longer supported"), so their values go in.
    state = tuple(
        [v.value for v in variables]
        for variables in (model.trainable_variables, model.non_trainable_variables, optimizer.variables,
                          train_acc_metric.variables)
    )
    losses, accuracies = [], []
    for _ in range(2):
        for data in _batches(x[:64], y[:64]):
            loss, state = train_step(state, data)
            losses.append(float(loss))
        _, _, _, metric_variables = state
        for variable, value in zip(train_acc_metric.variables, metric_variables):
            variable.assign(value)
        accuracies.append(float(train_acc_metric.result()))
    trainable_variables, non_trainable_variables, optimizer_variables, _ = state
    state = trainable_variables, non_trainable_variables, [v.value for v in val_acc_metric.variables]
    val_losses = []
    for data in _batches(x[64:], y[64:]):
        loss, state = eval_step(state, data)
        val_losses.append(float(loss))
    _, _, metric_variables = state
    for variable, value in zip(val_acc_metric.variables, metric_variables):
        variable.assign(value)
    for variable, value in zip(model.trainable_variables, trainable_variables):
        variable.assign(value)
    for variable, value in zip(model.non_trainable_variables, non_trainable_variables):
        variable.assign(value)
    return {
        "losses": losses,
        "accuracies": accuracies,
        "val_losses": val_losses,
        "val_accuracy": float(val_acc_metric.result()),
        "weights": model.get_weights(),
        "optimizer": [np.asarray(v) for v in optimizer_variables],
        "fresh_metric": [np.asarray(v) for v in val_acc_metric.stateless_reset_state()],
    }


@pytest.mark.parametrize("activity_regularization", [False, True], ids=["plain", "add_loss"])
def test_training_loop_from_scratch(activity_regularization):
    actual, _ = _run_both(loop_from_scratch, activity_regularization=activity_regularization)
    assert actual["losses"][-1] < actual["losses"][0]


def test_a_pure_step_returning_a_wrong_state_is_a_clear_error():
    class Forgetful(kerasx.Model):
        def train_step(self, state, data):
            trainable_variables, non_trainable_variables, optimizer_variables, metrics_variables = state
            return {}, (trainable_variables, non_trainable_variables)  # optimizer and metrics values missing

    model = _dense_model(kerasx, Forgetful)
    model.compile(optimizer="adam", loss="mse")
    x, y = guide_support.regression_data()
    with pytest.raises(ValueError, match=r"must return `\(logs, new_state\)` with new_state a tuple of 4 lists"):
        model.fit(x, y, batch_size=16, epochs=1, verbose=0)
