// structure.unit_without_branch (severity medium)
// Finds: institutions with enough full members for a branch of their own but none.
// Spec: an institution where $branch_min_full_members or more full members work that
// no committee, general_branch or branch covers; 《中国共产党支部工作条例（试行）》 第五条.
// Parameters: $dataset, $own_branch_kinds (schema.OWN_BRANCH_KINDS), $branch_min_full_members.
// Returns: subject [institution id], evidence {name, kind, full_members}.
MATCH (d:OrgnetDataset {name: $dataset})
MATCH (i:Institution {graph: d.graph})
WITH i, COUNT { (m:Member)-[:WORKS_AT]->(i) WHERE m.status = 'full' } AS full_members
WHERE full_members >= $branch_min_full_members
  AND NOT EXISTS { (o:PartyOrg)-[:COVERS]->(i) WHERE o.kind IN $own_branch_kinds }
RETURN [i.id] AS subject,
       {name: i.name, kind: i.kind, full_members: full_members} AS evidence
ORDER BY i.id
