"""fit / evaluate / predict with every data kind, checked against a NumPy SGD of the same batches.

The model is linear (Dense(2) on 3 features, or the same thing split over two inputs) trained with plain SGD on the
mean squared error, so the NumPy reference of the whole run is a few lines: every data kind that delivers the
same batches in the same order must end with the same weights and report the same losses.
"""

import importlib.util

import numpy as np
import pytest

import kerasx
import support
from kerasx import layers, ops, utils
from kerasx.trainers import PyDataset

needs_gradients = support.needs_gradients

NUM_SAMPLES, BATCH_SIZE, LEARNING_RATE = 32, 8, 0.1
HAS_TF = importlib.util.find_spec("tensorflow") is not None
HAS_TORCH = importlib.util.find_spec("torch") is not None
HAS_JAX = importlib.util.find_spec("jax") is not None


def _data(num_samples=NUM_SAMPLES, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(num_samples, 3)).astype("float32")
    y = (x @ np.array([[1.0, -2.0], [0.5, 0.0], [-1.0, 1.5]], "float32") + 0.3).astype("float32")
    y += rng.normal(scale=0.1, size=y.shape).astype("float32")
    return x, y


def _initial_weights():
    rng = np.random.default_rng(42)
    return [rng.normal(size=(3, 2)).astype("float32") * 0.5, rng.normal(size=(2,)).astype("float32") * 0.1]


def _model(two_inputs=False):
    if two_inputs:
        first, second = layers.Input((2,), name="a"), layers.Input((1,), name="b")
        outputs = layers.Dense(2)(layers.Concatenate()([first, second]))
        model = kerasx.Model([first, second], outputs)
    else:
        inputs = layers.Input((3,), name="features")
        model = kerasx.Model(inputs, layers.Dense(2)(inputs))
    model.set_weights(_initial_weights())
    model.compile(optimizer=kerasx.optimizers.SGD(learning_rate=LEARNING_RATE), loss="mse")
    return model


def _batch_loss_and_grads(x, y, kernel, bias, sample_weight=None):
    """Keras's mse with "sum_over_batch_size": sum_i w_i * mean_j(e_ij^2) / batch_size, and its gradients."""
    error = x @ kernel + bias - y
    weights = np.ones(len(x), np.float64) if sample_weight is None else sample_weight.astype(np.float64)
    loss = np.sum(weights * np.mean(error**2, axis=1)) / len(x)
    d_error = 2 * weights[:, None] * error / error.size
    return loss, x.T @ d_error, d_error.sum(0)


def numpy_sgd(x, y, batches, sample_weight=None, weights=None, learning_rates=None):
    """SGD over `batches` (a list per epoch of index arrays); returns final (kernel, bias) and per-epoch losses.

    The epoch loss is the sample-weighted mean of the batch losses, as Keras logs it.
    """
    kernel, bias = [w.astype(np.float64) for w in (weights or _initial_weights())]
    x, y = x.astype(np.float64), y.astype(np.float64)
    epoch_losses = []
    for epoch, epoch_batches in enumerate(batches):
        rate = LEARNING_RATE if learning_rates is None else learning_rates[epoch]
        total, count = 0.0, 0
        for index in epoch_batches:
            sw = None if sample_weight is None else sample_weight[index]
            loss, grad_kernel, grad_bias = _batch_loss_and_grads(x[index], y[index], kernel, bias, sw)
            total, count = total + loss * len(index), count + len(index)
            kernel, bias = kernel - rate * grad_kernel, bias - rate * grad_bias
        epoch_losses.append(total / count)
    return (kernel, bias), epoch_losses


def _in_order(num_samples=NUM_SAMPLES, batch_size=BATCH_SIZE, epochs=2):
    return [[np.arange(s, min(s + batch_size, num_samples)) for s in range(0, num_samples, batch_size)]] * epochs


def _batches_of(*arrays, batch_size=BATCH_SIZE):
    for start in range(0, len(arrays[0]), batch_size):
        parts = tuple(a[start : start + batch_size] for a in arrays)
        yield parts if len(parts) > 1 else parts[0]


