"""Visualization, as Keras 3's `keras.visualization`: bounding boxes and segmentation masks drawn into images
(NumPy; box labels are written with Pillow), and galleries of images plotted with matplotlib.

matplotlib is optional (`pip install "kerasx[visualization]"`) and imported only when a gallery is plotted.
"""

from kerasx import _missing
from kerasx.visualization._annotated_galleries import plot_bounding_box_gallery, plot_segmentation_mask_gallery
from kerasx.visualization._draw_boxes import draw_bounding_boxes
from kerasx.visualization._draw_masks import draw_segmentation_masks
from kerasx.visualization._image_gallery import plot_image_gallery

__all__ = [
    "draw_bounding_boxes",
    "draw_segmentation_masks",
    "plot_bounding_box_gallery",
    "plot_image_gallery",
    "plot_segmentation_mask_gallery",
]

__getattr__ = _missing.missing_name_hook(__name__)
