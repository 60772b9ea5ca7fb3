"""Same seed, same data, same model: every engine trains to the same losses and weights (20 steps, 1e-4).

One model per family: an MLP with dropout (SGD with momentum, shuffled batches), and with Adam a CNN (convolutions,
batch normalization, pooling, a residual add), an RNN (masked embedding, LSTM, GRU), a transformer block
(self-attention from Dense projections and `ops.dot_product_attention`, layer normalization, residuals, a
feed-forward) and an embedding model (masked embedding averaged by GlobalAveragePooling1D).

The active engine trains in this process; the other two run this file as a script (`python
tests/test_trainer_engines.py`, one subprocess per engine, started once for all the tests and run in parallel) and
print every family's results as JSON (`engine_agreement` holds that machinery; the tests run in one backend's
session). Initial weights, dropout masks and the shuffle order all come from kerasx's
own seeded generators, so they are identical on every engine; what remains are float32 rounding differences of the
engines' kernels.
"""

import numpy as np
import pytest

import engine_agreement
import kerasx
from kerasx import layers, losses, ops, optimizers

NUM_STEPS = engine_agreement.NUM_STEPS
NUM_CLASSES = 3
pytestmark = engine_agreement.runs_once


class SelfAttention(layers.Layer):
    """Multi-head self-attention: Dense projections, `ops.dot_product_attention`, an output projection."""

    def __init__(self, num_heads, head_dim, **kwargs):
        super().__init__(**kwargs)
        self.num_heads, self.head_dim = num_heads, head_dim
        self.query = layers.Dense(num_heads * head_dim)
        # No key bias: softmax cancels it (one constant per row), so its gradient would be rounding noise that
        # Adam scales up to full steps, differently on every engine.
        self.key = layers.Dense(num_heads * head_dim, use_bias=False)
        self.value = layers.Dense(num_heads * head_dim)
        self.output_projection = None

    def build(self, input_shape):
        self.output_projection = layers.Dense(input_shape[-1])

    def _heads(self, x):
        return ops.reshape(x, (-1, x.shape[1], self.num_heads, self.head_dim))

    def call(self, x):
        attended = ops.dot_product_attention(self._heads(self.query(x)), self._heads(self.key(x)),
                                             self._heads(self.value(x)))
        return self.output_projection(ops.reshape(attended, (-1, x.shape[1], self.num_heads * self.head_dim)))


def _labels_of(features):
    return (np.argmax(features, axis=1) % NUM_CLASSES).astype("int32")


def _token_sequences(rng, num_samples, length, vocabulary):
    """Token ids in [1, vocabulary) followed by zero padding (lengths 3 to `length`)."""
    tokens = rng.integers(1, vocabulary, size=(num_samples, length)).astype("int32")
    lengths = rng.integers(3, length + 1, size=num_samples)
    tokens[np.arange(length)[None, :] >= lengths[:, None]] = 0
    labels = (tokens[:, :3].sum(axis=1) % NUM_CLASSES).astype("int32")
    return tokens, labels


def mlp_data_and_model():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(64, 8)).astype("float32")
    labels = np.argmax(x[:, :3] + 0.5 * x[:, 3:6], axis=1).astype("int32")
    inputs = layers.Input((8,))
    hidden = layers.Dense(16, activation="relu")(inputs)
    hidden = layers.Dropout(0.25)(hidden)
    return x, labels, kerasx.Model(inputs, layers.Dense(NUM_CLASSES)(hidden))


def cnn_data_and_model():
    rng = np.random.default_rng(1)
    x = rng.normal(size=(16, 8, 8, 3)).astype("float32")
    labels = _labels_of(x.mean(axis=(1, 2)))
    inputs = layers.Input((8, 8, 3))
    # No bias before batch normalization: BN subtracts it again, so its gradient would be pure rounding noise.
    hidden = layers.Conv2D(8, 3, padding="same", use_bias=False)(inputs)
    hidden = layers.Activation("relu")(layers.BatchNormalization()(hidden))
    residual = layers.Conv2D(8, 3, padding="same", activation="relu")(hidden)
    hidden = layers.MaxPooling2D(2)(layers.Add()([hidden, residual]))
    hidden = layers.Conv2D(8, 3, activation="relu")(hidden)
    hidden = layers.GlobalAveragePooling2D()(hidden)
    return x, labels, kerasx.Model(inputs, layers.Dense(NUM_CLASSES)(hidden))


