// unit_network.nodes: the nodes of the unit network (spec section 6), one row per
// institution with its properties (the same attributes as the embedded graph's node),
// except the united-front kinds (united_front_station, association), which are no units.
// Parameters: $dataset, $united_front_kinds (schema.UNITED_FRONT_KINDS).
// Returns: id, properties.
MATCH (d:OrgnetDataset {name: $dataset})
MATCH (i:Institution {graph: d.graph})
WHERE NOT i.kind IN $united_front_kinds
RETURN i.id AS id, properties(i) AS properties
ORDER BY id
