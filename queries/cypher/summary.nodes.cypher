// summary.nodes: entity counts per label and per kind (institutions, party orgs) or
// status (members), for the summary of spec section 7.
// Parameters: $dataset, $entity_labels (schema.ENTITY_LABELS).
// Returns: label, value (kind or status; null for regions), count.
MATCH (d:OrgnetDataset {name: $dataset})
MATCH (n:Region|Institution|PartyOrg|Member {graph: d.graph})
WITH [label IN labels(n) WHERE label IN $entity_labels][0] AS label,
     CASE WHEN n:Member THEN n.status WHEN n:Region THEN null ELSE n.kind END AS value
RETURN label, value, count(*) AS count
ORDER BY label, value
