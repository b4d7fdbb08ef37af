"""Demo images drawn locally with Pillow: no downloads, same bytes every run."""

from io import BytesIO

from django.core.files.images import ImageFile
from PIL import Image as PILImage
from PIL import ImageDraw
from wagtail.images.models import Image


def draw(title: str, size=(1600, 900), colours=((22, 96, 136), (120, 190, 170))):
    width, height = size
    canvas = PILImage.new("RGB", size)
    pixels = ImageDraw.Draw(canvas)
    start, end = colours
    for x in range(width):
        mix = x / max(width - 1, 1)
        colour = tuple(
            round(a + (b - a) * mix) for a, b in zip(start, end, strict=True)
        )
        pixels.line([(x, 0), (x, height)], fill=colour)
    pixels.ellipse(
        [width * 0.6, height * 0.2, width * 0.9, height * 0.8], outline="white", width=8
    )
    pixels.text((40, height - 80), title, fill="white")
    buffer = BytesIO()
    canvas.save(buffer, format="PNG")
    return buffer


from cms.renditions import make_all_renditions  # noqa: E402


def demo_image(title: str, filename: str, description: str, **kwargs) -> Image:
    """Find the image by title or draw and store it (idempotent)."""
    image = Image.objects.filter(title=title).first()
    if image is None:
        image = Image(title=title, description=description)
        image.file = ImageFile(draw(title, **kwargs), name=filename)
        image.save()
        # Made now rather than on commit, so the API never has to.
        make_all_renditions(image)
    return image
