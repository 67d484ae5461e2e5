// structure.unit_without_branch (severity medium)
// Finds: institutions with enough full members for a branch of their own but none.
// Spec: an institution where $branch_min_full_members or more full members work that
// no committee, general_branch or branch covers; 《中国共产党支部工作条例（试行）》 第五条.
// Members count by workplace (`institution_id`), whatever their `org_id`.
// `members` are those full members, `covered_by` the orgs (of other kinds) covering it.
// Parameters: $dataset, $own_branch_kinds (schema.OWN_BRANCH_KINDS), $branch_min_full_members.
// Returns: subject [institution id], evidence (map).
// Evidence keys: name, kind, full_members, members, member_names, covered_by, covered_by_names
MATCH (d:OrgnetDataset {name: $dataset})
MATCH (i:Institution {graph: d.graph})
WHERE COUNT { (m:Member)-[:WORKS_AT]->(i) WHERE m.status = 'full' } >= $branch_min_full_members
  AND NOT EXISTS { (o:PartyOrg)-[:COVERS]->(i) WHERE o.kind IN $own_branch_kinds }
MATCH (m:Member)-[:WORKS_AT]->(i)
WHERE m.status = 'full'
WITH i, m ORDER BY m.id
WITH i, collect(m) AS members
OPTIONAL MATCH (c:PartyOrg)-[:COVERS]->(i)
WITH i, members, c ORDER BY c.id
WITH i, members, collect(c) AS orgs
RETURN [i.id] AS subject,
       {name: coalesce(toString(i.name), i.id), kind: i.kind, full_members: size(members),
        members: [m IN members | m.id],
        member_names: [m IN members | coalesce(toString(m.name), m.id)],
        covered_by: [c IN orgs | c.id],
        covered_by_names: [c IN orgs | coalesce(toString(c.name), c.id)]} AS evidence
ORDER BY i.id
