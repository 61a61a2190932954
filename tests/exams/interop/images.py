"""Small real images for the media tests, drawn with Pillow."""

import io

from PIL import Image

SVG = (
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
)


def image(fmt: str = "PNG", color: tuple[int, int, int] = (200, 30, 30), size=(4, 3)) -> bytes:
    """An image of one colour in a Pillow format (PNG, JPEG, GIF or WEBP)."""
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, fmt)
    return buffer.getvalue()


def opened(data: bytes) -> tuple[str, tuple[int, int]]:
    """(format, size) of image bytes, proving they are still a whole image."""
    with Image.open(io.BytesIO(data)) as picture:
        picture.load()
        return picture.format, picture.size
