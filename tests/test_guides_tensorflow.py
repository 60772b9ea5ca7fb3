"""Keras 3's TensorFlow guides ("Customizing what happens in fit() with TensorFlow", "Writing a training loop from
scratch in TensorFlow", "Multi-GPU distributed training with TensorFlow"): their recipes, written as programs over
the library module, run with `import keras` and with `import kerasx as keras` from the same weights and data and
give the same History, metrics and weights (1e-5)."""

import json
import os
import subprocess
import sys

import numpy as np
import pytest

import kerasx

if kerasx.backend.backend() != "tensorflow":
    pytest.skip("TensorFlow recipes (tf.GradientTape, tf.function, tf.distribute) run on the tensorflow backend",
                allow_module_level=True)

import tensorflow as tf  # noqa: E402

import guide_support  # noqa: E402
from guide_support import assert_same_runs  # noqa: E402

keras = guide_support.oracle()


def _run_both(program, **kwargs):
    expected = program(keras, **kwargs)
    actual = program(kerasx, **kwargs)
    assert_same_runs(actual, expected)
    return actual, expected


def _dense_model(lib, model_class):
    inputs = lib.Input(shape=(32,))
    outputs = lib.layers.Dense(1)(inputs)
    model = model_class(inputs, outputs)
    model.set_weights(guide_support.seeded_weights(model))
    return model


def _fit(model, weighted=False, epochs=3):
    x, y = guide_support.regression_data()
    sample_weight = np.linspace(0.5, 1.5, len(x)).astype("float32") if weighted else None
    history = model.fit(x, y, sample_weight=sample_weight, batch_size=16, epochs=epochs, shuffle=False, verbose=0)
    return {"history": history.history, "weights": model.get_weights()}


# "A first simple example" and "Supporting sample_weight & class_weight": a GradientTape over the model's
# variables inside train_step, which fit runs as a tf.function.
def first_example(lib, weighted=False, variables="trainable_variables", update="apply"):
    class CustomModel(lib.Model):
        def train_step(self, data):
            if len(data) == 3:
                x, y, sample_weight = data
            else:
                sample_weight = None
                x, y = data
            with tf.GradientTape() as tape:
                y_pred = self(x, training=True)
                loss = self.compute_loss(y=y, y_pred=y_pred, sample_weight=sample_weight)
            trainable_vars = getattr(self, variables)
            gradients = tape.gradient(loss, trainable_vars)
            if update == "apply":
                self.optimizer.apply(gradients, trainable_vars)
            else:
                self.optimizer.apply_gradients(zip(gradients, trainable_vars))
            for metric in self.metrics:
                if metric.name == "loss":
                    metric.update_state(loss)
                else:
                    metric.update_state(y, y_pred, sample_weight=sample_weight)
            return {m.name: m.result() for m in self.metrics}

    model = _dense_model(lib, CustomModel)
    model.compile(optimizer="adam", loss="mse", metrics=["mae"])
    return _fit(model, weighted)


@pytest.mark.parametrize(
    "weighted, variables, update",
    [
        (False, "trainable_variables", "apply"),
        (True, "trainable_variables", "apply"),
        (False, "trainable_weights", "apply_gradients"),
    ],
    ids=["apply", "sample_weight", "apply_gradients"],
)
def test_train_step_with_gradient_tape(weighted, variables, update):
    actual, _ = _run_both(first_example, weighted=weighted, variables=variables, update=update)
    assert sorted(actual["history"]) == ["loss", "mae"]
    assert actual["history"]["loss"][-1] < actual["history"]["loss"][0]


# "Going lower-level": only the optimizer comes from compile().
def lower_level(lib):
    class CustomModel(lib.Model):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.loss_tracker = lib.metrics.Mean(name="loss")
            self.mae_metric = lib.metrics.MeanAbsoluteError(name="mae")
            self.loss_fn = lib.losses.MeanSquaredError()

        def train_step(self, data):
            x, y = data
            with tf.GradientTape() as tape:
                y_pred = self(x, training=True)
                loss = self.loss_fn(y, y_pred)
            trainable_vars = self.trainable_variables
            gradients = tape.gradient(loss, trainable_vars)
            self.optimizer.apply(gradients, trainable_vars)
            self.loss_tracker.update_state(loss)
            self.mae_metric.update_state(y, y_pred)
            return {"loss": self.loss_tracker.result(), "mae": self.mae_metric.result()}

        @property
        def metrics(self):
            return [self.loss_tracker, self.mae_metric]

    model = _dense_model(lib, CustomModel)
    model.compile(optimizer="adam")
    return _fit(model)


