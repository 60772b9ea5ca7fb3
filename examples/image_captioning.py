"""Image captioning with attention over image features (seed: "tf.keras and eager execution", example 4).

    KERAS_BACKEND=jax python examples/image_captioning.py            # coloured shapes, InceptionV3(weights=None)
    KERAS_BACKEND=torch python examples/image_captioning.py --quick  # a small CNN's features, a few seconds
    KERAS_BACKEND=tensorflow python examples/image_captioning.py --full  # MS-COCO, ImageNet InceptionV3 (~13 GB)

As the seed does, a frozen feature extractor (InceptionV3 without its top: an 8x8 grid of 2048 features at 299x299)
runs once over the images; an encoder projects each grid cell, and a GRU decoder writes the caption word by word,
attending over the cells with Bahdanau attention (the layer of `translation_attention.py`). It trains with teacher
forcing in a hand-written loop written once for every engine (`keras.backend.value_and_grad` of the variables'
values through `model.stateless_call`, then the optimizer's update), then with `fit`.

By default the images are generated: one red, green or blue circle, square or triangle, big or small, on the left
or the right, captioned "a big red circle on the left". It prints captions for held-out images.
"""

import argparse
import json
import os

import numpy as np

import kerasx as keras
from translation_attention import END, START, BahdanauAttention, Vocabulary, masked_loss

layers = keras.layers
COCO_ANNOTATIONS = "http://images.cocodataset.org/annotations/annotations_trainval2014.zip"
COCO_IMAGES = "http://images.cocodataset.org/zips/train2014.zip"
COLOURS = {"red": (1.0, 0.1, 0.1), "green": (0.1, 0.9, 0.1), "blue": (0.1, 0.2, 1.0)}
SHAPES = ("circle", "square", "triangle")


def draw(shape, colour, big, left, size, rng):
    """One image (size, size, 3) in [0, 1]: a shape on a grey, slightly noisy background."""
    image = 0.5 + 0.05 * rng.standard_normal((size, size, 3))
    radius = size * (0.22 if big else 0.12) * rng.uniform(0.9, 1.1)
    cx = size * (0.28 if left else 0.72) + rng.uniform(-0.05, 0.05) * size
    cy = size * rng.uniform(0.35, 0.65)
    y, x = np.mgrid[:size, :size] + 0.5
    if shape == "circle":
        inside = (x - cx) ** 2 + (y - cy) ** 2 <= radius**2
    elif shape == "square":
        inside = (np.abs(x - cx) <= radius) & (np.abs(y - cy) <= radius)
    else:  # apex up: below the top, inside both slanted sides
        inside = (y >= cy - radius) & (y <= cy + radius) & (np.abs(x - cx) <= (y - cy + radius) / 2)
    image[inside] = COLOURS[colour]
    return image.astype("float32")


def shapes_dataset(count, size, rng):
    images, captions = [], []
    for _ in range(count):
        shape, colour = SHAPES[rng.integers(3)], list(COLOURS)[rng.integers(3)]
        big, left = bool(rng.integers(2)), bool(rng.integers(2))
        images.append(draw(shape, colour, big, left, size, rng))
        captions.append(f"a {'big' if big else 'small'} {colour} {shape} on the {'left' if left else 'right'}")
    return np.stack(images), captions


def coco_dataset(limit=6000):
    """The seed's data: (image path, caption) pairs of MS-COCO's 2014 training set."""
    annotations = keras.utils.get_file("annotations.zip", COCO_ANNOTATIONS, extract=True)
    images = keras.utils.get_file("train2014.zip", COCO_IMAGES, extract=True)
    with open(os.path.join(annotations, "annotations", "captions_train2014.json")) as f:
        entries = json.load(f)["annotations"][:limit]
    paths = [os.path.join(images, "train2014", f"COCO_train2014_{e['image_id']:012d}.jpg") for e in entries]
    captions = [" ".join("".join(c for c in e["caption"].lower() if c.isalnum() or c == " ").split()) for e in entries]
    return paths, captions


def small_cnn(size):
    """A frozen random convolutional feature extractor (for --quick): (size, size, 3) -> (size/4, size/4, 32)."""
    return keras.Sequential([
        keras.Input((size, size, 3)),
        layers.Conv2D(16, 3, padding="same", activation="relu"),
        layers.MaxPooling2D(),
        layers.Conv2D(32, 3, padding="same", activation="relu"),
        layers.MaxPooling2D(),
    ])


def extract_features(extractor, images, batch_size=16):
    """The seed caches InceptionV3's features once: (count, cells, features)."""
    features = extractor.predict(images, batch_size=batch_size, verbose=0)
    return features.reshape(len(images), -1, features.shape[-1]).astype("float32")


