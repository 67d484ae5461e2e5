// structure.branch_too_small (severity medium)
// Finds: branches below the size at which a branch should be set up.
// Spec: a branch or joint_branch with fewer than $branch_min_full_members full members
// (members whose `org_id` is the org or any org below it);
// 《中国共产党支部工作条例（试行）》 第五条.
// Parameters: $dataset, $branch_kinds (schema.BRANCH_KINDS), $branch_min_full_members.
// Returns: subject [org id], evidence {name, kind, full_members, minimum}.
MATCH (d:OrgnetDataset {name: $dataset})
MATCH (o:PartyOrg {graph: d.graph})
WHERE o.kind IN $branch_kinds
WITH o, COUNT {
  (m:Member)-[:MEMBER_OF]->(:PartyOrg)-[:REPORTS_TO*0..]->(o) WHERE m.status = 'full'
} AS full_members
WHERE full_members < $branch_min_full_members
RETURN [o.id] AS subject,
       {name: o.name, kind: o.kind, full_members: full_members,
        minimum: $branch_min_full_members} AS evidence
ORDER BY o.id
