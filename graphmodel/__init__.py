"""orgnet's graph model: the schema, the embedded (networkx) graph and the Neo4j store."""

from orgnet.graphmodel.errors import OrgnetError

__all__ = ["OrgnetError"]