class ArrayBatches(PyDataset):
    def __init__(self, *arrays, workers=1):
        super().__init__(workers=workers, max_queue_size=2)
        self.arrays = arrays
        self.epochs_ended = 0

    def __len__(self):
        return -(-len(self.arrays[0]) // BATCH_SIZE)

    def __getitem__(self, index):
        parts = tuple(a[index * BATCH_SIZE : (index + 1) * BATCH_SIZE] for a in self.arrays)
        return parts if len(parts) > 1 else parts[0]

    def on_epoch_end(self):
        self.epochs_ended += 1


def _engine_tensor(engine, array):
    if engine == "torch":
        torch = pytest.importorskip("torch")
        return torch.from_numpy(array.copy())
    if engine == "tensorflow":
        tf = pytest.importorskip("tensorflow")
        return tf.constant(array)
    jnp = pytest.importorskip("jax.numpy")
    return jnp.asarray(array)


def _tf_dataset(*arrays):
    tf = pytest.importorskip("tensorflow")
    return tf.data.Dataset.from_tensor_slices(arrays if len(arrays) > 1 else arrays[0]).batch(BATCH_SIZE)


def _torch_loader(*arrays):
    torch = pytest.importorskip("torch")
    data = torch.utils.data.TensorDataset(*[torch.from_numpy(a.copy()) for a in arrays])
    return torch.utils.data.DataLoader(data, batch_size=BATCH_SIZE, shuffle=False)


def _forever(*arrays):
    while True:
        yield from _batches_of(*arrays)


# Each kind: (two_inputs, make(x, y) -> fit kwargs, make(x, y) -> evaluate kwargs, make(x) -> predict input).
def _arrays_kind(convert=lambda a: a, split=None):
    def inputs(x):
        if split == "list":
            return [convert(x[:, :2]), convert(x[:, 2:])]
        if split == "dict":
            return {"a": convert(x[:, :2]), "b": convert(x[:, 2:])}
        return convert(x)

    def fit(x, y):
        return {"x": inputs(x), "y": convert(y), "batch_size": BATCH_SIZE, "shuffle": False}

    def evaluate(x, y):
        return {"x": inputs(x), "y": convert(y), "batch_size": BATCH_SIZE}

    return split is not None, fit, evaluate, inputs


DATA_KINDS = {
    "numpy-arrays": _arrays_kind(),
    "list-of-arrays": _arrays_kind(split="list"),
    "dict-of-arrays": _arrays_kind(split="dict"),
    "native-tensors": _arrays_kind(convert=ops.convert_to_tensor),
    "torch-tensors": _arrays_kind(convert=lambda a: _engine_tensor("torch", a)),
    "tensorflow-tensors": _arrays_kind(convert=lambda a: _engine_tensor("tensorflow", a)),
    "jax-arrays": _arrays_kind(convert=lambda a: _engine_tensor("jax", a)),
    "generator": (
        False,
        lambda x, y: {"x": _forever(x, y), "steps_per_epoch": NUM_SAMPLES // BATCH_SIZE},
        lambda x, y: {"x": _batches_of(x, y)},
        lambda x: _batches_of(x),
    ),
    "py-dataset": (
        False,
        lambda x, y: {"x": ArrayBatches(x, y), "shuffle": False},
        lambda x, y: {"x": ArrayBatches(x, y)},
        lambda x: ArrayBatches(x),
    ),
    "py-dataset-workers": (
        False,
        lambda x, y: {"x": ArrayBatches(x, y, workers=3), "shuffle": False},
        lambda x, y: {"x": ArrayBatches(x, y, workers=3)},
        lambda x: ArrayBatches(x, workers=3),
    ),
    "tf-data": (
        False,
        lambda x, y: {"x": _tf_dataset(x, y)},
        lambda x, y: {"x": _tf_dataset(x, y)},
        lambda x: _tf_dataset(x),
    ),
    "torch-dataloader": (
        False,
        lambda x, y: {"x": _torch_loader(x, y)},
        lambda x, y: {"x": _torch_loader(x, y)},
        lambda x: _torch_loader(x),
    ),
}
_ENGINE_OF_KIND = {
    "torch-tensors": HAS_TORCH,
    "torch-dataloader": HAS_TORCH,
    "tensorflow-tensors": HAS_TF,
    "tf-data": HAS_TF,
    "jax-arrays": HAS_JAX,
}
KIND_PARAMS = [
    pytest.param(
        name, id=f"fit-{name}", marks=pytest.mark.skipif(not _ENGINE_OF_KIND.get(name, True), reason="not installed")
    )
    for name in DATA_KINDS
]


@needs_gradients
@pytest.mark.parametrize("kind", KIND_PARAMS)
def test_fit_with_each_data_kind_matches_numpy_sgd(kind):
    two_inputs, make_fit, _, _ = DATA_KINDS[kind]
    x, y = _data()
    model = _model(two_inputs)
    history = model.fit(**make_fit(x, y), epochs=2, verbose=0)
    (kernel, bias), losses = numpy_sgd(x, y, _in_order())
    support.assert_close(history.history["loss"], np.array(losses, np.float32), rtol=1e-5)
    new_kernel, new_bias = model.get_weights()
    support.assert_close(new_kernel, kernel.astype(np.float32), rtol=1e-5, atol=1e-6)
    support.assert_close(new_bias, bias.astype(np.float32), rtol=1e-5, atol=1e-6)
    assert int(ops.convert_to_numpy(model.optimizer.iterations)) == 2 * NUM_SAMPLES // BATCH_SIZE


@pytest.mark.parametrize("kind", [pytest.param(p.values[0], id=p.id.replace("fit-", "evaluate-"), marks=p.marks)
                                  for p in KIND_PARAMS])
def test_evaluate_and_predict_with_each_data_kind(kind):
    two_inputs, _, make_evaluate, make_predict_input = DATA_KINDS[kind]
    x, y = _data(num_samples=28)  # 28 = 3 full batches and a partial one
    model = _model(two_inputs)
    kernel, bias = _initial_weights()
    expected_prediction = x @ kernel + bias
    loss = model.evaluate(**make_evaluate(x, y), verbose=0)
    support.assert_close(np.float32(loss), np.float32(np.mean((expected_prediction - y) ** 2)), rtol=1e-5)
    support.assert_close(model.predict(make_predict_input(x), verbose=0), expected_prediction, rtol=1e-5, atol=1e-6)


def test_py_dataset_workers_keep_order_and_call_on_epoch_end():
    x, y = _data()
    dataset = ArrayBatches(x, workers=3)
    model = _model()
    np.testing.assert_allclose(model.predict(dataset, verbose=0), model.predict(x, verbose=0), rtol=1e-6)
    assert dataset.epochs_ended == 1
    assert utils.PyDataset is PyDataset


@needs_gradients
def test_sample_weight_in_fit_and_evaluate():
    x, y = _data()
    sample_weight = np.random.default_rng(3).uniform(0.1, 2.0, size=NUM_SAMPLES).astype("float32")
    model = _model()
    kernel, bias = _initial_weights()
    weighted = np.sum(sample_weight * np.mean((x @ kernel + bias - y) ** 2, axis=1)) / NUM_SAMPLES
    loss = model.evaluate(x, y, sample_weight=sample_weight, batch_size=NUM_SAMPLES, verbose=0)
    support.assert_close(np.float32(loss), np.float32(weighted), rtol=1e-5)
    history = model.fit(x, y, sample_weight=sample_weight, batch_size=BATCH_SIZE, epochs=2, shuffle=False, verbose=0)
    (kernel, bias), losses = numpy_sgd(x, y, _in_order(), sample_weight=sample_weight)
    support.assert_close(history.history["loss"], np.array(losses, np.float32), rtol=1e-5)
    support.assert_close(model.get_weights()[0], kernel.astype(np.float32), rtol=1e-5, atol=1e-6)


@needs_gradients
def test_class_weight_equals_the_matching_sample_weight():
    rng = np.random.default_rng(4)
    x = rng.normal(size=(24, 3)).astype("float32")
    labels = rng.integers(0, 3, size=24).astype("int32")
    class_weight = {0: 0.5, 1: 2.0, 2: 1.0}

    def trained(**kwargs):
        inputs = layers.Input((3,))
        model = kerasx.Model(inputs, layers.Dense(3, activation="softmax")(inputs))
        model.set_weights([np.full((3, 3), 0.1, "float32") * np.arange(3), np.zeros(3, "float32")])
        model.compile(optimizer=kerasx.optimizers.SGD(learning_rate=0.5), loss="sparse_categorical_crossentropy")
        history = model.fit(x, labels, batch_size=8, epochs=2, shuffle=False, verbose=0, **kwargs)
        return history.history["loss"], model.get_weights()

    losses, weights = trained(class_weight=class_weight)
    table = np.array([class_weight[c] for c in range(3)], "float32")
    expected_losses, expected_weights = trained(sample_weight=table[labels])
    plain_losses, plain_weights = trained()
    support.assert_close(np.array(losses), np.array(expected_losses), rtol=1e-6)
    for actual, expected in zip(weights, expected_weights):
        support.assert_close(actual, expected, rtol=1e-6, atol=1e-7)
    assert not np.allclose(weights[0], plain_weights[0], rtol=1e-4)


@needs_gradients
def test_validation_split_trains_on_the_head_and_validates_on_the_tail():
    x, y = _data(num_samples=40)
    model = _model()
    history = model.fit(x, y, batch_size=BATCH_SIZE, epochs=2, shuffle=False, validation_split=0.2, verbose=0)
    (kernel, bias), losses = numpy_sgd(x[:32], y[:32], _in_order())
    support.assert_close(history.history["loss"], np.array(losses, np.float32), rtol=1e-5)
    support.assert_close(model.get_weights()[0], kernel.astype(np.float32), rtol=1e-5, atol=1e-6)
    val_loss = np.mean((x[32:] @ kernel + bias - y[32:]) ** 2)
    support.assert_close(np.float32(history.history["val_loss"][-1]), np.float32(val_loss), rtol=1e-5)


@needs_gradients
@pytest.mark.parametrize("with_weights", [False, True], ids=["fit-validation_data", "fit-validation_data-weighted"])
def test_validation_data_is_evaluated_after_each_epoch(with_weights):
    x, y = _data()
    val_x, val_y = _data(num_samples=12, seed=5)
    val_sw = np.linspace(0.5, 1.5, 12).astype("float32")
    validation = (val_x, val_y, val_sw) if with_weights else (val_x, val_y)
    model = _model()
    history = model.fit(x, y, batch_size=BATCH_SIZE, epochs=2, shuffle=False, validation_data=validation, verbose=0)
    (kernel, bias), _ = numpy_sgd(x, y, _in_order())
    per_sample = np.mean((val_x @ kernel + bias - val_y) ** 2, axis=1)
    expected = np.mean(per_sample * val_sw) if with_weights else np.mean(per_sample)
    support.assert_close(np.float32(history.history["val_loss"][-1]), np.float32(expected), rtol=1e-5)
    assert len(history.history["val_loss"]) == 2


@needs_gradients
def test_steps_per_epoch_continues_through_the_arrays():
    """Two epochs of 2 steps each see batches 0, 1 then 2, 3: the same as one epoch over everything."""
    x, y = _data()
    model = _model()
    history = model.fit(x, y, batch_size=BATCH_SIZE, epochs=2, steps_per_epoch=2, shuffle=False, verbose=0)
    order = _in_order(epochs=1)[0]
    (kernel, bias), losses = numpy_sgd(x, y, [order[:2], order[2:]])
    support.assert_close(history.history["loss"], np.array(losses, np.float32), rtol=1e-5)
    support.assert_close(model.get_weights()[0], kernel.astype(np.float32), rtol=1e-5, atol=1e-6)


class RecordingModel(kerasx.Model):
    """Keeps a copy of every training batch's inputs (run eagerly, so the batch is concrete on every engine)."""

    def train_step(self, data):
        self.seen.append(support.to_numpy(data[0]).copy())
        return super().train_step(data)


def _recording_fit(shuffle, seed, epochs=2):
    utils.set_random_seed(seed)
    inputs = layers.Input((3,))
    model = RecordingModel(inputs, layers.Dense(2)(inputs))
    model.seen = []
    model.set_weights(_initial_weights())
    model.compile(optimizer=kerasx.optimizers.SGD(learning_rate=LEARNING_RATE), loss="mse", run_eagerly=True)
    x, y = _data()
    # Each sample is identified by its first feature (all distinct).
    position = {value: index for index, value in enumerate(x[:, 0].tolist())}
    numpy_state = np.random.get_state()[1].copy()
    model.fit(x, y, batch_size=BATCH_SIZE, epochs=epochs, shuffle=shuffle, verbose=0)
    # The shuffle has its own generator: NumPy's global one is neither used nor disturbed.
    np.testing.assert_array_equal(np.random.get_state()[1], numpy_state)
    batches = [np.array([position[v] for v in batch[:, 0].tolist()]) for batch in model.seen]
    per_epoch = len(batches) // epochs
    return [batches[e * per_epoch : (e + 1) * per_epoch] for e in range(epochs)], model


@needs_gradients
def test_shuffle_is_seeded_and_trains_on_the_shuffled_order():
    order, model = _recording_fit(shuffle=True, seed=11)
    flat = [np.concatenate(epoch) for epoch in order]
    for epoch in flat:
        np.testing.assert_array_equal(np.sort(epoch), np.arange(NUM_SAMPLES))
    assert not np.array_equal(flat[0], np.arange(NUM_SAMPLES)) and not np.array_equal(flat[0], flat[1])
    again, _ = _recording_fit(shuffle=True, seed=11)
    np.testing.assert_array_equal(np.concatenate(again[0]), flat[0])
    other, _ = _recording_fit(shuffle=True, seed=12)
    assert not np.array_equal(np.concatenate(other[0]), flat[0])
    x, y = _data()
    (kernel, bias), _ = numpy_sgd(x, y, order)
    support.assert_close(model.get_weights()[0], kernel.astype(np.float32), rtol=1e-5, atol=1e-6)


@needs_gradients
def test_shuffle_false_and_batch_shuffle():
    in_order, _ = _recording_fit(shuffle=False, seed=0)
    for epoch in in_order:
        np.testing.assert_array_equal(np.concatenate(epoch), np.arange(NUM_SAMPLES))
    by_batch, _ = _recording_fit(shuffle="batch", seed=0, epochs=3)
    starts = []
    for epoch in by_batch:
        for batch in epoch:  # whole batches move, their samples stay together and in order
            np.testing.assert_array_equal(batch, np.arange(batch[0], batch[0] + BATCH_SIZE))
        starts.append([int(batch[0]) for batch in epoch])
    assert all(sorted(s) == [0, 8, 16, 24] for s in starts) and starts != [[0, 8, 16, 24]] * 3


def test_weighted_metrics_use_sample_weight_and_keep_their_own_name():
    x, y = _data()
    sample_weight = np.linspace(0.0, 2.0, NUM_SAMPLES).astype("float32")
    inputs = layers.Input((3,))
    model = kerasx.Model(inputs, layers.Dense(2)(inputs))
    model.set_weights(_initial_weights())
    model.compile(optimizer="sgd", loss="mse", metrics=["mae"], weighted_metrics=["mae"])
    logs = model.evaluate(x, y, sample_weight=sample_weight, batch_size=NUM_SAMPLES, verbose=0, return_dict=True)
    kernel, bias = _initial_weights()
    per_sample = np.mean(np.abs(x @ kernel + bias - y), axis=1)
    assert sorted(logs) == ["loss", "mae", "weighted_mae"]
    support.assert_close(np.float32(logs["mae"]), np.float32(per_sample.mean()), rtol=1e-5)
    expected = np.sum(per_sample * sample_weight) / np.sum(sample_weight)
    support.assert_close(np.float32(logs["weighted_mae"]), np.float32(expected), rtol=1e-5)