class Captioner(keras.Model):
    """Encoder (a Dense per grid cell) and attention decoder; called on (features, caption input) with teacher
    forcing it returns (batch, time, vocab) logits."""

    def __init__(self, vocab_size, embedding_dim, units, **kwargs):
        super().__init__(**kwargs)
        self.encoder = layers.Dense(embedding_dim, activation="relu")
        self.embedding = layers.Embedding(vocab_size, embedding_dim)
        self.attention = BahdanauAttention(units)
        self.gru = layers.GRU(units, return_sequences=True, return_state=True)
        self.dense_1, self.dense_2 = layers.Dense(units), layers.Dense(vocab_size)

    def decode_step(self, word, state, cells):
        context, weights = self.attention(state, cells)
        x = keras.ops.concatenate([keras.ops.expand_dims(context, 1), self.embedding(word)], axis=-1)
        output, state = self.gru(x, initial_state=state)
        return self.dense_2(self.dense_1(output[:, 0])), state, weights

    def call(self, inputs):
        features, caption_in = inputs
        cells = self.encoder(features)
        state = keras.ops.zeros((keras.ops.shape(features)[0], self.gru.units))  # the seed's reset_state
        logits = []
        for t in range(caption_in.shape[1]):
            step_logits, state, _ = self.decode_step(caption_in[:, t: t + 1], state, cells)
            logits.append(step_logits)
        return keras.ops.stack(logits, axis=1)

    def caption(self, features, max_length):
        """Greedy captions of a batch: word ids (batch, max_length)."""
        cells = self.encoder(features)
        state = keras.ops.zeros((len(features), self.gru.units))
        word = np.full((len(features), 1), 1, dtype="int32")  # START
        words = []
        for _ in range(max_length):
            logits, state, _ = self.decode_step(word, state, cells)
            word = np.argmax(keras.ops.convert_to_numpy(logits), axis=-1).astype("int32")[:, None]
            words.append(word[:, 0])
        return np.stack(words, 1)


def train_eager(model, optimizer, features, captions, steps, batch_size, rng):
    def loss_fn(trainable, non_trainable, features, caption_in, caption_out):
        logits, non_trainable = model.stateless_call(trainable, non_trainable, (features, caption_in))
        return masked_loss(caption_out, logits), non_trainable

    grad_fn = keras.backend.value_and_grad(loss_fn, has_aux=True)

    def train_step(batch):
        features, captions = batch
        trainable = [v.value for v in model.trainable_variables]
        non_trainable = [v.value for v in model.non_trainable_variables]
        (loss, non_trainable), grads = grad_fn(trainable, non_trainable, features, captions[:, :-1], captions[:, 1:])
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
        rows = rng.integers(0, len(features), batch_size)
        losses.append(float(keras.ops.convert_to_numpy(step((features[rows], captions[rows])))))
    return losses


def load(quick, full, rng):
    """(features, captions) for training and held-out images."""
    if full:
        paths, captions = coco_dataset()
        images = np.stack([
            keras.utils.img_to_array(keras.utils.load_img(p, target_size=(299, 299))) for p in paths
        ])
        images = keras.applications.inception_v3.preprocess_input(images)
        extractor = keras.applications.InceptionV3(include_top=False, weights="imagenet")
    else:
        size = 32 if quick else 299
        images, captions = shapes_dataset(240 if quick else 400, size, rng)
        images = images * 2.0 - 1.0  # InceptionV3's input range
        extractor = small_cnn(size) if quick else keras.applications.InceptionV3(include_top=False, weights=None)
    return extract_features(extractor, images), captions


def main(quick=False, full=False, steps=None, seed=0, curve_path=None, fit_epochs=None):
    """Extracts features, trains with the hand-written loop, then with `fit`; returns the losses and the held-out
    exact-caption accuracy."""
    rng = np.random.default_rng(seed)
    keras.utils.set_random_seed(seed)
    features, captions = load(quick, full, rng)
    num_test = len(captions) // 10
    vocab = Vocabulary(captions)
    length = max(len(c.split()) for c in captions) + 2
    encoded = vocab.encode([f"{START} {c} {END}" for c in captions], length)
    train_features, train_captions = features[num_test:], encoded[num_test:]
    if steps is None:
        steps = 20 if quick else (3000 if full else 300)

    keras.utils.set_random_seed(seed)
    sizes = (256, 512) if full else (32, 64)
    model = Captioner(len(vocab.words), *sizes)
    model((train_features[:1], train_captions[:1, :-1]))
    optimizer = keras.optimizers.Adam(0.01 if not full else 0.001)
    losses = train_eager(model, optimizer, train_features, train_captions, steps, 32, rng)
    print(f"hand-written loop: {steps} steps, training loss {losses[0]:.4f} -> {losses[-1]:.4f}")
    ids = model.caption(features[:num_test], length - 1)
    predicted = [" ".join(vocab.words[i] for i in row).split(f" {END}")[0] for row in ids]
    accuracy = float(np.mean([got == want for got, want in zip(predicted, captions[:num_test])]))
    print(f"exact captions of {num_test} held-out images: {accuracy:.1%}")
    for got, want in list(zip(predicted, captions))[:4]:
        print(f"  {got!r}" + ("" if got == want else f" (true: {want!r})"))
    if curve_path:
        with open(curve_path, "w") as f:
            json.dump(losses, f)

    keras.utils.set_random_seed(seed)
    fitted = Captioner(len(vocab.words), *sizes)
    fitted.compile(optimizer=keras.optimizers.Adam(0.01),
                   loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True, ignore_class=0))
    count = 32 * (2 if quick else 8)
    history = fitted.fit((train_features[:count], train_captions[:count, :-1]), train_captions[:count, 1:],
                         batch_size=32, epochs=fit_epochs or (1 if quick else 5), verbose=0)
    fit_losses = history.history["loss"]
    print(f"fit: loss {fit_losses[0]:.4f} -> {fit_losses[-1]:.4f}")
    return {"losses": losses, "accuracy": accuracy, "fit_losses": fit_losses}


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a small CNN's features and a few steps (tests)")
    parser.add_argument("--full", action="store_true", help="download MS-COCO and ImageNet weights; train longer")
    parser.add_argument("--steps", type=int, default=None, help="steps of the hand-written loop")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--curve", default=None, help="write the hand-written loop's losses here (JSON)")
    return parser.parse_args(argv)


if __name__ == "__main__":
    args = parse_args()
    main(args.quick, args.full, args.steps, args.seed, args.curve)
