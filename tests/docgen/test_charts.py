"""Bar charts for reports: real PNGs, sized by the number of bars, bad input refused."""

import io

import pytest
from PIL import Image

from loa.docgen import bar_chart


def test_a_bar_chart_is_a_png_as_wide_as_asked_and_taller_with_more_bars():
    few = Image.open(io.BytesIO(bar_chart(["Báo chí", "Mạng xã hội"], [12, 3400], dpi=100)))
    many = Image.open(io.BytesIO(bar_chart([f"Xã số {i}" for i in range(12)], list(range(12)), dpi=100)))
    assert few.format == "PNG" and many.format == "PNG"
    assert abs(few.width - round(16 / 2.54 * 100)) <= 2
    assert many.height > few.height


def test_the_bars_are_drawn_not_blank():
    image = Image.open(io.BytesIO(bar_chart(["Loa truyền thanh", "Hội nghị"], [5, 10], dpi=80))).convert("L")
    dark = sum(image.histogram()[:160])
    assert dark > 500  # two grey bars and their labels


@pytest.mark.parametrize(("labels", "values"), [([], []), (["a"], [1, 2])])
def test_bad_input_is_refused(labels, values):
    with pytest.raises(ValueError):
        bar_chart(labels, values)
