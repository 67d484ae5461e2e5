// coverage.uncovered_institution (severity high)
// Finds: health institutions that no party organization covers.
// Spec: a health institution that no party org lists in `institution_ids`.
// Parameters: $dataset (dataset name), $health_kinds (schema.HEALTH_KINDS).
// Returns: subject [institution id], evidence {name, kind, level}.
MATCH (d:OrgnetDataset {name: $dataset})
MATCH (i:Institution {graph: d.graph})
WHERE i.kind IN $health_kinds
  AND NOT EXISTS { (:PartyOrg)-[:COVERS]->(i) }
RETURN [i.id] AS subject,
       {name: i.name, kind: i.kind, level: i.level} AS evidence
ORDER BY i.id