def test_lower_level_train_step_with_own_metrics():
    actual, _ = _run_both(lower_level)
    assert sorted(actual["history"]) == ["loss", "mae"]


# "Providing your own evaluation step".
def own_evaluation_step(lib):
    class CustomModel(lib.Model):
        def test_step(self, data):
            x, y = data
            y_pred = self(x, training=False)
            loss = self.compute_loss(y=y, y_pred=y_pred)
            for metric in self.metrics:
                if metric.name == "loss":
                    metric.update_state(loss)
                else:
                    metric.update_state(y, y_pred)
            return {m.name: m.result() for m in self.metrics}

    model = _dense_model(lib, CustomModel)
    model.compile(loss="mse", metrics=["mae"])
    x, y = guide_support.regression_data()
    return {"evaluate": model.evaluate(x, y, batch_size=16, verbose=0, return_dict=True)}


def test_own_test_step():
    actual, _ = _run_both(own_evaluation_step)
    assert sorted(actual["evaluate"]) == ["loss", "mae"]


# "Wrapping up: an end-to-end GAN example", with dense networks (the leaky_relu activation instead of LeakyReLU
# layers, the same function) and the random draws replaced by a deterministic function of the step count (the two
# libraries' random generators differ) so that both runs see the same numbers.
def _gan_networks(lib, latent_dim):
    discriminator = lib.Sequential(
        [lib.Input(shape=(12,)), lib.layers.Dense(16, activation="leaky_relu"), lib.layers.Dense(1)],
        name="discriminator",
    )
    generator = lib.Sequential(
        [lib.Input(shape=(latent_dim,)), lib.layers.Dense(16, activation="leaky_relu"),
         lib.layers.Dense(12, activation="sigmoid")],
        name="generator",
    )
    discriminator.set_weights(guide_support.seeded_weights(discriminator, seed=4))
    generator.set_weights(guide_support.seeded_weights(generator, seed=5))
    return discriminator, generator


def _draw(shape, step, stream):
    """Smooth deterministic stand-in for a random draw: TensorFlow's stateless random ops give other numbers under
    XLA (which kerasx's jit_compile="auto" uses on CPU) than without it (Keras's choice there)."""
    size = tf.reduce_prod(shape)
    index = tf.cast(tf.range(size), "float32")
    phase = tf.cast(step, "float32") * 1.3 + float(stream)
    return tf.reshape(tf.sin(index * 0.7 + phase), shape)


def gan(lib):
    latent_dim = 8
    discriminator, generator = _gan_networks(lib, latent_dim)

    class GAN(lib.Model):
        def __init__(self, discriminator, generator, latent_dim):
            super().__init__()
            self.discriminator = discriminator
            self.generator = generator
            self.latent_dim = latent_dim
            self.d_loss_tracker = lib.metrics.Mean(name="d_loss")
            self.g_loss_tracker = lib.metrics.Mean(name="g_loss")
            self.built = True

        @property
        def metrics(self):
            return [self.d_loss_tracker, self.g_loss_tracker]

        def compile(self, d_optimizer, g_optimizer, loss_fn):
            super().compile()
            self.d_optimizer = d_optimizer
            self.g_optimizer = g_optimizer
            self.loss_fn = loss_fn

        def train_step(self, real_images):
            if isinstance(real_images, tuple):
                real_images = real_images[0]
            step = self.d_optimizer.iterations
            batch_size = tf.shape(real_images)[0]
            random_latent_vectors = _draw((batch_size, self.latent_dim), step, 0)
            generated_images = self.generator(random_latent_vectors)
            combined_images = tf.concat([generated_images, real_images], axis=0)
            labels = tf.concat([tf.ones((batch_size, 1)), tf.zeros((batch_size, 1))], axis=0)
            labels += 0.05 * (_draw(tf.shape(labels), step, 1) + 1.0) / 2.0
            with tf.GradientTape() as tape:
                predictions = self.discriminator(combined_images)
                d_loss = self.loss_fn(labels, predictions)
            grads = tape.gradient(d_loss, self.discriminator.trainable_weights)
            self.d_optimizer.apply_gradients(zip(grads, self.discriminator.trainable_weights))

            random_latent_vectors = _draw((batch_size, self.latent_dim), step, 2)
            misleading_labels = tf.zeros((batch_size, 1))
            with tf.GradientTape() as tape:
                predictions = self.discriminator(self.generator(random_latent_vectors))
                g_loss = self.loss_fn(misleading_labels, predictions)
            grads = tape.gradient(g_loss, self.generator.trainable_weights)
            self.g_optimizer.apply(grads, self.generator.trainable_weights)

            self.d_loss_tracker.update_state(d_loss)
            self.g_loss_tracker.update_state(g_loss)
            return {"d_loss": self.d_loss_tracker.result(), "g_loss": self.g_loss_tracker.result()}

    model = GAN(discriminator=discriminator, generator=generator, latent_dim=latent_dim)
    model.compile(
        d_optimizer=lib.optimizers.Adam(learning_rate=0.0003),
        g_optimizer=lib.optimizers.Adam(learning_rate=0.0003),
        loss_fn=lib.losses.BinaryCrossentropy(from_logits=True),
    )
    images = np.random.default_rng(8).random((48, 12)).astype("float32")
    dataset = tf.data.Dataset.from_tensor_slices(images).batch(16)
    history = model.fit(dataset, epochs=2, verbose=0)
    return {
        "history": history.history,
        "discriminator": discriminator.get_weights(),
        "generator": generator.get_weights(),
    }


