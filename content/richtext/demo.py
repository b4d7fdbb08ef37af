"""Rich text for the demo content."""


def p(*paragraphs: str) -> str:
    """Paragraphs as stored rich text."""
    return "".join(f"<p>{text}</p>" for text in paragraphs)
