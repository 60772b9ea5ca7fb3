"""Neural machine translation with Bahdanau attention (seed: "tf.keras and eager execution", example 3).

    KERAS_BACKEND=jax python examples/translation_attention.py            # numbers: "4 0 7" -> "four hundred seven"
    KERAS_BACKEND=torch python examples/translation_attention.py --quick  # a few seconds
    KERAS_BACKEND=tensorflow python examples/translation_attention.py --full  # Spanish -> English (downloads 2.6 MB)

The seed's encoder (Embedding -> GRU over the source) and decoder (one GRU step per target word, attending over all
encoder outputs with additive attention: `V(tanh(W1(values) + W2(query)))`), trained with teacher forcing in a
hand-written loop, then translating greedily word by word. Here that loop is written once for every engine:
`keras.backend.value_and_grad` differentiates the masked loss of the variables' values (`model.stateless_call`) and
the optimizer applies the gradients. Then the same model trains with `fit`.

By default the pairs are generated: numbers from 0 to 999 written in digits, to be written in words. A tenth of them
is held out and scored by exact-sentence accuracy. It prints translations and writes an attention heat-map
(`attention.png`, with matplotlib).
"""

import argparse
import json
import os
import re
import unicodedata

import numpy as np

import kerasx as keras

layers = keras.layers
SPANISH_URL = "http://storage.googleapis.com/download.tensorflow.org/data/spa-eng.zip"
PAD, START, END = "<pad>", "<start>", "<end>"
ONES = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
        "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"]
TENS = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]