def test_gan_train_step():
    actual, _ = _run_both(gan)
    assert sorted(actual["history"]) == ["d_loss", "g_loss"]


# "Writing a training loop from scratch in TensorFlow".
def _mlp(lib, activity_regularization=False):
    class ActivityRegularizationLayer(lib.layers.Layer):
        def call(self, inputs):
            self.add_loss(1e-2 * tf.reduce_sum(inputs))
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


def _datasets():
    x, y = guide_support.classification_data()
    train = tf.data.Dataset.from_tensor_slices((x[:64], y[:64])).batch(16)
    val = tf.data.Dataset.from_tensor_slices((x[64:], y[64:])).batch(16)
    return train, val


def loop_from_scratch(lib, compiled=False, activity_regularization=False, update="apply"):
    model = _mlp(lib, activity_regularization)
    optimizer = lib.optimizers.Adam(learning_rate=1e-3)
    loss_fn = lib.losses.CategoricalCrossentropy(from_logits=True)
    train_acc_metric = lib.metrics.CategoricalAccuracy()
    val_acc_metric = lib.metrics.CategoricalAccuracy()

    def train_step(x, y):
        with tf.GradientTape() as tape:
            logits = model(x, training=True)
            loss_value = loss_fn(y, logits)
            if activity_regularization:
                loss_value += sum(model.losses)
        grads = tape.gradient(loss_value, model.trainable_weights)
        if update == "apply":
            optimizer.apply(grads, model.trainable_weights)
        else:
            optimizer.apply_gradients(zip(grads, model.trainable_weights))
        train_acc_metric.update_state(y, logits)
        return loss_value

    def test_step(x, y):
        val_logits = model(x, training=False)
        val_acc_metric.update_state(y, val_logits)

    if compiled:
        train_step = tf.function(train_step)
        test_step = tf.function(test_step)

    train_dataset, val_dataset = _datasets()
    losses, accuracies, val_accuracies = [], [], []
    for _ in range(2):
        for x_batch_train, y_batch_train in train_dataset:
            losses.append(float(train_step(x_batch_train, y_batch_train)))
        accuracies.append(float(train_acc_metric.result()))
        train_acc_metric.reset_state()
        for x_batch_val, y_batch_val in val_dataset:
            test_step(x_batch_val, y_batch_val)
        val_accuracies.append(float(val_acc_metric.result()))
        val_acc_metric.reset_state()
    return {
        "losses": losses,
        "accuracies": accuracies,
        "val_accuracies": val_accuracies,
        "weights": model.get_weights(),
        "optimizer": [np.asarray(v) for v in optimizer.variables],
    }


@pytest.mark.parametrize("compiled", [False, True], ids=["eager", "tf_function"])
@pytest.mark.parametrize("update", ["apply", "apply_gradients"])
def test_training_loop_from_scratch(compiled, update):
    actual, _ = _run_both(loop_from_scratch, compiled=compiled, update=update)
    assert actual["losses"][-1] < actual["losses"][0]


