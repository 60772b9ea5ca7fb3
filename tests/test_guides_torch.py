"""Keras 3's PyTorch guides ("Customizing what happens in fit() with PyTorch", "Writing a training loop from
scratch in PyTorch"): their recipes, written as programs over the library module, run with `import keras` and with
`import kerasx as keras` from the same weights and data and give the same History, metrics and weights (1e-5)."""

import numpy as np
import pytest

import kerasx

if kerasx.backend.backend() != "torch":
    pytest.skip("PyTorch recipes (loss.backward(), v.value.grad, torch.optim) run on the torch backend",
                allow_module_level=True)

import torch  # noqa: E402

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


# "A first simple example" and "Supporting sample_weight & class_weight": autograd through the model's Parameters,
# the compiled loss and metrics updated by hand.
def first_example(lib, weighted=False):
    class CustomModel(lib.Model):
        def train_step(self, data):
            if len(data) == 3:
                x, y, sample_weight = data
            else:
                sample_weight = None
                x, y = data
            self.zero_grad()
            y_pred = self(x, training=True)
            loss = self.compute_loss(y=y, y_pred=y_pred, sample_weight=sample_weight)
            loss.backward()
            trainable_weights = [v for v in self.trainable_weights]
            gradients = [v.value.grad for v in trainable_weights]
            with torch.no_grad():
                self.optimizer.apply(gradients, trainable_weights)
            for metric in self.metrics:
                if metric.name == "loss":
                    metric.update_state(loss)
                else:
                    metric.update_state(y, y_pred, sample_weight=sample_weight)
            return {m.name: m.result() for m in self.metrics}

    model = _dense_model(lib, CustomModel)
    model.compile(optimizer="adam", loss="mse", metrics=["mae"])
    return _fit(model, weighted)


@pytest.mark.parametrize("weighted", [False, True], ids=["unweighted", "sample_weight"])
def test_train_step_with_backward_and_optimizer_apply(weighted):
    actual, _ = _run_both(first_example, weighted=weighted)
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
            self.zero_grad()
            y_pred = self(x, training=True)
            loss = self.loss_fn(y, y_pred)
            loss.backward()
            trainable_weights = [v for v in self.trainable_weights]
            gradients = [v.value.grad for v in trainable_weights]
            with torch.no_grad():
                self.optimizer.apply(gradients, trainable_weights)
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
# layers, the same function) and the latent points drawn by NumPy (the two libraries' random generators differ)
# so that both runs see the same numbers.
def gan(lib):
    latent_dim = 8
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

    class GAN(lib.Model):
        def __init__(self, discriminator, generator, latent_dim):
            super().__init__()
            self.discriminator = discriminator
            self.generator = generator
            self.latent_dim = latent_dim
            self.d_loss_tracker = lib.metrics.Mean(name="d_loss")
            self.g_loss_tracker = lib.metrics.Mean(name="g_loss")
            self.noise = np.random.default_rng(7)
            self.built = True

        @property
        def metrics(self):
            return [self.d_loss_tracker, self.g_loss_tracker]

        def compile(self, d_optimizer, g_optimizer, loss_fn):
            super().compile()
            self.d_optimizer = d_optimizer
            self.g_optimizer = g_optimizer
            self.loss_fn = loss_fn

        def latent_points(self, batch_size):
            return torch.tensor(self.noise.normal(size=(batch_size, self.latent_dim)).astype("float32"))

        def train_step(self, real_images):
            if isinstance(real_images, tuple) or isinstance(real_images, list):
                real_images = real_images[0]
            batch_size = real_images.shape[0]
            generated_images = self.generator(self.latent_points(batch_size))
            real_images = torch.as_tensor(real_images)
            combined_images = torch.concat([generated_images, real_images], axis=0)
            labels = torch.concat([torch.ones((batch_size, 1)), torch.zeros((batch_size, 1))], axis=0)
            labels += 0.05 * torch.tensor(self.noise.random(size=labels.shape).astype("float32"))

            self.zero_grad()
            predictions = self.discriminator(combined_images)
            d_loss = self.loss_fn(labels, predictions)
            d_loss.backward()
            grads = [v.value.grad for v in self.discriminator.trainable_weights]
            with torch.no_grad():
                self.d_optimizer.apply(grads, self.discriminator.trainable_weights)

            misleading_labels = torch.zeros((batch_size, 1))
            self.zero_grad()
            predictions = self.discriminator(self.generator(self.latent_points(batch_size)))
            g_loss = self.loss_fn(misleading_labels, predictions)
            g_loss.backward()
            grads = [v.value.grad for v in self.generator.trainable_weights]
            with torch.no_grad():
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
    history = model.fit(images, batch_size=16, epochs=2, shuffle=False, verbose=0)
    return {
        "history": history.history,
        "discriminator": discriminator.get_weights(),
        "generator": generator.get_weights(),
    }


def test_gan_train_step():
    actual, _ = _run_both(gan)
    assert sorted(actual["history"]) == ["d_loss", "g_loss"]


# "Writing a training loop from scratch in PyTorch".
def _mlp(lib, activity_regularization=False):
    class ActivityRegularizationLayer(lib.layers.Layer):
        def call(self, inputs):
            self.add_loss(1e-2 * torch.sum(inputs))
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


def _loaders():
    x, y = guide_support.classification_data()
    train = torch.utils.data.TensorDataset(torch.from_numpy(x[:64]), torch.from_numpy(y[:64]))
    val = torch.utils.data.TensorDataset(torch.from_numpy(x[64:]), torch.from_numpy(y[64:]))
    return (torch.utils.data.DataLoader(train, batch_size=16, shuffle=False),
            torch.utils.data.DataLoader(val, batch_size=16, shuffle=False))


