"""Small differences from Keras 3.15.1 that a user sees: read-only NumPy inputs on torch, `set_floatx("float64")`
on jax, the names models and layers get, the text of `model.summary()`, and a generator that ended.

Keras 3 is the oracle: where its behaviour is compared, it runs in a subprocess on the same KERAS_BACKEND.
"""

import numpy as np
import pytest

import kerasx
import support
from kerasx import layers
from kerasx.models import _summary

READ_ONLY_WARNING = "error:The given NumPy array is not writable"


def _read_only(array):
    array = np.array(array)
    array.setflags(write=False)
    return array


def _trained_weights(x, y):
    kerasx.utils.set_random_seed(7)
    model = kerasx.Sequential([layers.Input((4,)), layers.Dense(3, activation="relu"), layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    history = model.fit(x, y, batch_size=4, epochs=2, shuffle=False, verbose=0)
    loss = model.evaluate(x, y, batch_size=4, verbose=0)
    return [np.asarray(w) for w in model.get_weights()], history.history["loss"], loss, model.predict(x, verbose=0)


# torch warns "The given NumPy array is not writable" when it wraps a read-only buffer; the warning is an error here.
@pytest.mark.filterwarnings(READ_ONLY_WARNING)
def test_read_only_arrays_convert_without_warning_and_keep_values():
    array = _read_only(np.arange(6, dtype="float32").reshape(2, 3))
    tensor = kerasx.ops.convert_to_tensor(array)
    support.assert_close(tensor, np.arange(6, dtype="float32").reshape(2, 3))
    support.assert_close(kerasx.ops.add(_read_only(np.float32(2.0)), 1.0), np.float32(3.0))
    assert not array.flags.writeable


@support.needs_gradients
@pytest.mark.filterwarnings(READ_ONLY_WARNING)
def test_fit_evaluate_predict_on_read_only_arrays_match_writable_ones():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(12, 4)).astype("float32")
    y = rng.normal(size=(12, 1)).astype("float32")
    expected = _trained_weights(x, y)
    received = _trained_weights(_read_only(x), _read_only(y))
    for actual, wanted in zip(received[0], expected[0]):
        np.testing.assert_array_equal(actual, wanted)
    assert received[1] == expected[1]
    assert received[2] == expected[2]
    np.testing.assert_array_equal(received[3], expected[3])
    assert expected[1][1] < expected[1][0]  # it trained


@pytest.mark.filterwarnings(READ_ONLY_WARNING)
def test_predict_on_read_only_arrays():
    model = kerasx.Sequential([layers.Input((3,)), layers.Dense(2, kernel_initializer="ones")])
    x = _read_only(np.arange(6, dtype="float32").reshape(2, 3))
    np.testing.assert_allclose(model.predict(x, verbose=0), [[3.0, 3.0], [12.0, 12.0]])


# set_floatx("float64") -----------------------------------------------------------------------------------------------
# Keras 3 on jax keeps computing in float32 (jax warns per op) unless JAX_ENABLE_X64 is set; kerasx turns jax's
# 64-bit mode on, so float64 means float64 on every engine.

@pytest.fixture
def float64():
    previous = kerasx.backend.floatx()
    kerasx.backend.set_floatx("float64")
    yield
    kerasx.backend.set_floatx(previous)


def _float64_numbers():
    """A Dense output and one SGD step, in float64, against NumPy; float32 would be off by ~1e-8."""
    layer = layers.Dense(1, kernel_initializer="ones", bias_initializer=kerasx.initializers.Constant(1e-9))
    x = np.array([[1.0, 2e-9]])
    y = layer(x)
    assert kerasx.backend.standardize_dtype(y.dtype) == "float64"
    np.testing.assert_allclose(support.to_numpy(y), [[1.0 + 3e-9]], rtol=0, atol=1e-15)
    outputs = {"predicted": float(support.to_numpy(y)[0, 0])}
    if support.TRAINS:
        model = kerasx.Sequential([layers.Input((2,)), layer])
        model.compile(optimizer=kerasx.optimizers.SGD(0.5), loss="mse")
        target = np.array([[1.0]])
        model.train_on_batch(x, target)
        error = 2.0 * ((1.0 + 3e-9) - 1.0)
        kernel, bias = model.get_weights()
        assert kernel.dtype == np.float64
        np.testing.assert_allclose(kernel[:, 0], 1.0 - 0.5 * error * x[0], rtol=0, atol=1e-17)
        np.testing.assert_allclose(bias, [1e-9 - 0.5 * error], rtol=0, atol=1e-17)
    return outputs


def test_set_floatx_float64_computes_in_float64(float64):
    _float64_numbers()


@pytest.mark.skipif(support.BACKEND != "jax", reason="only jax has a 64-bit switch")
def test_set_floatx_float64_on_jax_without_jax_enable_x64(tmp_path):
    code = (
        "import jax, numpy as np, kerasx\n"
        "assert not jax.config.read('jax_enable_x64')\n"
        "kerasx.backend.set_floatx('float64')\n"
        "y = kerasx.ops.add(np.float64(1.0), np.float64(1e-12))\n"
        "print(kerasx.backend.standardize_dtype(y.dtype), repr(float(y) - 1.0), jax.config.read('jax_enable_x64'))\n"
        "kerasx.backend.set_floatx('float32')\n"
        "print(kerasx.backend.standardize_dtype(kerasx.ops.ones(2).dtype), jax.config.read('jax_enable_x64'))\n"
    )
    env = {"KERAS_BACKEND": "jax", "JAX_ENABLE_X64": "0", "JAX_PLATFORMS": "cpu"}
    result = support.run_python(code, tmp_path, env=env)
    assert result.returncode == 0, result.stderr[-3000:]
    first, second = result.stdout.split("\n")[:2]
    dtype, difference, x64 = first.split()
    assert (dtype, x64) == ("float64", "True")
    assert float(difference) == (np.float64(1.0) + np.float64(1e-12)) - 1.0  # 0.0 in float32
    assert second.split() == ["float32", "False"]


@pytest.mark.skipif(support.BACKEND != "jax", reason="only jax has a 64-bit switch")
def test_floatx_float64_from_the_config_file_on_jax(tmp_path):
    code = "import jax, kerasx\nprint(kerasx.backend.floatx(), jax.config.read('jax_enable_x64'))\n"
    env = {"KERAS_BACKEND": "jax", "JAX_ENABLE_X64": "0", "JAX_PLATFORMS": "cpu"}
    result = support.run_python(code, tmp_path, env=env, config={"floatx": "float64"})
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.split() == ["float64", "True"]


# Names and summary(), against Keras 3 in a subprocess ----------------------------------------------------------------
# The same program runs with `import keras` and with `import kerasx as keras`; its output must be identical. COLUMNS
# fixes the terminal width both summaries are fitted to.
ORACLE_PROGRAM = '''
import os

import numpy as np
L = keras.layers
TRAINS = keras.backend.backend() != "numpy"


def names(*objects):
    print(" ".join(str(getattr(o, "name", o)) for o in objects))


def show(title, model, **kwargs):
    lines = []
    model.summary(print_fn=lambda text, **_: lines.append(text), **kwargs)
    print("#####", title)
    print("\\n".join(lines).rstrip("\\n"))


names(keras.Sequential(), keras.Sequential())
i = keras.Input((3,))
names(keras.Model(i, L.Dense(2)(i)), keras.Model(inputs=i, outputs=i))
s = keras.Sequential([keras.Input((3,)), L.Dense(2), L.Dense(1)])
names(s, *s.layers, keras.Model(i, i))
s.add(L.Dense(2))
names(keras.Model(i, i))
s.pop()
names(keras.Model(i, i))
s2 = keras.Sequential([L.Dense(2)])
s2(np.ones((1, 3), "float32"))
names(keras.Model(i, i), *s2.layers)
names(keras.Sequential([L.Dense(2, input_shape=(3,))]), keras.Model(i, i))


class MyModel(keras.Model):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.d = L.Dense(2)

    def call(self, x):
        return self.d(x)


class HTTPServer2D(keras.Model):
    pass


class MyLayer(L.Layer):
    pass


names(MyModel(), MyModel(), HTTPServer2D(), MyLayer(), MyLayer())
m = MyModel()
m(np.ones((1, 3), "float32"))
names(m, m.d, keras.Model(i, i))
outer_input = keras.Input((3,))
inner = keras.Model(i, L.Dense(2)(i))
names(inner, keras.Model(outer_input, inner(outer_input)))
names(L.Conv2D(1, 1), L.BatchNormalization(), L.LSTM(1), L.Embedding(2, 2), L.GlobalAveragePooling1D(),
      L.InputLayer(shape=(3,)), L.Bidirectional(L.LSTM(1)), L.TimeDistributed(L.Dense(1)))
names(L.Dense(1, name="dense"), L.Dense(1), L.Dense(1, name="dense_99"), L.Dense(1))
keras.backend.clear_session(free_memory=False)
names("cleared", keras.Sequential(), L.Dense(1), keras.Model(i, i), MyModel(), L.InputLayer(shape=(3,)))
keras.utils.clear_session(free_memory=False)
names("cleared again", keras.Sequential(), L.Dense(1))

def summaries():
    """Every summary, fitted to the terminal width COLUMNS gives; models are made anew so each width sees the same."""
    long_names = keras.Sequential(
        [keras.Input((28, 28, 3)), L.Conv2D(8, 3, name="a_very_long_convolution_layer_name_that_wraps"),
         L.GlobalAveragePooling2D(), L.Dense(10, name="classifier_head with a spaced name", activation="softmax")],
        name="long_names",
    )
    show("long names", long_names)
    show("show_trainable", long_names, show_trainable=True)
    long_names.layers[0].trainable = False
    show("frozen", long_names, show_trainable=True)
    show("line_length", long_names, line_length=56)  # within every COLUMNS used: Keras crops wider lines
    show("positions", long_names, positions=[0.5, 0.7, 1.0])
    show("layer_range", long_names, layer_range=["global.*", "classifier.*"])
    inner = keras.Sequential([keras.Input((16,)), L.Dense(8), L.Dense(4)], name="inner_block")
    outer = keras.Sequential([keras.Input((16,)), inner, L.Dense(2)], name="outer")
    show("nested", outer)
    show("nested expanded", outer, expand_nested=True)
    a = keras.Input((16,), name="text_features")
    b = keras.Input((8,), name="image_features_long_input_name")
    x = L.Concatenate(name="concat")([L.Dense(8, name="text_dense")(a), L.Dense(8, name="image_dense")(b)])
    multi = keras.Model([a, b], [L.Dense(1, name="priority")(x), L.Dense(3, name="department_classifier_output")(x)],
                        name="multi_input_multi_output")
    show("multi input", multi)
    show("multi input trainable", multi, show_trainable=True)
    fi = keras.Input((16,))
    show("functional nested", keras.Model(fi, L.Dense(3)(inner(fi)), name="functional_nested"), expand_nested=True)
    show("unbuilt", keras.Sequential([L.Dense(3), L.Dense(1)], name="unbuilt"))


    class Sub(keras.Model):
        def __init__(self):
            super().__init__(name="sub")
            self.d1 = L.Dense(5)
            self.d2 = L.Dense(2)

        def call(self, x):
            return self.d2(self.d1(x))


    sub = Sub()
    sub(np.ones((2, 7), "float32"))
    show("subclass", sub)
    shared = L.Dense(4, name="shared")
    i1, i2 = keras.Input((4,)), keras.Input((4,))
    show("shared layer", keras.Model([i1, i2], L.Add()([shared(i1), shared(i2)]), name="shared_model"))
    bi = keras.Input((5, 3))
    show("bidirectional", keras.Model(bi, L.Bidirectional(L.LSTM(4))(bi), name="bidi"))
    big = keras.Sequential([keras.Input((1000,)), L.Dense(4000), L.Dense(3000)], name="big")
    show("big", big)
    if TRAINS:
        big.compile("adam", "mse")
        big.optimizer.build(big.trainable_variables)  # its slots are what the summary counts; no step needed
        show("with optimizer", big)


for columns in (80, 200, 60):
    os.environ["COLUMNS"] = str(columns)
    print("@@@@@ COLUMNS", columns)
    summaries()
'''


def _start_program(tmp_path, import_line):
    env = {"KERAS_BACKEND": support.BACKEND, "JAX_PLATFORMS": "cpu", "TF_CPP_MIN_LOG_LEVEL": "3"}
    return support.start_python(import_line + "\n" + ORACLE_PROGRAM, tmp_path, env=env)


def _by_width(output: str) -> tuple[list, dict]:
    """The names part, and the summaries part per terminal width."""
    names, *parts = output.split("@@@@@ COLUMNS ")
    widths = {}
    for part in parts:
        columns, text = part.split("\n", 1)
        widths[int(columns)] = text.splitlines()
    return names.splitlines(), widths


@pytest.fixture(scope="module")
def oracle_outputs(tmp_path_factory):
    """{"keras": ..., "kerasx": ...}, each (names lines, {COLUMNS: summary lines}); the two run at once."""
    pytest.importorskip("keras")
    processes = {
        library: _start_program(tmp_path_factory.mktemp(library), import_line)
        for library, import_line in (("keras", "import keras"), ("kerasx", "import kerasx as keras"))
    }
    outputs = {}
    for library, process in processes.items():
        stdout, stderr = process.communicate(timeout=300)
        assert process.returncode == 0, f"{library}: {stderr[-3000:]}"
        outputs[library] = _by_width(stdout)
    return outputs


def test_automatic_names_and_clear_session_match_keras(oracle_outputs):
    keras_names, kerasx_names = oracle_outputs["keras"][0], oracle_outputs["kerasx"][0]
    assert kerasx_names == keras_names
    assert keras_names[-2].split() == ["cleared", "sequential", "dense", "functional", "my_model", "input_layer"]


@pytest.mark.parametrize("columns", [80, 200, 60], ids=lambda c: f"COLUMNS={c}")
def test_summary_text_matches_keras(oracle_outputs, columns):
    keras_lines, kerasx_lines = oracle_outputs["keras"][1][columns], oracle_outputs["kerasx"][1][columns]
    for index, (received, expected) in enumerate(zip(kerasx_lines, keras_lines)):
        assert received == expected, f"line {index}:\n{received}\n{expected}"
    assert len(kerasx_lines) == len(keras_lines)
    assert any("…" in line for line in keras_lines)  # a word longer than its cell is cut


def test_errors_of_a_sequential_name_it():
    model = kerasx.Sequential([layers.Input((3,)), layers.Dense(2)], name="my_stack")
    with pytest.raises(ValueError, match=r"model 'my_stack' is incompatible") as caught:
        model(np.zeros((2, 4), "float32"))
    assert "_graph" not in str(caught.value)


def test_clear_session_starts_names_over():
    kerasx.backend.clear_session(free_memory=False)
    assert [layers.Dense(1).name, layers.Dense(1).name, kerasx.Sequential().name] == ["dense", "dense_1", "sequential"]
    kerasx.backend.clear_session(free_memory=False)
    assert layers.Dense(1).name == "dense"
    i = kerasx.Input((2,))
    assert kerasx.Model(i, layers.Dense(1)(i)).name == "functional"


def test_summary_wraps_cells_at_spaces():
    assert _summary.wrap_cell("dense_1 (Dense)", 10) == ["dense_1", "(Dense)"]
    assert _summary.wrap_cell("(None, 26, 26, 8)", 11) == ["(None, 26,", "26, 8)"]
    assert _summary.wrap_cell("a_long_name (Dense)", 6) == ["a_lon…", "(Dens…"]
    assert _summary.wrap_cell("", 5) == [""]


# A generator that ends before `steps_per_epoch * epochs` -----------------------------------------------------------
# Keras 3 keeps the first batches it looked at and, once the generator has ended, plays them again in later epochs:
# data the generator never yielded a second time. kerasx ends each such epoch where the data ended (both warn).

@pytest.mark.skipif(not support.TRAINS, reason="the numpy backend does not train")
def test_an_ended_generator_is_not_replayed():
    from test_epoch_steps_keras3 import _run

    assert _run("keras", "generator", "fit", 2, epochs=3) == ([0.0, 6.0, 12.0, 0.0, 6.0], 1, None)
    assert _run("kerasx", "generator", "fit", 2, epochs=3) == ([0.0, 6.0, 12.0], 2, None)
