// service.no_coordinator (severity low)
// Finds: services without a party organization acting as coordination interface.
// Spec: a services row with no `coordinator_org_id`.
// Parameters: $dataset.
// Returns: subject [institution id, stage], evidence {name, stage, row}.
MATCH (d:OrgnetDataset {name: $dataset})
MATCH (i:Institution {graph: d.graph})-[p:PROVIDES]->(s:Stage)
WHERE p.coordinator_org_id IS NULL
RETURN [i.id, s.id] AS subject,
       {name: i.name, stage: s.id, row: p.row} AS evidence
ORDER BY i.id, s.id, p.row