def loop_with_torch_optimizer(lib):
    model = _mlp(lib)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = torch.nn.CrossEntropyLoss()
    train_dataloader, _ = _loaders()
    losses = []
    for _ in range(2):
        for inputs, targets in train_dataloader:
            logits = model(inputs)
            loss = loss_fn(logits, targets)
            model.zero_grad()
            loss.backward()
            optimizer.step()
            losses.append(float(loss.detach().numpy()))
    return {"losses": losses, "weights": model.get_weights()}


def test_training_loop_with_torch_optimizer_and_loss():
    actual, _ = _run_both(loop_with_torch_optimizer)
    assert actual["losses"][-1] < actual["losses"][0]


def loop_with_keras_optimizer(lib, activity_regularization=False):
    model = _mlp(lib, activity_regularization)
    optimizer = lib.optimizers.Adam(learning_rate=1e-3)
    loss_fn = lib.losses.CategoricalCrossentropy(from_logits=True)
    train_acc_metric = lib.metrics.CategoricalAccuracy()
    val_acc_metric = lib.metrics.CategoricalAccuracy()
    train_dataloader, val_dataloader = _loaders()
    losses, accuracies, val_accuracies = [], [], []
    for _ in range(2):
        for inputs, targets in train_dataloader:
            logits = model(inputs)
            loss = loss_fn(targets, logits)
            if model.losses:
                loss = loss + torch.sum(*model.losses)
            model.zero_grad()
            trainable_weights = [v for v in model.trainable_weights]
            loss.backward()
            gradients = [v.value.grad for v in trainable_weights]
            with torch.no_grad():
                optimizer.apply(gradients, trainable_weights)
            train_acc_metric.update_state(targets, logits)
            losses.append(float(loss.detach().numpy()))
        accuracies.append(float(train_acc_metric.result()))
        train_acc_metric.reset_state()
        for x_batch_val, y_batch_val in val_dataloader:
            val_logits = model(x_batch_val, training=False)
            val_acc_metric.update_state(y_batch_val, val_logits)
        val_accuracies.append(float(val_acc_metric.result()))
        val_acc_metric.reset_state()
    return {
        "losses": losses,
        "accuracies": accuracies,
        "val_accuracies": val_accuracies,
        "weights": model.get_weights(),
        "optimizer": [v.numpy() for v in optimizer.variables],
    }


@pytest.mark.parametrize("activity_regularization", [False, True], ids=["plain", "add_loss"])
def test_training_loop_with_keras_optimizer(activity_regularization):
    actual, _ = _run_both(loop_with_keras_optimizer, activity_regularization=activity_regularization)
    assert actual["losses"][-1] < actual["losses"][0]


# Keras layers and models are torch Modules on this engine: torch's own module API sees their weights.
def modules(lib):
    model = _mlp(lib)
    # Keras names a parameter "_torch_params.<variable path>", kerasx names it by the path itself.
    named = {name.split("_torch_params.")[-1]: p for name, p in model.named_parameters()}
    trainable = [named[v.path] for v in model.trainable_variables]
    model.zero_grad()
    loss = model(np.ones((2, 20), "float32")).sum()
    loss.backward()
    grads = [p.grad.numpy().copy() for p in trainable]
    model.zero_grad()
    return {
        "is_module": float(isinstance(model, torch.nn.Module) and isinstance(model.layers[1], torch.nn.Module)),
        "parameters": [p.detach().numpy() for p in trainable],
        "all_parameters": float(all(isinstance(p, torch.nn.Parameter) and p.requires_grad for p in trainable)),
        "same_as_parameters": float({id(p) for p in model.parameters()} >= {id(p) for p in trainable}),
        "grads": grads,
        "cleared": float(all(p.grad is None for p in trainable)),
        "forward": model.forward(np.ones((2, 20), "float32")).detach().numpy(),
    }


def test_models_and_layers_are_torch_modules():
    actual, _ = _run_both(modules)
    assert actual["is_module"] == actual["all_parameters"] == actual["cleared"] == 1.0


# A state dict moves between the libraries: same keys ("_torch_params.<path>"), same values, loadable either way.
def _bn_model(lib):
    inputs = lib.Input(shape=(20,))
    hidden = lib.layers.Dense(8, name="hidden")(inputs)
    outputs = lib.layers.BatchNormalization(name="norm")(hidden)
    model = lib.Model(inputs, outputs)
    model.set_weights(guide_support.seeded_weights(model, seed=9))
    return model


def test_state_dicts_match_keras_and_load_across():
    keras_model, kerasx_model = _bn_model(keras), _bn_model(kerasx)
    expected, actual = keras_model.state_dict(), kerasx_model.state_dict()
    assert list(actual) == list(expected)
    for key in expected:
        np.testing.assert_array_equal(actual[key].numpy(), expected[key].numpy())
    fresh = _bn_model(kerasx)
    for variable in fresh.variables:
        variable.assign(np.zeros(variable.shape, "float32"))
    result = fresh.load_state_dict(keras_model.state_dict())
    assert result.missing_keys == [] and result.unexpected_keys == []
    x = np.random.default_rng(0).random((4, 20)).astype("float32")
    np.testing.assert_allclose(fresh.predict(x, verbose=0), keras_model.predict(x, verbose=0), rtol=1e-6, atol=1e-6)
    keras_model.load_state_dict(kerasx_model.state_dict())
    partial = {k: v for k, v in expected.items() if "norm" not in k}
    with pytest.raises(RuntimeError, match="missing keys"):
        fresh.load_state_dict(partial)
    assert sorted(fresh.load_state_dict(partial, strict=False).missing_keys) == sorted(set(expected) - set(partial))
