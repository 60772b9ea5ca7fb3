"""Visual question answering: a one-word answer to a question about a picture (seed: the functional-API guide).

    KERAS_BACKEND=torch python examples/visual_question_answering.py

A Sequential convolutional model encodes the image into a vector, an Embedding and an LSTM encode the question;
the two vectors are concatenated and a softmax over the answer vocabulary picks the answer. The seed's sizes:
channels-first (3, 224, 224) images, convolutions of 64/128/256 filters, questions of 100 words from a vocabulary
of 10,000, 256-dimensional embeddings, LSTM(256), 1000 answers.
"""

import numpy as np

import kerasx as keras


def build_vision_model(image_shape=(224, 224, 3), filters=(64, 128, 256)):
    """The seed's VGG-like encoder (channels last here): image -> flat feature vector."""
    layers = keras.layers
    small, medium, large = filters
    return keras.Sequential(
        [
            keras.Input(shape=image_shape),
            layers.Conv2D(small, (3, 3), activation="relu", padding="same"),
            layers.Conv2D(small, (3, 3), activation="relu"),
            layers.MaxPooling2D((2, 2)),
            layers.Conv2D(medium, (3, 3), activation="relu", padding="same"),
            layers.Conv2D(medium, (3, 3), activation="relu"),
            layers.MaxPooling2D((2, 2)),
            layers.Conv2D(large, (3, 3), activation="relu", padding="same"),
            layers.Conv2D(large, (3, 3), activation="relu"),
            layers.Conv2D(large, (3, 3), activation="relu"),
            layers.MaxPooling2D((2, 2)),
            layers.Flatten(),
        ],
        name="vision",
    )


def build_model(image_shape=(224, 224, 3), filters=(64, 128, 256), question_length=100, vocab_size=10000,
                embed_dim=256, lstm_units=256, num_answers=1000):
    """The seed's sizes by default. Returns the model, its vision model and its question encoder's tensors."""
    layers = keras.layers
    vision_model = build_vision_model(image_shape, filters)
    image_input = keras.Input(shape=image_shape)
    encoded_image = vision_model(image_input)

    question_input = keras.Input(shape=(question_length,), dtype="int32")
    embedded_question = layers.Embedding(input_dim=vocab_size, output_dim=embed_dim)(question_input)
    encoded_question = layers.LSTM(lstm_units)(embedded_question)

    merged = layers.concatenate([encoded_question, encoded_image])
    output = layers.Dense(num_answers, activation="softmax")(merged)
    vqa_model = keras.Model(inputs=[image_input, question_input], outputs=output, name="vqa")
    return vqa_model, vision_model, (question_input, encoded_question)


# Small sizes for a run in seconds (the seed's are the defaults of build_model).
SMALL = {"image_shape": (32, 32, 3), "filters": (8, 8, 8), "question_length": 10, "vocab_size": 50, "embed_dim": 8,
         "lstm_units": 8, "num_answers": 12}


def main(steps=5, batch_size=4):
    model, vision_model, _ = build_model(**SMALL)
    model.summary()
    # Image side 32 -> 32 -> 30 -> pool 15 -> 15 -> 13 -> pool 6 -> 6 -> 4 -> 2 -> pool 1: 1 * 1 * 8 features.
    assert vision_model.output_shape == (None, 8), vision_model.output_shape
    assert model.output_shape == (None, SMALL["num_answers"]), model.output_shape

    rng = np.random.default_rng(0)
    count = steps * batch_size
    images = rng.random((count, *SMALL["image_shape"]), dtype="float32")
    questions = rng.integers(1, SMALL["vocab_size"], (count, SMALL["question_length"])).astype("int32")
    answers = rng.integers(0, SMALL["num_answers"], (count,)).astype("int32")
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    if keras.backend.backend() == "numpy":  # inference only
        model.predict([images, questions], batch_size=batch_size, verbose=0)
        return model, None
    history = model.fit([images, questions], answers, batch_size=batch_size, epochs=1, verbose=0)
    print(f"loss after {steps} steps: {history.history['loss'][-1]:.4f}")
    return model, history


if __name__ == "__main__":
    main()