@pytest.mark.parametrize("compiled", [False, True], ids=["eager", "tf_function"])
def test_training_loop_from_scratch_with_model_losses(compiled):
    _run_both(loop_from_scratch, compiled=compiled, activity_regularization=True)


# "Multi-GPU distributed training with TensorFlow": a model built and compiled inside the user's own
# `tf.distribute.MirroredStrategy().scope()`, trained with fit, over 2 logical CPU devices (configured before
# TensorFlow starts, hence a subprocess), equals one-device training, with Keras 3 and with kerasx.
MIRRORED_SCRIPT = r'''
import json, sys
import tensorflow as tf
cpu = tf.config.list_physical_devices("CPU")[0]
tf.config.set_logical_device_configuration(cpu, [tf.config.LogicalDeviceConfiguration()] * 2)
import numpy as np
import keras, kerasx
sys.path.insert(0, {tests!r})
import guide_support

x, y = guide_support.classification_data(num_samples=128)
labels = np.argmax(y, axis=1).astype("int32")
train_dataset = tf.data.Dataset.from_tensor_slices((x[:96], labels[:96])).batch(16)
val_dataset = tf.data.Dataset.from_tensor_slices((x[96:], labels[96:])).batch(16)


def get_compiled_model(lib):
    inputs = lib.Input(shape=(20,))
    hidden = lib.layers.Dense(16, activation="relu")(inputs)
    hidden = lib.layers.Dense(16, activation="relu")(hidden)
    outputs = lib.layers.Dense(4)(hidden)
    model = lib.Model(inputs, outputs)
    model.set_weights(guide_support.seeded_weights(model, seed=6))
    model.compile(
        optimizer=lib.optimizers.Adam(),
        loss=lib.losses.SparseCategoricalCrossentropy(from_logits=True),
        metrics=[lib.metrics.SparseCategoricalAccuracy()],
    )
    return model


def train(model):
    history = model.fit(train_dataset, epochs=2, validation_data=val_dataset, verbose=0).history
    return {{
        "history": history,
        "weights": [w.tolist() for w in model.get_weights()],
        "evaluate": model.evaluate(val_dataset, verbose=0, return_dict=True),
    }}


out = {{}}
for lib in (keras, kerasx):
    name = lib.__name__
    out[name + "/single"] = train(get_compiled_model(lib))
    strategy = tf.distribute.MirroredStrategy(["/cpu:0", "/cpu:1"])
    with strategy.scope():
        model = get_compiled_model(lib)
        out[name + "/replicas"] = strategy.num_replicas_in_sync
        out[name + "/inside"] = train(model)
    with strategy.scope():
        model = get_compiled_model(lib)
    out[name + "/outside"] = train(model)
    out[name + "/variable"] = type(model.layers[1].kernel.value).__name__
    # Replicas assign the weights: kerasx gives them an aggregation (the step ran replicated, not on one device).
    out[name + "/aggregation"] = model.layers[1].kernel.value.aggregation.name
print("RESULT " + json.dumps(out))
'''


@pytest.fixture(scope="module")
def mirrored_runs():
    script = MIRRORED_SCRIPT.format(tests=os.path.dirname(os.path.abspath(__file__)))
    env = dict(os.environ, KERAS_BACKEND="tensorflow", TF_CPP_MIN_LOG_LEVEL="2")
    done = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-4000:]
    line = next(line for line in done.stdout.splitlines() if line.startswith("RESULT "))
    return json.loads(line[len("RESULT "):])


@pytest.mark.parametrize("where", ["inside", "outside"], ids=["fit_inside_scope", "fit_after_scope"])
def test_fit_under_a_users_mirrored_strategy_equals_one_device(mirrored_runs, where):
    assert mirrored_runs["keras/replicas"] == mirrored_runs["kerasx/replicas"] == 2
    assert_same_runs(mirrored_runs[f"keras/{where}"], mirrored_runs["keras/single"])  # the oracle agrees
    assert_same_runs(mirrored_runs[f"kerasx/{where}"], mirrored_runs["kerasx/single"])
    assert_same_runs(mirrored_runs[f"kerasx/{where}"], mirrored_runs[f"keras/{where}"])
    assert mirrored_runs["kerasx/variable"] == "MirroredVariable"
    assert mirrored_runs["kerasx/aggregation"] == "MEAN"
