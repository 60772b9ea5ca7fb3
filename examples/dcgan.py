"""A DCGAN that draws digits (seed: "tf.keras and eager execution", example 2).

    KERAS_BACKEND=jax python examples/dcgan.py            # scikit-learn's 8x8 digits, upscaled to 16x16
    KERAS_BACKEND=torch python examples/dcgan.py --quick  # a few seconds
    KERAS_BACKEND=tensorflow python examples/dcgan.py --full  # MNIST (downloads 11 MB)

A generator turns noise into an image (Dense -> Conv2DTranspose, batch normalization, leaky ReLU, tanh); a
discriminator tells real images from generated ones (strided Conv2D, dropout). The seed trains both with two
optimizers in one hand-written loop. Here that loop is written once for every engine: each network's loss is a
function of its variables' values (`model.stateless_call`), `keras.backend.value_and_grad` differentiates it and
that network's optimizer applies the gradients. Then the same networks train with `fit`, in a `GAN` model that
overrides `train_step` (Keras's "GAN overriding train_step" guide), whose gradients come from
`Model.compute_gradients`: the same code again on jax, torch and tensorflow.

It writes a grid of generated digits (`dcgan_digits.png`, with matplotlib) and prints one of them in characters.
"""

import argparse
import json
import os

import numpy as np

import kerasx as keras

layers = keras.layers


def load_digits(full: bool) -> np.ndarray:
    """Images in [-1, 1], (count, size, size, 1): MNIST with `--full`, else scikit-learn's bundled 8x8 digits."""
    if full:
        (images, _), _ = keras.datasets.mnist.load_data()
        return (images[..., None].astype("float32") - 127.5) / 127.5
    from sklearn.datasets import load_digits as sklearn_digits  # optional: only the stand-in data needs it

    small = sklearn_digits().images.astype("float32") / 16.0  # 1797 images, values 0..16
    images = np.kron(small, np.ones((1, 2, 2), dtype="float32"))  # 16x16, each pixel doubled
    return (images[..., None] * 2.0 - 1.0).astype("float32")