def rnn_data_and_model():
    """A masked branch (the recurrent loops keep states over padding) and an unmasked one (which torch runs
    through its fused recurrent kernel)."""
    tokens, labels = _token_sequences(np.random.default_rng(2), 16, 7, 12)
    inputs = layers.Input((7,), dtype="int32")
    masked = layers.Embedding(12, 6, mask_zero=True)(inputs)
    masked = layers.LSTM(8, return_sequences=True)(masked)
    masked = layers.GRU(8)(masked)
    unmasked = layers.Embedding(12, 4)(inputs)
    unmasked = layers.GRU(4, return_sequences=True)(unmasked)
    unmasked = layers.LSTM(4)(unmasked)
    hidden = layers.Concatenate()([masked, unmasked])
    return tokens, labels, kerasx.Model(inputs, layers.Dense(NUM_CLASSES)(hidden))


def transformer_data_and_model():
    rng = np.random.default_rng(3)
    x = rng.normal(size=(16, 6, 8)).astype("float32")
    labels = _labels_of(x[:, 0, :])
    inputs = layers.Input((6, 8))
    attended = SelfAttention(2, 4)(inputs)
    hidden = layers.LayerNormalization()(layers.Add()([inputs, attended]))
    feed_forward = layers.Dense(8)(layers.Dense(16, activation="relu")(hidden))
    hidden = layers.LayerNormalization()(layers.Add()([hidden, feed_forward]))
    hidden = layers.GlobalAveragePooling1D()(hidden)
    return x, labels, kerasx.Model(inputs, layers.Dense(NUM_CLASSES)(hidden))


def embedding_data_and_model():
    tokens, labels = _token_sequences(np.random.default_rng(4), 16, 6, 20)
    inputs = layers.Input((6,), dtype="int32")
    hidden = layers.Embedding(20, 8, mask_zero=True)(inputs)
    hidden = layers.GlobalAveragePooling1D()(hidden)
    return tokens, labels, kerasx.Model(inputs, layers.Dense(NUM_CLASSES)(hidden))


def train_mlp() -> dict:
    """Dropout, SGD with momentum and shuffled batches: 5 epochs of 4 steps."""
    return _train(mlp_data_and_model, optimizers.SGD(learning_rate=0.1, momentum=0.9), batch_size=16,
                  epochs=NUM_STEPS // 4, shuffle=True)


def _train_with_adam(data_and_model):
    """One full batch per epoch, so History holds the loss of each of the 20 steps."""
    return _train(data_and_model, optimizers.Adam(learning_rate=0.01), batch_size=None, epochs=NUM_STEPS,
                  shuffle=False)


FAMILIES = {
    "mlp": train_mlp,
    "cnn": lambda: _train_with_adam(cnn_data_and_model),
    "rnn": lambda: _train_with_adam(rnn_data_and_model),
    "transformer": lambda: _train_with_adam(transformer_data_and_model),
    "embedding": lambda: _train_with_adam(embedding_data_and_model),
}


def _train(data_and_model, optimizer, batch_size, epochs, shuffle) -> dict:
    return engine_agreement.train(data_and_model, optimizer, losses.SparseCategoricalCrossentropy(from_logits=True),
                                  batch_size=batch_size, epochs=epochs, shuffle=shuffle)


@pytest.fixture(scope="module")
def other_engines():
    engines = engine_agreement.OtherEngines(__file__)
    yield engines
    engines.stop()


def _check_family(family, other_engines):
    engine_agreement.check_family(FAMILIES, family, other_engines)
    assert other_engines.get() and all(r[family]["iterations"] == NUM_STEPS for r in other_engines.get().values())


def test_mlp_twenty_steps_agree_across_engines(other_engines):
    _check_family("mlp", other_engines)


def test_cnn_twenty_steps_agree_across_engines(other_engines):
    _check_family("cnn", other_engines)


def test_rnn_twenty_steps_agree_across_engines(other_engines):
    _check_family("rnn", other_engines)


def test_transformer_twenty_steps_agree_across_engines(other_engines):
    _check_family("transformer", other_engines)


def test_embedding_model_twenty_steps_agree_across_engines(other_engines):
    _check_family("embedding", other_engines)


if __name__ == "__main__":
    engine_agreement.print_results(FAMILIES)
