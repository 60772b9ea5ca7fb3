"""Video question answering: a frozen CNN inside `TimeDistributed` feeding an LSTM (seeds: the functional-API guide
and the Keras talk at Google I/O 2017).

    KERAS_BACKEND=torch python examples/video_question_answering.py

Each frame goes through an image encoder (`TimeDistributed(cnn)`), frozen with `trainable = False` so its features
are not changed by training; an LSTM reduces the sequence of frame vectors to one video vector, which is
concatenated with the encoded question before the answer classifier.

Two versions of the seeds:
- `build_model`, the guide's: the encoder is the small VGG-like vision model of the picture question answering
  model, and the question encoder is reused from it as a model (same weights). The guide's sizes: 100 frames of
  (3, 224, 224) images, LSTM(256), 1000 answers.
- `build_inception_model`, the talk's (what `main` trains): the encoder is
  `applications.InceptionV3(include_top=False, pooling="avg")` over frames of any number, an Embedding + LSTM(128)
  question encoder, a Dense(128) hidden layer and 1000 answer logits. The talk loads `weights="imagenet"`; here
  `weights=None` (no download), which changes nothing of the model but its starting weights.
"""

import numpy as np

import kerasx as keras
from visual_question_answering import build_model as build_picture_model


def build_model(frames=100, image_shape=(224, 224, 3), filters=(64, 128, 256), question_length=100,
                vocab_size=10000, embed_dim=256, lstm_units=256, num_answers=1000):
    """The seed's sizes by default. Returns the video model and the picture model whose (frozen) vision model and
    question encoder it shares."""
    layers = keras.layers
    vqa_model, vision_model, (question_input, encoded_question) = build_picture_model(
        image_shape, filters, question_length, vocab_size, embed_dim, lstm_units, num_answers
    )
    vision_model.trainable = False  # pretrained features, kept as they are

    video_input = keras.Input(shape=(frames, *image_shape))
    encoded_frame_sequence = layers.TimeDistributed(vision_model, name="frames")(video_input)
    encoded_video = layers.LSTM(lstm_units)(encoded_frame_sequence)

    question_encoder = keras.Model(inputs=question_input, outputs=encoded_question, name="question_encoder")
    video_question_input = keras.Input(shape=(question_length,), dtype="int32")
    encoded_video_question = question_encoder(video_question_input)

    merged = layers.concatenate([encoded_video, encoded_video_question])
    output = layers.Dense(num_answers, activation="softmax")(merged)
    video_qa_model = keras.Model(inputs=[video_input, video_question_input], outputs=output, name="video_qa")
    return video_qa_model, vqa_model


def build_inception_model(frames=None, image_shape=(150, 150, 3), question_length=100, vocab_size=10000,
                          embed_dim=256, video_units=256, question_units=128, hidden_units=128, num_answers=1000):
    """The talk's model (its sizes by default; `frames=None` takes videos of any length). Returns the model and
    its frozen InceptionV3."""
    layers = keras.layers
    video = keras.Input(shape=(frames, *image_shape))
    cnn = keras.applications.InceptionV3(weights=None, include_top=False, pooling="avg")  # the talk: "imagenet"
    cnn.trainable = False  # pretrained features, kept as they are
    encoded_frames = layers.TimeDistributed(cnn, name="frames")(video)
    encoded_video = layers.LSTM(video_units)(encoded_frames)

    question = keras.Input(shape=(question_length,), dtype="int32")
    embedded_words = layers.Embedding(vocab_size, embed_dim, mask_zero=True)(question)
    encoded_question = layers.LSTM(question_units)(embedded_words)

    merged = layers.concatenate([encoded_video, encoded_question])
    hidden = layers.Dense(hidden_units, activation="relu")(merged)
    outputs = layers.Dense(num_answers)(hidden)
    return keras.Model([video, question], outputs, name="video_qa_inception"), cnn


# Small sizes for a quick run; 75x75 is the smallest frame InceptionV3 takes.
SMALL_INCEPTION = {"frames": 3, "image_shape": (75, 75, 3), "question_length": 10, "vocab_size": 50,
                   "embed_dim": 8, "video_units": 8, "question_units": 8, "hidden_units": 8, "num_answers": 12}


def main(steps=5, batch_size=2):
    model, cnn = build_inception_model(**SMALL_INCEPTION)
    model.summary()
    assert model.output_shape == (None, SMALL_INCEPTION["num_answers"]), model.output_shape
    # The frozen encoder's weights are in the model but not among the trainable ones.
    trainable = {id(w) for w in model.trainable_weights}
    assert cnn.weights and not any(id(w) in trainable for w in cnn.weights)

    rng = np.random.default_rng(0)
    count = steps * batch_size
    frames, image_shape = SMALL_INCEPTION["frames"], SMALL_INCEPTION["image_shape"]
    videos = rng.uniform(-1.0, 1.0, (count, frames, *image_shape)).astype("float32")  # InceptionV3's input range
    questions = rng.integers(1, SMALL_INCEPTION["vocab_size"], (count, SMALL_INCEPTION["question_length"]))
    answers = rng.integers(0, SMALL_INCEPTION["num_answers"], (count,)).astype("int32")
    inputs = [videos, questions.astype("int32")]
    model.compile(optimizer="adam", loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    if keras.backend.backend() == "numpy":  # inference only
        model.predict(inputs, batch_size=batch_size, verbose=0)
        return model, None
    frozen = [keras.ops.convert_to_numpy(w).copy() for w in cnn.weights]
    history = model.fit(inputs, answers, batch_size=batch_size, epochs=1, verbose=0)
    for before, after in zip(frozen, cnn.weights):
        np.testing.assert_array_equal(before, keras.ops.convert_to_numpy(after))
    print(f"loss after {steps} steps: {history.history['loss'][-1]:.4f}")
    return model, history


if __name__ == "__main__":
    main()
