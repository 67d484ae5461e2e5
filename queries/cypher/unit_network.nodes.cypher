// unit_network.nodes: the nodes of the unit network (spec section 6), one row per
// institution with its properties (the same attributes as the embedded graph's node).
// Parameters: $dataset.
// Returns: id, properties.
MATCH (d:OrgnetDataset {name: $dataset})
MATCH (i:Institution {graph: d.graph})
RETURN i.id AS id, properties(i) AS properties
ORDER BY id
