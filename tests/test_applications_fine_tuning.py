"""Transfer learning as Keras's guide does it, on every engine: a MobileNetV2 base frozen under a new classifier
head, then its top blocks unfrozen and trained on with a small learning rate; the engines agree to 1e-4.

The ImageNet weights need a download, so the base gets a stand-in made by NumPy (the same on every engine): kernels
drawn at He scale, with which activations keep their size through the 17 blocks as trained weights do (the
default initialization shrinks them to ~1e-11 at the output in inference mode, where float rounding decides the
ReLUs). The base is called with `training=False`, so its BatchNormalization layers stay in inference mode even once they
are trainable (the guide's advice). Phase one trains the head only (5 steps, Adam), phase two recompiles with the
last inverted-residual block and the final 1x1 convolution unfrozen (5 steps, SGD): 10 steps in all. The other
engines run this file as a script (`engine_agreement`); the test runs in one backend's session.
"""

import numpy as np

import engine_agreement
import kerasx
from kerasx import layers, losses, optimizers, utils
from kerasx.applications import MobileNetV2

NUM_CLASSES = 3
HEAD_STEPS = 5
FINE_TUNING_STEPS = 5
# The first layer of the part of the base that phase two trains: the last block and the final convolution.
FIRST_UNFROZEN = "block_16_expand"
pytestmark = engine_agreement.runs_once


def pretrained_stand_in(base) -> None:
    """He-scaled random kernels (gain 1 for the linear projections), from a NumPy generator; the rest unchanged."""
    rng = np.random.default_rng(5)
    values = []
    for weight in base.weights:
        value = np.asarray(kerasx.ops.convert_to_numpy(weight))
        if weight.path.endswith("kernel"):
            rows, cols, in_channels, _ = value.shape
            fan_in = rows * cols * (1 if "depthwise" in weight.path else in_channels)
            gain = 1.0 if weight.path.split("/")[0].endswith("project") else 2.0
            value = (rng.standard_normal(value.shape) * np.sqrt(gain / fan_in)).astype("float32")
        values.append(value)
    base.set_weights(values)


def data_and_model():
    rng = np.random.default_rng(3)
    images = rng.uniform(-1.0, 1.0, size=(8, 32, 32, 3)).astype("float32")
    labels = (np.argmax(images.mean(axis=(1, 2)), axis=1) % NUM_CLASSES).astype("int32")
    base = MobileNetV2(input_shape=(32, 32, 3), alpha=0.35, include_top=False, weights=None)
    pretrained_stand_in(base)
    base.trainable = False
    inputs = layers.Input((32, 32, 3))
    features = layers.GlobalAveragePooling2D()(base(inputs, training=False))
    outputs = layers.Dense(NUM_CLASSES)(layers.Dropout(0.2)(features))
    return images, labels, kerasx.Model(inputs, outputs), base


def fine_tune() -> dict:
    """Both phases on the active engine; the results `engine_agreement.check_family` compares."""
    utils.set_random_seed(11)
    images, labels, model, base = data_and_model()
    initial = [w.tolist() for w in model.get_weights()]
    loss = losses.SparseCategoricalCrossentropy(from_logits=True)
    model.compile(optimizer=optimizers.Adam(learning_rate=1e-3), loss=loss)
    head_trainable = len(model.trainable_weights)
    head = model.fit(images, labels, batch_size=len(images), epochs=HEAD_STEPS, shuffle=False, verbose=0)
    head_iterations = int(np.asarray(kerasx.ops.convert_to_numpy(model.optimizer.iterations)))

    base.trainable = True
    names = [layer.name for layer in base.layers]
    for layer in base.layers[: names.index(FIRST_UNFROZEN)]:
        layer.trainable = False
    model.compile(optimizer=optimizers.SGD(learning_rate=1e-2, momentum=0.9), loss=loss)
    tuned = model.fit(images, labels, batch_size=len(images), epochs=FINE_TUNING_STEPS, shuffle=False, verbose=0)
    iterations = int(np.asarray(kerasx.ops.convert_to_numpy(model.optimizer.iterations)))
    return {
        "engine": kerasx.backend.backend(),
        "initial_weights": initial,
        "history": head.history["loss"] + tuned.history["loss"],
        "weights": [w.tolist() for w in model.get_weights()],
        "loss": float(model.evaluate(images, labels, batch_size=len(images), verbose=0)),
        "iterations": head_iterations + iterations,
        "trainable_counts": [head_trainable, len(model.trainable_weights)],
    }


FAMILIES = {"mobilenet_v2_fine_tuning": fine_tune}


def test_mobilenet_v2_fine_tuning_agrees_across_engines():
    other_engines = engine_agreement.OtherEngines(__file__)
    try:
        engine_agreement.check_family(FAMILIES, "mobilenet_v2_fine_tuning", other_engines)
        results = other_engines.get()
    finally:
        other_engines.stop()
    for by_family in results.values():
        result = by_family["mobilenet_v2_fine_tuning"]
        assert result["iterations"] == HEAD_STEPS + FINE_TUNING_STEPS
        # Phase one trains the head's kernel and bias; phase two also the unfrozen part of the base: block 16's
        # expansion, depthwise and projection convolutions and Conv_1 (a kernel each), with their four
        # BatchNormalizations (gamma, beta).
        assert result["trainable_counts"] == [2, 2 + 4 + 4 * 2]


if __name__ == "__main__":
    engine_agreement.print_results(FAMILIES)