def in_words(number: int) -> str:
    """0..999 in English words, e.g. 407 -> "four hundred seven"."""
    hundreds, rest = divmod(number, 100)
    words = [ONES[hundreds], "hundred"] if hundreds else []
    if rest >= 20:
        words += [TENS[rest // 10]] + ([ONES[rest % 10]] if rest % 10 else [])
    elif rest or not hundreds:
        words.append(ONES[rest])
    return " ".join(words)


def number_pairs():
    return [(" ".join(str(n)), in_words(n)) for n in range(1000)]


def spanish_pairs(limit=30000):
    """The seed's corpus: (Spanish, English) sentence pairs, accents stripped and punctuation split off."""
    folder = keras.utils.get_file("spa-eng.zip", SPANISH_URL, extract=True)
    path = os.path.join(folder, "spa-eng", "spa.txt")
    if not os.path.exists(path):
        path = os.path.join(os.path.dirname(folder), "spa-eng", "spa.txt")

    def clean(sentence):
        sentence = "".join(c for c in unicodedata.normalize("NFD", sentence.lower()) if unicodedata.category(c) != "Mn")
        sentence = re.sub(r"([?.!,¿])", r" \1 ", sentence)
        return re.sub(r"[^a-z?.!,¿]+", " ", sentence).strip()

    with open(path, encoding="utf-8") as f:
        lines = f.read().strip().split("\n")[:limit]
    return [(clean(line.split("\t")[1]), clean(line.split("\t")[0])) for line in lines]


class Vocabulary:
    def __init__(self, sentences):
        self.words = [PAD, START, END] + sorted({w for s in sentences for w in s.split()})
        self.index = {w: i for i, w in enumerate(self.words)}

    def encode(self, sentences, length, left_pad=False):
        out = np.zeros((len(sentences), length), dtype="int32")
        for row, sentence in zip(out, sentences):
            ids = [self.index[w] for w in sentence.split()][:length]
            if left_pad:  # the encoder's last state then follows the last real word
                row[length - len(ids):] = ids
            else:
                row[: len(ids)] = ids
        return out


class Encoder(keras.Model):
    def __init__(self, vocab_size, embedding_dim, units, **kwargs):
        super().__init__(**kwargs)
        self.embedding = layers.Embedding(vocab_size, embedding_dim)
        self.gru = layers.GRU(units, return_sequences=True, return_state=True)

    def call(self, source):
        return self.gru(self.embedding(source))  # (outputs, state)


class BahdanauAttention(layers.Layer):
    """Additive attention: a score per encoder output from the decoder's state; returns (context, weights)."""

    def __init__(self, units, **kwargs):
        super().__init__(**kwargs)
        self.w1, self.w2, self.v = layers.Dense(units), layers.Dense(units), layers.Dense(1)

    def call(self, query, values):
        score = self.v(keras.ops.tanh(self.w1(values) + self.w2(keras.ops.expand_dims(query, 1))))
        weights = keras.ops.softmax(score, axis=1)  # over the source positions
        return keras.ops.sum(weights * values, axis=1), weights[..., 0]


class Decoder(keras.Model):
    def __init__(self, vocab_size, embedding_dim, units, **kwargs):
        super().__init__(**kwargs)
        self.embedding = layers.Embedding(vocab_size, embedding_dim)
        self.gru = layers.GRU(units, return_sequences=True, return_state=True)
        self.dense = layers.Dense(vocab_size)
        self.attention = BahdanauAttention(units)

    def call(self, word, state, encoder_outputs):
        """One step: the previous word (batch, 1) and state -> (logits, new state, attention weights)."""
        context, weights = self.attention(state, encoder_outputs)
        x = keras.ops.concatenate([keras.ops.expand_dims(context, 1), self.embedding(word)], axis=-1)
        output, state = self.gru(x, initial_state=state)
        return self.dense(output[:, 0]), state, weights


class Translator(keras.Model):
    """Encoder and decoder; called on (source, target input) it decodes with teacher forcing: (batch, time, vocab)."""

    def __init__(self, source_vocab, target_vocab, embedding_dim, units, **kwargs):
        super().__init__(**kwargs)
        self.encoder = Encoder(source_vocab, embedding_dim, units)
        self.decoder = Decoder(target_vocab, embedding_dim, units)

    def call(self, inputs):
        source, target_in = inputs
        encoder_outputs, state = self.encoder(source)
        logits = []
        for t in range(target_in.shape[1]):  # the seed's loop: the true previous word is fed at each step
            step_logits, state, _ = self.decoder(target_in[:, t: t + 1], state, encoder_outputs)
            logits.append(step_logits)
        return keras.ops.stack(logits, axis=1)

    def translate(self, source, max_length):
        """Greedy decoding of a batch: word ids (batch, max_length) and attention weights (batch, max_length, src)."""
        encoder_outputs, state = self.encoder(source)
        word = np.full((len(source), 1), 1, dtype="int32")  # START
        words, attention = [], []
        for _ in range(max_length):
            logits, state, weights = self.decoder(word, state, encoder_outputs)
            word = np.argmax(keras.ops.convert_to_numpy(logits), axis=-1).astype("int32")[:, None]
            words.append(word[:, 0])
            attention.append(keras.ops.convert_to_numpy(weights))
        return np.stack(words, 1), np.stack(attention, 1)


def masked_loss(targets, logits):
    """Mean cross-entropy over the real (non-padding) target words."""
    losses = keras.losses.sparse_categorical_crossentropy(targets, logits, from_logits=True)
    mask = keras.ops.cast(keras.ops.not_equal(targets, 0), losses.dtype)
    return keras.ops.sum(losses * mask) / keras.ops.sum(mask)


def train_eager(model, optimizer, source, target, steps, batch_size, rng):
    def loss_fn(trainable, non_trainable, source, target_in, target_out):
        logits, non_trainable = model.stateless_call(trainable, non_trainable, (source, target_in))
        return masked_loss(target_out, logits), non_trainable

    grad_fn = keras.backend.value_and_grad(loss_fn, has_aux=True)

    def train_step(batch):
        source, target = batch
        trainable = [v.value for v in model.trainable_variables]
        non_trainable = [v.value for v in model.non_trainable_variables]
        (loss, non_trainable), grads = grad_fn(trainable, non_trainable, source, target[:, :-1], target[:, 1:])
        optimizer.apply(grads, model.trainable_variables)
        for variable, value in zip(model.non_trainable_variables, non_trainable):
            variable.assign(value)
        return loss

    # Compiled once (`jax.jit` on jax, `tf.function` on TensorFlow, eager on torch), as the seed's `tf.function`;
    # the optimizer's slots are part of its state, so it is built first.
    optimizer.build(model.trainable_variables)
    step = keras.backend.compile_step(train_step, model.variables + optimizer.variables)
    losses = []
    for _ in range(steps):
        rows = rng.integers(0, len(source), batch_size)
        losses.append(float(keras.ops.convert_to_numpy(step((source[rows], target[rows])))))
    return losses


def decode(vocab, ids):
    words = []
    for i in ids:
        if vocab.words[i] == END:
            break
        words.append(vocab.words[i])
    return " ".join(words)


def save_attention(weights, source_words, target_words, path) -> bool:
    try:
        import matplotlib

        matplotlib.use("Agg")
        from matplotlib import pyplot
    except ImportError:
        return False
    figure, axis = pyplot.subplots(figsize=(4, 4))
    axis.imshow(weights[: len(target_words), -len(source_words):], cmap="viridis")
    axis.set_xticks(range(len(source_words)), source_words)
    axis.set_yticks(range(len(target_words)), target_words)
    figure.savefig(path)
    pyplot.close(figure)
    return True


def main(quick=False, full=False, steps=None, seed=0, curve_path=None, output_dir=".", fit_epochs=None):
    """Trains with the hand-written loop, then with `fit`; returns the losses and the held-out accuracy."""
    pairs = spanish_pairs() if full else number_pairs()
    rng = np.random.default_rng(seed)
    pairs = [pairs[i] for i in rng.permutation(len(pairs))]
    num_test = len(pairs) // 10
    train_pairs, test_pairs = pairs[num_test:], pairs[:num_test]
    source_vocab = Vocabulary([s for s, _ in pairs])
    target_vocab = Vocabulary([t for _, t in pairs])
    source_length = max(len(s.split()) for s, _ in pairs)
    target_length = max(len(t.split()) for _, t in pairs) + 2
    source = source_vocab.encode([s for s, _ in train_pairs], source_length, left_pad=True)
    target = target_vocab.encode([f"{START} {t} {END}" for _, t in train_pairs], target_length)
    if steps is None:
        steps = 20 if quick else (4000 if full else 300)

    keras.utils.set_random_seed(seed)
    sizes = (256, 1024) if full else (32, 64)
    model = Translator(len(source_vocab.words), len(target_vocab.words), *sizes)
    model((source[:1], target[:1, :-1]))
    optimizer = keras.optimizers.Adam(0.01 if not full else 0.001)
    losses = train_eager(model, optimizer, source, target, steps, 64, rng)
    print(f"hand-written loop: {steps} steps, training loss {losses[0]:.4f} -> {losses[-1]:.4f}")

    test_source = source_vocab.encode([s for s, _ in test_pairs], source_length, left_pad=True)
    ids, attention = model.translate(test_source, target_length - 1)
    translations = [decode(target_vocab, row) for row in ids]
    accuracy = float(np.mean([got == want for got, (_, want) in zip(translations, test_pairs)]))
    print(f"exact-sentence accuracy on {len(test_pairs)} held-out pairs: {accuracy:.1%}")
    for (source_sentence, want), got in list(zip(test_pairs, translations))[:5]:
        print(f"  {source_sentence!r} -> {got!r}" + ("" if got == want else f" (expected {want!r})"))
    path = os.path.join(output_dir, "attention.png")
    if save_attention(attention[0], test_pairs[0][0].split(), translations[0].split() + [END], path):
        print(f"attention heat-map: {path}")
    if curve_path:
        with open(curve_path, "w") as f:
            json.dump(losses, f)

    keras.utils.set_random_seed(seed)
    fitted = Translator(len(source_vocab.words), len(target_vocab.words), *sizes)
    loss = keras.losses.SparseCategoricalCrossentropy(from_logits=True, ignore_class=0)
    fitted.compile(optimizer=keras.optimizers.Adam(0.01), loss=loss)
    count = 64 * (2 if quick else 14)
    history = fitted.fit((source[:count], target[:count, :-1]), target[:count, 1:], batch_size=64,
                         epochs=fit_epochs or (1 if quick else 5), verbose=0)
    fit_losses = history.history["loss"]
    print(f"fit: loss {fit_losses[0]:.4f} -> {fit_losses[-1]:.4f}")
    return {"losses": losses, "accuracy": accuracy, "fit_losses": fit_losses}


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a few steps (tests)")
    parser.add_argument("--full", action="store_true", help="download the Spanish-English corpus and train longer")
    parser.add_argument("--steps", type=int, default=None, help="steps of the hand-written loop")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--curve", default=None, help="write the hand-written loop's losses here (JSON)")
    parser.add_argument("--output-dir", default=".", help="where the PNG goes")
    return parser.parse_args(argv)


if __name__ == "__main__":
    args = parse_args()
    main(args.quick, args.full, args.steps, args.seed, args.curve, args.output_dir)
