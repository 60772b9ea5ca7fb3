"""A shared LSTM: do two tweets come from the same person? (seed: the functional-API guide)

    KERAS_BACKEND=torch python examples/shared_lstm_tweets.py

The problem is symmetric, so one LSTM encodes both tweets: the layer is created once and called twice, and the
two calls share its weights. The seed encodes each tweet as a (140, 256) binary matrix (140 characters, one-hot
over 256) and uses LSTM(64).
"""

import numpy as np

import kerasx as keras


def build_model(tweet_length=140, alphabet=256, units=64):
    """The seed's sizes by default."""
    tweet_a = keras.Input(shape=(tweet_length, alphabet))
    tweet_b = keras.Input(shape=(tweet_length, alphabet))
    shared_lstm = keras.layers.LSTM(units)
    encoded_a = shared_lstm(tweet_a)
    encoded_b = shared_lstm(tweet_b)
    merged_vector = keras.layers.concatenate([encoded_a, encoded_b], axis=-1)
    predictions = keras.layers.Dense(1, activation="sigmoid")(merged_vector)
    return keras.Model(inputs=[tweet_a, tweet_b], outputs=predictions), shared_lstm


def main(steps=5, batch_size=4):
    tweet_length, alphabet = 14, 16  # the seed: 140 characters one-hot over 256
    model, shared_lstm = build_model(tweet_length, alphabet, units=8)
    model.summary()
    assert model.output_shape == (None, 1), model.output_shape
    # The layer has two nodes (one per call): `shared_lstm.output` is ambiguous, `get_output_at(i)` is not.
    assert shared_lstm.get_output_shape_at(0) == shared_lstm.get_output_shape_at(1) == (None, 8)
    assert len(model.weights) == 3 + 2  # kernel, recurrent kernel, bias of the one LSTM; the Dense

    rng = np.random.default_rng(0)
    count = steps * batch_size
    chars = rng.integers(0, alphabet, (2, count, tweet_length))
    data_a, data_b = (np.eye(alphabet, dtype="float32")[c] for c in chars)
    labels = rng.integers(0, 2, (count, 1)).astype("float32")
    model.compile(optimizer="rmsprop", loss="binary_crossentropy", metrics=["accuracy"])
    if keras.backend.backend() == "numpy":  # inference only
        model.predict([data_a, data_b], batch_size=batch_size, verbose=0)
        return model, None
    history = model.fit([data_a, data_b], labels, batch_size=batch_size, epochs=1, verbose=0)
    print(f"loss after {steps} steps: {history.history['loss'][-1]:.4f}")
    return model, history


if __name__ == "__main__":
    main()
