// coverage.unattached_member (severity medium)
// Finds: party members whose membership is held by no organization.
// Spec: a full or probationary member with no `org_id`.
// Parameters: $dataset.
// Returns: subject [member id], evidence {name, status}.
MATCH (d:OrgnetDataset {name: $dataset})
MATCH (m:Member {graph: d.graph})
WHERE m.status IN ['full', 'probationary']
  AND NOT EXISTS { (m)-[:MEMBER_OF]->(:PartyOrg) }
RETURN [m.id] AS subject,
       {name: m.name, status: m.status} AS evidence
ORDER BY m.id
