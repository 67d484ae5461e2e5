// structure.no_branch_committee (severity low)
// Finds: large branches without a branch committee.
// Spec: a branch or joint_branch with $branch_committee_min_full_members or more full
// members (at or below it) and fewer than $branch_committee_min_size members whose
// `org_id` is that org and whose roles include secretary, deputy_secretary or
// committee_member; 《中国共产党支部工作条例（试行）》 第九条.
// Parameters: $dataset, $branch_kinds (schema.BRANCH_KINDS),
//   $branch_committee_min_full_members, $branch_committee_min_size.
// Returns: subject [org id], evidence {name, kind, full_members, committee_members}.
MATCH (d:OrgnetDataset {name: $dataset})
MATCH (o:PartyOrg {graph: d.graph})
WHERE o.kind IN $branch_kinds
WITH o,
     COUNT {
       (m:Member)-[:MEMBER_OF]->(:PartyOrg)-[:REPORTS_TO*0..]->(o) WHERE m.status = 'full'
     } AS full_members,
     COUNT {
       (m:Member)-[:MEMBER_OF]->(o)
       WHERE any(role IN m.roles WHERE role IN ['secretary', 'deputy_secretary', 'committee_member'])
     } AS committee_members
WHERE full_members >= $branch_committee_min_full_members
  AND committee_members < $branch_committee_min_size
RETURN [o.id] AS subject,
       {name: o.name, kind: o.kind, full_members: full_members,
        committee_members: committee_members} AS evidence
ORDER BY o.id
