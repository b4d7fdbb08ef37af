from cms.preview import PreviewSnapshot

__all__ = ["PreviewSnapshot"]
