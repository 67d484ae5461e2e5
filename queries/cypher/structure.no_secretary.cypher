// structure.no_secretary (severity medium)
// Finds: organizations without a secretary.
// Spec: a committee, general_branch, branch or joint_branch with no member whose
// `org_id` is that org and whose roles include secretary.
// Parameters: $dataset, $secretary_kinds (schema.SECRETARY_KINDS).
// Returns: subject [org id], evidence {name, kind}.
MATCH (d:OrgnetDataset {name: $dataset})
MATCH (o:PartyOrg {graph: d.graph})
WHERE o.kind IN $secretary_kinds
  AND NOT EXISTS { (m:Member)-[:MEMBER_OF]->(o) WHERE 'secretary' IN m.roles }
RETURN [o.id] AS subject,
       {name: o.name, kind: o.kind} AS evidence
ORDER BY o.id
