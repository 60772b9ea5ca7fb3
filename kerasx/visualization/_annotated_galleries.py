"""Galleries of annotated images: bounding boxes (`plot_bounding_box_gallery`) and segmentation masks
(`plot_segmentation_mask_gallery`), drawn by kerasx and laid out by `plot_image_gallery`."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from kerasx import ops
from kerasx.backend import standardize_data_format
from kerasx.utils import _optional
from kerasx.visualization._batch import check_batched
from kerasx.visualization._draw_boxes import draw_bounding_boxes
from kerasx.visualization._draw_masks import draw_segmentation_masks
from kerasx.visualization._image_gallery import plot_image_gallery

LEGEND_TWICE = (
    "plot_bounding_box_gallery() takes `legend=True` (a legend of the true and predicted colors) or your own "
    "`legend_handles`, not both."
)


def plot_bounding_box_gallery(
    images,
    bounding_box_format: str,
    y_true: dict | None = None,
    y_pred: dict | None = None,
    value_range: tuple = (0, 255),
    true_color: Sequence[int] = (0, 188, 212),
    pred_color: Sequence[int] = (255, 235, 59),
    line_thickness: int = 2,
    font_scale: float = 1.0,
    text_thickness: int | None = None,
    class_mapping: dict | None = None,
    ground_truth_mapping: dict | None = None,
    prediction_mapping: dict | None = None,
    legend: bool = False,
    legend_handles: list | None = None,
    rows: int | None = None,
    cols: int | None = None,
    data_format: str | None = None,
    **kwargs,
) -> None:
    """Plots a gallery of images with their true and predicted bounding boxes drawn in two colors.

    The boxes are drawn by `draw_bounding_boxes` (true boxes first, then predictions on top), and the images laid
    out by `plot_image_gallery`. Needs matplotlib (`pip install matplotlib`).

    Args:
        images: images of shape `(batch, height, width, channels)` (or channels first, see `data_format`).
        bounding_box_format: the format of the boxes (see `kerasx.utils.bounding_boxes.convert_format`).
        y_true: the true boxes, a dict as `draw_bounding_boxes` takes.
        y_pred: the predicted boxes, the same way.
        value_range: the range of the image values.
        true_color: the RGB color of the true boxes.
        pred_color: the RGB color of the predicted boxes.
        line_thickness: the width of the outlines in pixels.
        font_scale: the size of the labels.
        text_thickness: the stroke of the labels (None: `line_thickness`).
        class_mapping: class id -> name for both sets of boxes.
        ground_truth_mapping: class id -> name for the true boxes (default: `class_mapping`).
        prediction_mapping: class id -> name for the predicted boxes (default: `class_mapping`).
        legend: whether to add a legend of the two colors.
        legend_handles: matplotlib artists for your own legend (instead of `legend`).
        rows: the rows of the grid.
        cols: the columns of the grid.
        data_format: `"channels_last"` or `"channels_first"`; None uses `kerasx.config.image_data_format()`.
        **kwargs: passed to `plot_image_gallery` (`path`, `show`, `scale`, ...).

    Example:

    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import matplotlib.pyplot as plt
    >>> import numpy as np
    >>> from kerasx import visualization
    >>> images = np.zeros((2, 16, 16, 3), "uint8")
    >>> boxes = {"boxes": np.array([[[2, 2, 10, 10]], [[4, 4, 12, 12]]]), "labels": np.array([[0], [-1]])}
    >>> visualization.plot_bounding_box_gallery(images, "xyxy", y_true=boxes, rows=1, cols=2, legend=True,
    ...                                         show=False)
    >>> figure = plt.gcf()
    >>> len(figure.axes), [text.get_text() for text in figure.legends[0].get_texts()]
    (2, ['Ground Truth', 'Prediction'])
    >>> plt.close(figure)
    """
    patches = _optional._load("matplotlib.patches", "matplotlib", "visualization", "plot_bounding_box_gallery()")
    prediction_mapping = prediction_mapping or class_mapping
    ground_truth_mapping = ground_truth_mapping or class_mapping
    check_batched(images, "plot_bounding_box_gallery")
    pixels = np.asarray(ops.convert_to_numpy(images))
    if standardize_data_format(data_format) == "channels_first":
        pixels = pixels.transpose(0, 2, 3, 1)
    drawing = {
        "bounding_box_format": bounding_box_format,
        "line_thickness": line_thickness,
        "text_thickness": text_thickness,
        "font_scale": font_scale,
        "data_format": "channels_last",
    }
    if y_true is not None:
        pixels = draw_bounding_boxes(pixels, y_true, color=true_color, class_mapping=ground_truth_mapping, **drawing)
    if y_pred is not None:
        pixels = draw_bounding_boxes(pixels, y_pred, color=pred_color, class_mapping=prediction_mapping, **drawing)
    if legend:
        if legend_handles:
            raise ValueError(LEGEND_TWICE)
        legend_handles = [
            patches.Patch(color=np.array(true_color) / 255.0, label="Ground Truth"),
            patches.Patch(color=np.array(pred_color) / 255.0, label="Prediction"),
        ]
    plot_image_gallery(
        pixels,
        value_range=value_range,
        legend_handles=legend_handles,
        rows=rows,
        cols=cols,
        data_format="channels_last",
        **kwargs,
    )


def plot_segmentation_mask_gallery(
    images,
    num_classes: int,
    value_range: tuple = (0, 255),
    y_true=None,
    y_pred=None,
    color_mapping: dict | None = None,
    blend: bool = True,
    alpha: float = 0.8,
    ignore_index: int = -1,
    data_format: str | None = None,
    **kwargs,
) -> None:
    """Plots each image beside its true and predicted segmentation masks, one image per row.

    The masks are painted by `draw_segmentation_masks` and the rows laid out by `plot_image_gallery`. Needs
    matplotlib (`pip install matplotlib`).

    Args:
        images: images of shape `(batch, height, width, channels)` (or channels first, see `data_format`).
        num_classes: the number of classes painted.
        value_range: the range of the image values.
        y_true: the true masks, `(batch, height, width, 1)` or `(batch, height, width)` class indices.
        y_pred: the predicted masks, the same way.
        color_mapping: class index -> color; None uses the default palette.
        blend: whether to blend the colors with the images.
        alpha: the opacity of the colors.
        ignore_index: the mask value left unpainted.
        data_format: `"channels_last"` or `"channels_first"`; None uses `kerasx.config.image_data_format()`.
        **kwargs: passed to `plot_image_gallery` (`path`, `show`, `scale`, ...).

    Example:

    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import matplotlib.pyplot as plt
    >>> import numpy as np
    >>> from kerasx import visualization
    >>> images = np.full((2, 8, 8, 3), 120, "uint8")
    >>> masks = np.random.randint(0, 3, (2, 8, 8, 1))
    >>> visualization.plot_segmentation_mask_gallery(images, num_classes=3, y_true=masks, y_pred=masks, show=False)
    >>> len(plt.gcf().axes)
    6
    >>> plt.close(plt.gcf())
    """
    check_batched(images, "plot_segmentation_mask_gallery")
    channels_first = standardize_data_format(data_format) == "channels_first"
    pixels = np.asarray(ops.convert_to_numpy(images))
    if channels_first:
        pixels = pixels.transpose(0, 2, 3, 1)
    drawing = {
        "num_classes": num_classes,
        "color_mapping": color_mapping,
        "alpha": alpha,
        "ignore_index": ignore_index,
        "blend": blend,
        "data_format": "channels_last",
    }
    columns = [pixels]
    for masks in (y_true, y_pred):
        if masks is None:
            continue
        masks = np.asarray(ops.convert_to_numpy(masks)).astype("int32")
        if channels_first and masks.ndim == 4:
            masks = masks.transpose(0, 2, 3, 1)
        columns.append(draw_segmentation_masks(pixels, masks, **drawing))
    # Row i: the image, then its true masks, then its predicted masks.
    gallery = np.stack([column[index] for index in range(len(pixels)) for column in columns], axis=0)
    plot_image_gallery(
        gallery, value_range=value_range, rows=len(pixels), cols=len(columns), data_format="channels_last", **kwargs
    )
