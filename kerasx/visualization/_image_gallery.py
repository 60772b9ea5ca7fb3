"""`plot_image_gallery`: a grid of images in a matplotlib figure, imported only when a gallery is plotted."""

from __future__ import annotations

import math

import numpy as np

from kerasx import ops
from kerasx.backend import standardize_data_format
from kerasx.utils import _optional
from kerasx.visualization._batch import check_batched

PATH_AND_SHOW = (
    "plot_image_gallery() either saves the figure to `path` or shows it, not both. Received: path={path!r}, "
    "show={show}. Pass `show=False` (or leave it None) with a path."
)
LABELS_WITHOUT_MAP = (
    "plot_image_gallery() needs a `label_map` (class index -> name) to title images with `y_true` or `y_pred`."
)


def pyplot(function: str):
    """`matplotlib.pyplot`, or an ImportError saying how to install matplotlib."""
    return _optional._load("matplotlib.pyplot", "matplotlib", "visualization", f"{function}()")


def to_display_range(images: np.ndarray, value_range) -> np.ndarray:
    """Float32 images mapped linearly from `value_range` to [0, 255] (unchanged when the range is (0, 255))."""
    low, high = value_range
    if (low, high) == (0, 255):
        return images
    low, high = np.float32(low), np.float32(high)
    return (images.astype("float32") - low) / (high - low) * np.float32(255)


def gallery_grid(num_images: int, rows: int | None, cols: int | None) -> tuple[int, int]:
    """Keras 3's grid: `ceil(sqrt(num_images))` rows and `num_images // rows` columns unless given (so a batch of
    3 shows 2 images; pass `rows`/`cols` to show them all)."""
    rows = rows or int(math.ceil(math.sqrt(num_images)))
    cols = cols or max(num_images // rows, 1)
    return rows, cols


def plot_image_gallery(
    images,
    y_true=None,
    y_pred=None,
    label_map: dict | None = None,
    rows: int | None = None,
    cols: int | None = None,
    value_range: tuple = (0, 255),
    scale: float = 2,
    path: str | None = None,
    show: bool | None = None,
    transparent: bool = True,
    dpi: int = 60,
    legend_handles: list | None = None,
    data_format: str | None = None,
) -> None:
    """Plots a batch of images as a grid in a matplotlib figure, titled with their true and predicted classes.

    The figure is saved to `path`, or shown (`plt.show()`) and closed; with `show=False` and no path it stays open
    (`matplotlib.pyplot.gcf()`). Needs matplotlib (`pip install matplotlib`).

    Args:
        images: images of shape `(batch, height, width, channels)` (or channels first, see `data_format`).
        y_true: true class indices, one per image, shown as "Label: name".
        y_pred: predicted class indices, shown as "Pred: name".
        label_map: class index -> name (needed with `y_true` or `y_pred`).
        rows: the rows of the grid (default: `ceil(sqrt(batch))`).
        cols: the columns of the grid (default: `batch // rows`).
        value_range: the range of the image values, mapped to [0, 255] for display.
        scale: inches per image.
        path: where to save the figure (its extension picks the format).
        show: whether to show the figure; None shows it when there is no `path`.
        transparent: whether the saved figure has a transparent background.
        dpi: the resolution of the saved figure.
        legend_handles: matplotlib artists (e.g. `matplotlib.patches.Patch`) for a legend below the grid.
        data_format: `"channels_last"` or `"channels_first"`; None uses `kerasx.config.image_data_format()`.

    Example:

    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import matplotlib.pyplot as plt
    >>> import numpy as np
    >>> from kerasx import visualization
    >>> images = np.random.randint(0, 256, (4, 8, 8, 3)).astype("uint8")
    >>> visualization.plot_image_gallery(images, y_true=[0, 1, 1, 0], label_map={0: "cat", 1: "dog"}, show=False)
    >>> figure = plt.gcf()
    >>> len(figure.axes), figure.axes[1].get_title()
    (4, 'Label: dog')
    >>> plt.close(figure)
    """
    plt = pyplot("plot_image_gallery")
    if path is not None and show:
        raise ValueError(PATH_AND_SHOW.format(path=path, show=show))
    if (y_true is not None or y_pred is not None) and label_map is None:
        raise ValueError(LABELS_WITHOUT_MAP)
    show = path is None if show is None else show
    check_batched(images, "plot_image_gallery")
    pixels = np.asarray(ops.convert_to_numpy(images))
    rows, cols = gallery_grid(pixels.shape[0], rows, cols)
    pixels = pixels[: rows * cols]
    if standardize_data_format(data_format) == "channels_first":
        pixels = pixels.transpose(0, 2, 3, 1)
    pixels = to_display_range(pixels, value_range).astype("uint8")
    y_true = None if y_true is None else np.asarray(ops.convert_to_numpy(y_true))
    y_pred = None if y_pred is None else np.asarray(ops.convert_to_numpy(y_pred))
    label_map = label_map or {}

    figure, axes = plt.subplots(
        nrows=rows, ncols=cols, figsize=(cols * scale, rows * scale), frameon=False, layout="tight", squeeze=False,
        sharex="row", sharey="col",
    )
    figure.subplots_adjust(wspace=0, hspace=0)
    if legend_handles is not None:
        figure.legend(handles=legend_handles, loc="lower center")
    for index, axis in enumerate(axes.flat):
        axis.axis("off")
        axis.margins(x=0, y=0)
        if index >= len(pixels):
            continue
        image = pixels[index]
        # matplotlib draws (height, width) arrays with a colormap, and refuses a single channel axis.
        if image.shape[-1] == 1:
            axis.imshow(image[..., 0], cmap="gray", vmin=0, vmax=255)
        else:
            axis.imshow(image)
        titles = []
        if y_true is not None and index < len(y_true):
            titles.append(f"Label: {label_map.get(y_true[index], 'Unknown')}")
        if y_pred is not None and index < len(y_pred):
            titles.append(f"Pred: {label_map.get(y_pred[index], 'Unknown')}")
        if titles:
            axis.set_title("  ".join(titles), fontsize=8)
    if path is not None:
        figure.savefig(path, pad_inches=0, bbox_inches="tight", transparent=transparent, dpi=dpi)
        plt.close(figure)
    elif show:
        plt.show()
        plt.close(figure)
