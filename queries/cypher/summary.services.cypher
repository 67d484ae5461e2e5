// summary.services: the number of services rows, for the summary of spec section 7.
// Parameters: $dataset.
// Returns: services.
MATCH (d:OrgnetDataset {name: $dataset})
OPTIONAL MATCH (:Institution {graph: d.graph})-[p:PROVIDES]->(:Stage)
RETURN count(p) AS services
