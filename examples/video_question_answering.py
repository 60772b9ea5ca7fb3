"""Video question answering: a frozen CNN inside `TimeDistributed` feeding an LSTM (seeds: the functional-API guide
and the Keras talk at Google I/O 2017).

    KERAS_BACKEND=torch python examples/video_question_answering.py

Each frame goes through a pretrained image encoder (`TimeDistributed(vision_model)`), frozen with
`trainable = False` so its features are not changed by training; an LSTM reduces the sequence of frame vectors to
one video vector. The question goes through the question encoder of the picture model, reused as a model (same
weights). The seed's sizes: 100 frames of channels-first (3, 224, 224) images, LSTM(256), 1000 answers (the talk
uses InceptionV3 on 150x150 frames; here the encoder is the guide's small VGG-like Sequential).
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


SMALL = {"frames": 4, "image_shape": (32, 32, 3), "filters": (8, 8, 8), "question_length": 10, "vocab_size": 50,
         "embed_dim": 8, "lstm_units": 8, "num_answers": 12}


def main(steps=5, batch_size=2):
    model, _ = build_model(**SMALL)
    vision_model, question_encoder = model.get_layer("frames").layer, model.get_layer("question_encoder")
    model.summary()
    assert model.output_shape == (None, SMALL["num_answers"]), model.output_shape
    # The frozen encoder's weights are in the model but not among the trainable ones.
    trainable = {id(w) for w in model.trainable_weights}
    assert vision_model.weights and not any(id(w) in trainable for w in vision_model.weights)
    assert all(id(w) in trainable for w in question_encoder.weights)

    rng = np.random.default_rng(0)
    count = steps * batch_size
    videos = rng.random((count, SMALL["frames"], *SMALL["image_shape"]), dtype="float32")
    questions = rng.integers(1, SMALL["vocab_size"], (count, SMALL["question_length"])).astype("int32")
    answers = rng.integers(0, SMALL["num_answers"], (count,)).astype("int32")
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    if keras.backend.backend() == "numpy":  # inference only
        model.predict([videos, questions], batch_size=batch_size, verbose=0)
        return model, None
    frozen = [keras.ops.convert_to_numpy(w).copy() for w in vision_model.weights]
    history = model.fit([videos, questions], answers, batch_size=batch_size, epochs=1, verbose=0)
    for before, after in zip(frozen, vision_model.weights):
        np.testing.assert_array_equal(before, keras.ops.convert_to_numpy(after))
    print(f"loss after {steps} steps: {history.history['loss'][-1]:.4f}")
    return model, history


if __name__ == "__main__":
    main()
