"""The schema assembly: the public GraphQL root Query, in one place.

The top of the import layers: it may import every app (``cms``, the content
domains, ``home``, ``search``); nothing imports it.
"""
