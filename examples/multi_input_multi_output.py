"""The headline model: two inputs, two outputs, weighted losses (seed: the functional-API guide).

    KERAS_BACKEND=torch python examples/multi_input_multi_output.py

Predicts how much a news headline will be retweeted and liked. The main input is the headline (a sequence of word
indices) encoded by an Embedding and an LSTM; an auxiliary output on the LSTM lets the Embedding and the LSTM train
smoothly even when the main loss is high. The LSTM's vector is concatenated with an auxiliary input (e.g. the time
of day) and fed to a deep fully connected stack. Inputs and outputs are named, so data and losses can be passed
as dicts. The seed's sizes: 100 words from a 10,000-word vocabulary, 512-dimensional embeddings, LSTM(32), Dense(64)
x3, 5 auxiliary features, loss weights 1 and 0.2.
"""

import numpy as np

import kerasx as keras


def build_model(seq_len=100, vocab_size=10000, embed_dim=512, lstm_units=32, units=64, aux_features=5):
    """The seed's sizes by default."""
    layers = keras.layers
    main_input = keras.Input(shape=(seq_len,), dtype="int32", name="main_input")
    x = layers.Embedding(output_dim=embed_dim, input_dim=vocab_size)(main_input)
    lstm_out = layers.LSTM(lstm_units)(x)
    auxiliary_output = layers.Dense(1, activation="sigmoid", name="aux_output")(lstm_out)

    auxiliary_input = keras.Input(shape=(aux_features,), name="aux_input")
    x = layers.concatenate([lstm_out, auxiliary_input])
    x = layers.Dense(units, activation="relu")(x)
    x = layers.Dense(units, activation="relu")(x)
    x = layers.Dense(units, activation="relu")(x)
    main_output = layers.Dense(1, activation="sigmoid", name="main_output")(x)
    return keras.Model(inputs=[main_input, auxiliary_input], outputs=[main_output, auxiliary_output])


def main(steps=5, batch_size=4):
    seq_len, vocab_size = 12, 50  # the seed: 100 words, 10,000-word vocabulary
    model = build_model(seq_len, vocab_size, embed_dim=8, lstm_units=8, units=16)
    model.summary()
    assert model.output_shape == [(None, 1), (None, 1)], model.output_shape

    rng = np.random.default_rng(0)
    count = steps * batch_size
    headline_data = rng.integers(1, vocab_size, (count, seq_len)).astype("int32")
    additional_data = rng.random((count, 5), dtype="float32")
    labels = rng.integers(0, 2, (count, 1)).astype("float32")

    model.compile(
        optimizer="rmsprop",
        loss={"main_output": "binary_crossentropy", "aux_output": "binary_crossentropy"},
        loss_weights={"main_output": 1.0, "aux_output": 0.2},
    )
    inputs = {"main_input": headline_data, "aux_input": additional_data}
    if keras.backend.backend() == "numpy":  # inference only
        main_prediction, aux_prediction = model.predict(inputs, batch_size=batch_size, verbose=0)
        assert main_prediction.shape == aux_prediction.shape == (count, 1)
        return model, None
    history = model.fit(
        inputs, {"main_output": labels, "aux_output": labels}, batch_size=batch_size, epochs=1, verbose=0
    )
    logs = {name: round(values[-1], 4) for name, values in history.history.items()}
    print(f"losses after {steps} steps: {logs}")
    return model, history


if __name__ == "__main__":
    main()
