// structure.no_branch_committee (severity low)
// Finds: large branches without a branch committee.
// Spec: a branch or joint_branch with $branch_committee_min_full_members or more full
// members (at or below it) and fewer than $branch_committee_min_size members whose
// `org_id` is that org and whose roles include secretary, deputy_secretary or
// committee_member; 《中国共产党支部工作条例（试行）》 第九条.
// `committee`: those direct members (by id); `candidates`: direct full members without
// such a role (by id), as many as are missing.
// Parameters: $dataset, $branch_kinds (schema.BRANCH_KINDS),
//   $branch_committee_roles (schema.BRANCH_COMMITTEE_ROLES),
//   $branch_committee_min_full_members, $branch_committee_min_size.
// Returns: subject [org id], evidence (map).
// Evidence keys: name, kind, full_members, committee, committee_names, minimum, candidates, candidate_names
MATCH (d:OrgnetDataset {name: $dataset})
MATCH (o:PartyOrg {graph: d.graph})
WHERE o.kind IN $branch_kinds
WITH o, COUNT {
  (m:Member)-[:MEMBER_OF]->(:PartyOrg)-[:REPORTS_TO*0..]->(o) WHERE m.status = 'full'
} AS full_members
WHERE full_members >= $branch_committee_min_full_members
OPTIONAL MATCH (m:Member)-[:MEMBER_OF]->(o)
WITH o, full_members, m ORDER BY m.id
WITH o, full_members, collect(m) AS direct
WITH o, full_members, direct,
     [m IN direct WHERE any(role IN coalesce(m.roles, []) WHERE role IN $branch_committee_roles)]
       AS committee
WHERE size(committee) < $branch_committee_min_size
WITH o, full_members, committee,
     [m IN direct WHERE NOT m IN committee AND m.status = 'full']
       [0..$branch_committee_min_size - size(committee)] AS candidates
RETURN [o.id] AS subject,
       {name: coalesce(toString(o.name), o.id), kind: o.kind, full_members: full_members,
        committee: [m IN committee | m.id],
        committee_names: [m IN committee | coalesce(toString(m.name), m.id)],
        minimum: $branch_committee_min_size,
        candidates: [m IN candidates | m.id],
        candidate_names: [m IN candidates | coalesce(toString(m.name), m.id)]} AS evidence
ORDER BY o.id
