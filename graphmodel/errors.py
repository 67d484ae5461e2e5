"""The root of orgnet's exceptions.

Each package raises its own subclass (``loaders.DatasetError``,
``orgnet.graphmodel.neo4j_store.StoreError``, ...); the CLI turns any ``OrgnetError``
into a one-line ``click.ClickException``.
"""

__all__ = ["OrgnetError"]


class OrgnetError(Exception):
    """Base class of every error orgnet raises on purpose."""
