// unit_network.nodes: the nodes of the unit network (spec section 6) as columns: ONE
// row listing every institution's id and properties (the same attributes as the
// embedded graph's node) in id order, except the united-front kinds
// (united_front_station, association), which are no units.
// Parameters: $dataset, $united_front_kinds (schema.UNITED_FRONT_KINDS).
// Returns: id (list of ids), properties (list of property maps, aligned with id).
MATCH (d:OrgnetDataset {name: $dataset})
MATCH (i:Institution {graph: d.graph})
WHERE NOT i.kind IN $united_front_kinds
WITH i
ORDER BY i.id
RETURN collect(i.id) AS id, collect(properties(i)) AS properties
