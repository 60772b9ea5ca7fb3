"""The seed guides' code, pasted as written (Keras 1 spellings, `kerasx` imports), builds the models they describe.

Each seed snippet below is the guide's code with `keras` replaced by `kerasx`; deviations are marked `# seed:`.
The models are compared with the modern (Keras 3) code of `examples/`: same layer types, same parameter counts.
The seeds use Keras 1 channels-first images, so the global image data format is set to channels_first around them.
"""

import importlib.util

import numpy as np
import pytest

import kerasx
import support
from kerasx import activations
from kerasx.layers import (
    LSTM,
    Convolution2D,
    Dense,
    Embedding,
    Flatten,
    Input,
    MaxPooling2D,
    TimeDistributed,
    merge,
)
from kerasx.models import Model, Sequential

# The pasted seed code warns at every Keras 1 spelling; tests that are about the warnings check them explicitly.
pytestmark = pytest.mark.filterwarnings("ignore:`[^`]*` is the Keras 1 spelling:DeprecationWarning")

EXAMPLES_DIR = support.REPO_ROOT / "examples"


def _example(name: str):
    spec = importlib.util.spec_from_file_location(f"kerasx_examples.{name}", EXAMPLES_DIR / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def channels_first():
    previous = kerasx.backend.image_data_format()
    kerasx.backend.set_image_data_format("channels_first")
    yield
    kerasx.backend.set_image_data_format(previous)


def _modern(name: str, **sizes):
    """`build_model(**sizes)` of examples/<name>.py, built in its own (Keras 3 default) channels-last layout."""
    previous = kerasx.backend.image_data_format()
    kerasx.backend.set_image_data_format("channels_last")
    try:
        return _example(name).build_model(**sizes)
    finally:
        kerasx.backend.set_image_data_format(previous)


def _structure(model) -> list:
    """(layer type, parameter count) per layer, nested models by their own structure."""
    rows = []
    for layer in model.layers:
        if hasattr(layer, "layers"):
            rows.append(("model", _structure(layer)))
        else:
            rows.append((type(layer).__name__, layer.count_params()))
    return rows


def _same_variables(a, b) -> bool:
    return len(a) == len(b) and all(x is y for x, y in zip(a, b))


def _ids(variables) -> set:
    return {id(v) for v in variables}


# The first model: a fully connected network --------------------------------------------------------------------
def _seed_mlp():
    # this returns a tensor
    inputs = Input(shape=(784,))

    # a layer instance is callable on a tensor, and returns a tensor
    x = Dense(64, activation='relu')(inputs)
    x = Dense(64, activation='relu')(x)
    predictions = Dense(10, activation='softmax')(x)

    # this creates a model that includes
    # the Input layer and three Dense layers
    model = Model(input=inputs, output=predictions)
    model.compile(optimizer='rmsprop',
                  loss='categorical_crossentropy',
                  metrics=['accuracy'])
    return model


def test_seed_mlp_builds_the_modern_model():
    with pytest.warns(DeprecationWarning, match=r"Model\(inputs=\.\.\.\)"):
        model = _seed_mlp()
    modern = _modern("functional_mlp")
    assert model.output_shape == modern.output_shape == (None, 10)
    assert _structure(model) == _structure(modern)
    assert model.count_params() == 784 * 64 + 64 + 64 * 64 + 64 + 64 * 10 + 10


@support.needs_gradients
def test_seed_mlp_trains_with_nb_epoch():
    model = _seed_mlp()
    data = support.random_array((16, 784))
    labels = np.eye(10, dtype="float32")[np.arange(16) % 10]
    with pytest.warns(DeprecationWarning, match=r"use `fit\(epochs=2\)`"):
        history = model.fit(data, labels, nb_epoch=2, batch_size=8, verbose=0)  # seed: model.fit(data, labels)
    assert len(history.history["loss"]) == 2 and np.isfinite(history.history["accuracy"]).all()


def test_seed_model_is_callable_like_a_layer():
    model = _seed_mlp()
    x = Input(shape=(784,))
    # this works, and returns the 10-way softmax we defined above.
    y = model(x)
    assert y.shape == (None, 10)
    reuse = Model(x, y)
    assert _same_variables(reuse.weights, model.weights)
    data = support.random_array((3, 784))
    support.assert_close(support.to_numpy(reuse(data)), support.to_numpy(model(data)))


def test_seed_time_distributed_model():
    model = _seed_mlp()
    # input tensor for sequences of 20 timesteps,
    # each containing a 784-dimensional vector
    input_sequences = Input(shape=(20, 784))

    # this applies our previous model to every timestep in the input sequences.
    # the output of the previous model was a 10-way softmax,
    # so the output of the layer below will be a sequence of 20 vectors of size 10.
    processed_sequences = TimeDistributed(model)(input_sequences)

    assert processed_sequences.shape == (None, 20, 10)
    sequence_model = Model(input_sequences, processed_sequences)
    modern, _ = _modern("time_distributed_model")
    assert _structure(sequence_model) == _structure(modern)
    assert _same_variables(sequence_model.weights, model.weights)
    data = support.random_array((2, 20, 784), low=0.0, high=1.0)
    per_step = support.to_numpy(sequence_model(data))
    support.assert_close(per_step[:, 7], support.to_numpy(model(data[:, 7])), rtol=1e-5, atol=1e-6)


# Multi-input and multi-output models ---------------------------------------------------------------------------
def _seed_headline_model():
    # headline input: meant to receive sequences of 100 integers, between 1 and 10000.
    # note that we can name any layer by passing it a "name" argument.
    main_input = Input(shape=(100,), dtype='int32', name='main_input')

    # this embedding layer will encode the input sequence
    # into a sequence of dense 512-dimensional vectors.
    x = Embedding(output_dim=512, input_dim=10000, input_length=100)(main_input)

    # a LSTM will transform the vector sequence into a single vector,
    # containing information about the entire sequence
    lstm_out = LSTM(32)(x)

    auxiliary_output = Dense(1, activation='sigmoid', name='aux_output')(lstm_out)

    auxiliary_input = Input(shape=(5,), name='aux_input')
    x = merge([lstm_out, auxiliary_input], mode='concat')

    # we stack a deep fully-connected network on top
    x = Dense(64, activation='relu')(x)
    x = Dense(64, activation='relu')(x)
    x = Dense(64, activation='relu')(x)

    # and finally we add the main logistic regression layer
    main_output = Dense(1, activation='sigmoid', name='main_output')(x)

    model = Model(input=[main_input, auxiliary_input], output=[main_output, auxiliary_output])

    model.compile(optimizer='rmsprop', loss='binary_crossentropy',
                  loss_weights=[1., 0.2])
    return model


def test_seed_headline_model():
    model = _seed_headline_model()
    assert model.output_shape == [(None, 1), (None, 1)]
    assert [t.name for t in model.inputs] == ["main_input", "aux_input"]
    assert model.get_layer("main_output").output_shape == (None, 1)
    modern = _modern("multi_input_multi_output")
    assert _structure(model) == _structure(modern)
    (lstm,) = [layer for layer in model.layers if isinstance(layer, LSTM)]
    assert lstm.count_params() == 4 * 32 * (512 + 32 + 1)
    # Named inputs: dict data gives the same predictions as lists.
    headline_data = np.random.randint(1, 10000, (1, 100)).astype("int32")
    additional_data = support.random_array((1, 5))
    by_list = model([headline_data, additional_data])
    by_name = model({"main_input": headline_data, "aux_input": additional_data})
    for a, b in zip(by_list, by_name):
        support.assert_close(support.to_numpy(a), support.to_numpy(b))


# Shared layers -------------------------------------------------------------------------------------------------
def _seed_tweet_model():
    tweet_a = Input(shape=(140, 256))
    tweet_b = Input(shape=(140, 256))

    # this layer can take as input a matrix
    # and will return a vector of size 64
    shared_lstm = LSTM(64)

    # when we reuse the same layer instance
    # multiple times, the weights of the layer
    # are also being reused
    # (it is effectively *the same* layer)
    encoded_a = shared_lstm(tweet_a)
    encoded_b = shared_lstm(tweet_b)

    # we can then concatenate the two vectors:
    merged_vector = merge([encoded_a, encoded_b], mode='concat', concat_axis=-1)

    # and add a logistic regression on top
    predictions = Dense(1, activation='sigmoid')(merged_vector)

    # we define a trainable model linking the
    # tweet inputs to the predictions
    model = Model(input=[tweet_a, tweet_b], output=predictions)

    model.compile(optimizer='rmsprop',
                  loss='binary_crossentropy',
                  metrics=['accuracy'])
    return model, shared_lstm, (encoded_a, encoded_b)


def test_seed_shared_lstm():
    model, shared_lstm, (encoded_a, encoded_b) = _seed_tweet_model()
    assert model.output_shape == (None, 1)
    assert encoded_a.shape == encoded_b.shape == (None, 64)
    # One LSTM, one set of variables, used twice.
    assert sum(layer is shared_lstm for layer in model.layers) == 1
    assert _ids(shared_lstm.weights) <= _ids(model.weights) and len(model.weights) == len(shared_lstm.weights) + 2
    modern, _ = _modern("shared_lstm_tweets")
    assert _structure(model) == _structure(modern)
    # The same tweet in both places encodes the same: the two branches are one function.
    tweet = support.random_array((2, 140, 256), low=0.0, high=1.0)
    encoder_a, encoder_b = Model(model.inputs[0], encoded_a), Model(model.inputs[1], encoded_b)
    support.assert_close(support.to_numpy(encoder_a(tweet)), support.to_numpy(encoder_b(tweet)))


def test_seed_layer_nodes_single():
    a = Input(shape=(140, 256))

    lstm = LSTM(32)
    encoded_a = lstm(a)

    assert lstm.output is encoded_a  # seed: assert lstm.output == encoded_a


def test_seed_layer_nodes_multiple():
    a = Input(shape=(140, 256))
    b = Input(shape=(140, 256))

    lstm = LSTM(32, name="lstm_seed")
    encoded_a = lstm(a)
    encoded_b = lstm(b)

    # seed: `lstm.output` raised here (Keras 1); in Keras 3 it is the first call's output.
    assert lstm.output is encoded_a and lstm.input is a

    assert lstm.get_output_at(0) is encoded_a  # seed: assert lstm.get_output_at(0) == encoded_a
    assert lstm.get_output_at(1) is encoded_b
    assert lstm.get_input_at(0) is a and lstm.get_input_at(1) is b
    # Both nodes agree on shapes, so the shape properties stay defined.
    assert lstm.output_shape == (None, 32) and lstm.input_shape == (None, 140, 256)


def test_seed_layer_nodes_shapes(channels_first):
    a = Input(shape=(3, 32, 32))
    b = Input(shape=(3, 64, 64))

    conv = Convolution2D(16, 3, 3, border_mode='same')
    conved_a = conv(a)

    # only one input so far, the following will work:
    assert conv.input_shape == (None, 3, 32, 32)

    conved_b = conv(b)
    # now the `.input_shape` property wouldn't work, but this does:
    assert conv.get_input_shape_at(0) == (None, 3, 32, 32)
    assert conv.get_input_shape_at(1) == (None, 3, 64, 64)

    # seed: `conv.input_shape` raised here (Keras 1); like `input` in Keras 3, it is now the first call's.
    assert conv.input_shape == (None, 3, 32, 32)
    assert conv.get_output_shape_at(1) == conved_b.shape == (None, 16, 64, 64)
    assert conved_a.shape == (None, 16, 32, 32)
    with pytest.raises(ValueError, match=r"Asked to get output at node 2 .* has only 2 inbound node"):
        conv.get_output_at(2)


# More examples -------------------------------------------------------------------------------------------------
def test_seed_inception_module(channels_first):
    input_img = Input(shape=(3, 256, 256))

    tower_1 = Convolution2D(64, 1, 1, border_mode='same', activation='relu')(input_img)
    tower_1 = Convolution2D(64, 3, 3, border_mode='same', activation='relu')(tower_1)

    tower_2 = Convolution2D(64, 1, 1, border_mode='same', activation='relu')(input_img)
    tower_2 = Convolution2D(64, 5, 5, border_mode='same', activation='relu')(tower_2)

    tower_3 = MaxPooling2D((3, 3), strides=(1, 1), border_mode='same')(input_img)
    tower_3 = Convolution2D(64, 1, 1, border_mode='same', activation='relu')(tower_3)

    output = merge([tower_1, tower_2, tower_3], mode='concat', concat_axis=1)

    assert output.shape == (None, 192, 256, 256)
    model = Model(input_img, output)
    modern = _modern("inception_module")  # channels last: (None, 256, 256, 192)
    assert modern.output_shape == (None, 256, 256, 192)
    assert sorted(_structure(model)) == sorted(_structure(modern))
    assert model.count_params() == modern.count_params()


def test_seed_residual_connection(channels_first):
    # input tensor for a 3-channel 256x256 image
    x = Input(shape=(3, 256, 256))
    # 3x3 conv with 3 output channels(same as input channels)
    y = Convolution2D(3, 3, 3, border_mode='same')(x)
    # this returns x + y.
    z = merge([x, y], mode='sum')

    assert z.shape == (None, 3, 256, 256)
    model = Model(x, z)
    assert _structure(model) == _structure(_modern("residual_connection"))
    # With a zero convolution the block is the identity.
    conv = model.layers[1]
    conv.set_weights([np.zeros_like(w) for w in conv.get_weights()])
    images = support.random_array((1, 3, 256, 256))
    support.assert_close(support.to_numpy(model(images)), images)


def test_seed_shared_vision_model(channels_first):
    # first, define the vision modules
    digit_input = Input(shape=(1, 27, 27))
    x = Convolution2D(64, 3, 3)(digit_input)
    x = Convolution2D(64, 3, 3)(x)
    x = MaxPooling2D((2, 2))(x)
    out = Flatten()(x)

    vision_model = Model(digit_input, out)

    # then define the tell-digits-apart model
    digit_a = Input(shape=(1, 27, 27))
    digit_b = Input(shape=(1, 27, 27))

    # the vision model will be shared, weights and all
    out_a = vision_model(digit_a)
    out_b = vision_model(digit_b)

    concatenated = merge([out_a, out_b], mode='concat')
    out = Dense(1, activation='sigmoid')(concatenated)

    classification_model = Model([digit_a, digit_b], out)

    assert vision_model.output_shape == (None, 64 * 11 * 11)
    assert out_a.shape == out_b.shape == (None, 7744)
    assert classification_model.output_shape == (None, 1)
    assert _ids(vision_model.weights) <= _ids(classification_model.weights)
    assert len(classification_model.weights) == len(vision_model.weights) + 2
    modern, _ = _modern("shared_vision_model")
    assert _structure(classification_model) == _structure(modern)


def _seed_vqa():
    # first, let's define a vision model using a Sequential model.
    # this model will encode an image into a vector.
    # seed: images of (3, 224, 224); (3, 32, 32) here, else the Dense on top has 160M parameters.
    vision_model = Sequential()
    vision_model.add(Convolution2D(64, 3, 3, activation='relu', border_mode='same', input_shape=(3, 32, 32)))
    vision_model.add(Convolution2D(64, 3, 3, activation='relu'))
    vision_model.add(MaxPooling2D((2, 2)))
    vision_model.add(Convolution2D(128, 3, 3, activation='relu', border_mode='same'))
    vision_model.add(Convolution2D(128, 3, 3, activation='relu'))
    vision_model.add(MaxPooling2D((2, 2)))
    vision_model.add(Convolution2D(256, 3, 3, activation='relu', border_mode='same'))
    vision_model.add(Convolution2D(256, 3, 3, activation='relu'))
    vision_model.add(Convolution2D(256, 3, 3, activation='relu'))
    vision_model.add(MaxPooling2D((2, 2)))
    vision_model.add(Flatten())

    # now let's get a tensor with the output of our vision model:
    image_input = Input(shape=(3, 32, 32))
    encoded_image = vision_model(image_input)

    # next, let's define a language model to encode the question into a vector.
    # each question will be at most 100 word long,
    # and we will index words as integers from 1 to 9999.
    question_input = Input(shape=(100,), dtype='int32')
    embedded_question = Embedding(input_dim=10000, output_dim=256, input_length=100)(question_input)
    encoded_question = LSTM(256)(embedded_question)

    # let's concatenate the question vector and the image vector:
    merged = merge([encoded_question, encoded_image], mode='concat')

    # and let's train a logistic regression over 1000 words on top:
    output = Dense(1000, activation='softmax')(merged)

    # this is our final model:
    vqa_model = Model(input=[image_input, question_input], output=output)
    return vqa_model, vision_model, question_input, encoded_question


def test_seed_visual_and_video_question_answering(channels_first, monkeypatch):
    vqa_model, vision_model, question_input, encoded_question = _seed_vqa()
    assert vision_model.output_shape == (None, 256)  # 32 -> 30 -> 15 -> 13 -> 6 -> 4 -> 2 -> 1
    assert encoded_question.shape == (None, 256)
    assert vqa_model.output_shape == (None, 1000)

    vision_model.trainable = False  # seed (the I/O 2017 talk): the pretrained CNN is frozen

    video_input = Input(shape=(100, 3, 32, 32))  # seed: (100, 3, 224, 224)
    # this is our video encoded via the previously trained vision_model (weights are reused)
    encoded_frame_sequence = TimeDistributed(vision_model)(video_input)  # the output will be a sequence of vectors
    encoded_video = LSTM(256)(encoded_frame_sequence)  # the output will be a vector

    # this is a model-level representation of the question encoder, reusing the same weights as before:
    question_encoder = Model(input=question_input, output=encoded_question)

    # let's use it to encode the question:
    video_question_input = Input(shape=(100,), dtype='int32')
    encoded_video_question = question_encoder(video_question_input)

    # and this is our video question answering model:
    merged = merge([encoded_video, encoded_video_question], mode='concat')
    output = Dense(1000, activation='softmax')(merged)
    video_qa_model = Model(input=[video_input, video_question_input], output=output)

    assert encoded_frame_sequence.shape == (None, 100, 256)
    assert video_qa_model.output_shape == (None, 1000)
    # The frozen CNN's variables are in the model once, none of them trainable; the question encoder trains.
    assert _ids(vision_model.weights) <= _ids(video_qa_model.weights)
    assert not _ids(vision_model.weights) & _ids(video_qa_model.trainable_weights)
    assert _ids(vision_model.weights) <= _ids(video_qa_model.non_trainable_weights)
    assert _ids(question_encoder.weights) <= _ids(video_qa_model.trainable_weights)
    trainable_count = sum(int(np.prod(w.shape)) for w in video_qa_model.trainable_weights)
    assert trainable_count == video_qa_model.count_params() - vision_model.count_params()
    vision_model.trainable = True
    assert _ids(vision_model.weights) <= _ids(video_qa_model.trainable_weights)

    # The modern code (the video example builds the picture model first, as the guide does).
    monkeypatch.syspath_prepend(str(EXAMPLES_DIR))
    modern_video, modern_vqa = _modern("video_question_answering", image_shape=(32, 32, 3))
    assert _structure(vqa_model) == _structure(modern_vqa)
    assert _structure(video_qa_model) == _structure(modern_video)


# The Sequential guide ------------------------------------------------------------------------------------------
def test_seed_sequential_model():
    # 声明个模型
    model = Sequential()
    # 把部件像乐高那样拼起来
    model.add(Dense(512, activation=activations.relu, input_dim=28*28))
    model.add(Dense(10, activation=activations.softmax))
    # 配置学习过程
    model.compile(loss='categorical_crossentropy', optimizer='sgd', metrics=['accuracy'])

    assert model.output_shape == (None, 10)
    assert model.count_params() == 784 * 512 + 512 + 512 * 10 + 10
    X_train = support.random_array((8, 784))
    Y_train = np.eye(10, dtype="float32")[np.arange(8)]
    if support.TRAINS:
        with pytest.warns(DeprecationWarning, match=r"use `fit\(epochs=1\)`"):
            model.fit(X_train, Y_train, nb_epoch=1, batch_size=32)  # seed: nb_epoch=5
    loss, accuracy = model.evaluate(X_train, Y_train, batch_size=32, verbose=0)
    assert np.isfinite(loss) and 0.0 <= accuracy <= 1.0


def test_seed_sequential_equals_functional():
    # Sequential model, which you already know about
    seq_model = Sequential()
    seq_model.add(Dense(32, activation='relu', input_shape=(64,)))
    seq_model.add(Dense(32, activation='relu'))
    seq_model.add(Dense(10, activation='softmax'))

    # Its functional equivalent
    input_tensor = Input(shape=(64,))
    x = Dense(32, activation='relu')(input_tensor)
    x = Dense(32, activation='relu')(x)
    output_tensor = Dense(10, activation='softmax')(x)
    model = Model(input_tensor, output_tensor)

    assert _structure(seq_model) == _structure(model)[1:]  # the functional model lists its InputLayer
    model.set_weights(seq_model.get_weights())
    data = support.random_array((4, 64))
    support.assert_close(support.to_numpy(model(data)), support.to_numpy(seq_model(data)))