class Generator(keras.Model):
    """Noise -> image of `size` x `size` (size divisible by 4)."""

    def __init__(self, size, filters=64, **kwargs):
        super().__init__(**kwargs)
        base = size // 4
        self.dense = layers.Dense(base * base * filters, use_bias=False)
        self.norm_1 = layers.BatchNormalization()
        self.reshape = layers.Reshape((base, base, filters))
        self.up_1 = layers.Conv2DTranspose(filters // 2, 5, strides=2, padding="same", use_bias=False)
        self.norm_2 = layers.BatchNormalization()
        self.up_2 = layers.Conv2DTranspose(1, 5, strides=2, padding="same", activation="tanh")

    def call(self, noise, training=False):
        x = keras.ops.leaky_relu(self.norm_1(self.dense(noise), training=training), 0.3)
        x = keras.ops.leaky_relu(self.norm_2(self.up_1(self.reshape(x)), training=training), 0.3)
        return self.up_2(x)


class Discriminator(keras.Model):
    """Image -> one logit: real (positive) or generated."""

    def __init__(self, filters=64, **kwargs):
        super().__init__(**kwargs)
        self.conv_1 = layers.Conv2D(filters, 5, strides=2, padding="same")
        self.dropout_1 = layers.Dropout(0.3)
        self.conv_2 = layers.Conv2D(filters * 2, 5, strides=2, padding="same")
        self.dropout_2 = layers.Dropout(0.3)
        self.flatten = layers.Flatten()
        self.dense = layers.Dense(1)

    def call(self, images, training=False):
        x = self.dropout_1(keras.ops.leaky_relu(self.conv_1(images), 0.3), training=training)
        x = self.dropout_2(keras.ops.leaky_relu(self.conv_2(x), 0.3), training=training)
        return self.dense(self.flatten(x))


def bce(labels_value, logits):
    labels = keras.ops.full(keras.ops.shape(logits), labels_value)
    return keras.ops.mean(keras.losses.binary_crossentropy(labels, logits, from_logits=True))


def discriminator_loss(real_logits, fake_logits):
    return bce(1.0, real_logits) + bce(0.0, fake_logits)


def values(variables):
    return [v.value for v in variables]


def assign(variables, new_values):
    for variable, value in zip(variables, new_values):
        variable.assign(value)


def train_eager(generator, discriminator, images, steps, batch_size, latent_dim, rng):
    """The seed's loop with two optimizers, engine-free: returns the (discriminator, generator) losses per step."""
    g_optimizer, d_optimizer = keras.optimizers.Adam(2e-4, beta_1=0.5), keras.optimizers.Adam(2e-4, beta_1=0.5)

    def d_loss_fn(d_trainable, d_state, g_state, real, noise):
        fake, g_state = generator.stateless_call(values(generator.trainable_variables), g_state, noise, training=True)
        real_logits, d_state = discriminator.stateless_call(d_trainable, d_state, real, training=True)
        fake_logits, d_state = discriminator.stateless_call(d_trainable, d_state, fake, training=True)
        return discriminator_loss(real_logits, fake_logits), (d_state, g_state)

    def g_loss_fn(g_trainable, g_state, d_state, noise):
        fake, g_state = generator.stateless_call(g_trainable, g_state, noise, training=True)
        fake_logits, d_state = discriminator.stateless_call(
            values(discriminator.trainable_variables), d_state, fake, training=True
        )
        return bce(1.0, fake_logits), (g_state, d_state)  # the generator wants its images called real

    d_grad_fn = keras.backend.value_and_grad(d_loss_fn, has_aux=True)
    g_grad_fn = keras.backend.value_and_grad(g_loss_fn, has_aux=True)
    g_state, d_state = generator.non_trainable_variables, discriminator.non_trainable_variables

    def train_step(batch):
        real, noise = batch
        (d_loss, (d_new, g_new)), d_grads = d_grad_fn(
            values(discriminator.trainable_variables), values(d_state), values(g_state), real, noise
        )
        d_optimizer.apply(d_grads, discriminator.trainable_variables)
        assign(d_state, d_new)
        assign(g_state, g_new)
        (g_loss, (g_new, d_new)), g_grads = g_grad_fn(
            values(generator.trainable_variables), values(g_state), values(d_state), noise
        )
        g_optimizer.apply(g_grads, generator.trainable_variables)
        assign(g_state, g_new)
        assign(d_state, d_new)
        return d_loss, g_loss

    # Compiled once (`jax.jit` on jax, `tf.function` on TensorFlow, eager on torch) over both networks and both
    # optimizers' slots, built first for that.
    d_optimizer.build(discriminator.trainable_variables)
    g_optimizer.build(generator.trainable_variables)
    state = generator.variables + discriminator.variables + g_optimizer.variables + d_optimizer.variables
    step = keras.backend.compile_step(train_step, state)
    losses = []
    for _ in range(steps):
        real = images[rng.integers(0, len(images), batch_size)]
        noise = rng.standard_normal((batch_size, latent_dim)).astype("float32")
        d_loss, g_loss = step((real, noise))
        losses.append([float(keras.ops.convert_to_numpy(d_loss)), float(keras.ops.convert_to_numpy(g_loss))])
    return losses


class GAN(keras.Model):
    """Keras's "GAN overriding train_step": `fit` runs one discriminator and one generator update per batch."""

    def __init__(self, discriminator, generator, latent_dim, seed=None, **kwargs):
        super().__init__(**kwargs)
        self.discriminator = discriminator
        self.generator = generator
        self.latent_dim = latent_dim
        self.seed_generator = keras.random.SeedGenerator(seed)
        self.d_loss_tracker = keras.metrics.Mean(name="d_loss")
        self.g_loss_tracker = keras.metrics.Mean(name="g_loss")

    def compile(self, d_optimizer, g_optimizer, **kwargs):
        super().compile(**kwargs)
        self.d_optimizer = d_optimizer
        self.g_optimizer = g_optimizer

    @property
    def metrics(self):
        return [self.d_loss_tracker, self.g_loss_tracker]

    def train_step(self, data):
        real = data
        batch_size = keras.ops.shape(real)[0]
        noise = keras.random.normal((batch_size, self.latent_dim), seed=self.seed_generator)

        def d_loss_fn():
            fake = self.generator(noise, training=True)
            real_logits = self.discriminator(real, training=True)
            return discriminator_loss(real_logits, self.discriminator(fake, training=True)), None

        d_variables = self.discriminator.trainable_variables
        d_loss, _, d_grads = self.compute_gradients(d_loss_fn, d_variables)
        self.d_optimizer.apply(d_grads, d_variables)

        def g_loss_fn():
            return bce(1.0, self.discriminator(self.generator(noise, training=True), training=True)), None

        g_variables = self.generator.trainable_variables
        g_loss, _, g_grads = self.compute_gradients(g_loss_fn, g_variables)
        self.g_optimizer.apply(g_grads, g_variables)
        self.d_loss_tracker.update_state(d_loss)
        self.g_loss_tracker.update_state(g_loss)
        return {"d_loss": self.d_loss_tracker.result(), "g_loss": self.g_loss_tracker.result()}


def save_grid(images, path) -> bool:
    """A PNG grid of `images` in [-1, 1]; False when matplotlib (an optional extra) is missing."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        from matplotlib import pyplot
    except ImportError:
        return False
    side = int(np.ceil(np.sqrt(len(images))))
    figure, axes = pyplot.subplots(side, side, figsize=(side, side))
    for axis, image in zip(np.ravel(axes), list(images) + [None] * (side * side - len(images))):
        axis.axis("off")
        if image is not None:
            axis.imshow(image[..., 0] * 0.5 + 0.5, cmap="gray", vmin=0, vmax=1)
    figure.savefig(path)
    pyplot.close(figure)
    return True


def as_characters(image) -> str:
    shades = " .:-=+*#%@"
    levels = np.clip(((image[..., 0] + 1) / 2 * len(shades)).astype(int), 0, len(shades) - 1)
    return "\n".join("".join(shades[v] * 2 for v in row) for row in levels)


def main(quick=False, full=False, steps=None, seed=0, curve_path=None, output_dir=".", fit_epochs=None):
    """Trains with the hand-written loop, then with `fit` on `GAN`; returns the losses."""
    images = load_digits(full)  # first: importing scikit-learn may draw from NumPy's global generator
    keras.utils.set_random_seed(seed)
    size, latent_dim = images.shape[1], 100 if full else 32
    filters = 64 if full else (8 if quick else 32)
    if steps is None:
        steps = 20 if quick else (5000 if full else 400)
    rng = np.random.default_rng(seed)
    generator, discriminator = Generator(size, filters), Discriminator(filters)
    generator(np.zeros((1, latent_dim), "float32"))
    discriminator(images[:1])
    losses = train_eager(generator, discriminator, images, steps, 64, latent_dim, rng)
    first, last = np.mean(losses[: max(1, steps // 5)], axis=0), np.mean(losses[-max(1, steps // 5):], axis=0)
    print(f"hand-written loop: {steps} steps, discriminator loss {first[0]:.4f} -> {last[0]:.4f}, "
          f"generator loss {first[1]:.4f} -> {last[1]:.4f}")
    samples = keras.ops.convert_to_numpy(generator(rng.standard_normal((16, latent_dim)).astype("float32")))
    path = os.path.join(output_dir, "dcgan_digits.png")
    if save_grid(samples, path):
        print(f"generated digits: {path}")
    print(as_characters(samples[0]))
    if curve_path:
        with open(curve_path, "w") as f:
            json.dump(losses, f)

    keras.utils.set_random_seed(seed)
    gan = GAN(Discriminator(filters), Generator(size, filters), latent_dim, seed=seed)
    gan.generator(np.zeros((1, latent_dim), "float32"))
    gan.discriminator(images[:1])
    gan.compile(d_optimizer=keras.optimizers.Adam(2e-4, beta_1=0.5), g_optimizer=keras.optimizers.Adam(2e-4, 0.5))
    count = 64 * (2 if quick else 16)
    history = gan.fit(images[:count], batch_size=64, epochs=fit_epochs or (1 if quick else 5), verbose=0)
    print(f"fit: d_loss {history.history['d_loss'][-1]:.4f}, g_loss {history.history['g_loss'][-1]:.4f}")
    return {"losses": losses, "fit_history": history.history}


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a few steps of a small model (tests)")
    parser.add_argument("--full", action="store_true", help="download MNIST and train longer")
    parser.add_argument("--steps", type=int, default=None, help="steps of the hand-written loop")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--curve", default=None, help="write the hand-written loop's losses here (JSON)")
    parser.add_argument("--output-dir", default=".", help="where the PNG goes")
    return parser.parse_args(argv)


if __name__ == "__main__":
    args = parse_args()
    main(args.quick, args.full, args.steps, args.seed, args.curve, args.output_dir)
