// structure.no_secretary (severity medium)
// Finds: organizations without a secretary.
// Spec: a committee, general_branch, branch or joint_branch with no member whose
// `org_id` is that org and whose roles include secretary.
// Suggestion facts: `candidates`, up to 3 full members at or below the org: direct
// members first, then those holding a branch committee role, then by id.
// Parameters: $dataset, $secretary_kinds (schema.SECRETARY_KINDS),
//   $branch_committee_roles (schema.BRANCH_COMMITTEE_ROLES).
// Returns: subject [org id], evidence (map).
// Evidence keys: name, kind, candidates, candidate_names
MATCH (d:OrgnetDataset {name: $dataset})
MATCH (o:PartyOrg {graph: d.graph})
WHERE o.kind IN $secretary_kinds
  AND NOT EXISTS { (s:Member)-[:MEMBER_OF]->(o) WHERE 'secretary' IN s.roles }
OPTIONAL MATCH (m:Member)-[:MEMBER_OF]->(mo:PartyOrg)-[:REPORTS_TO*0..]->(o)
WHERE m.status = 'full'
WITH o, m,
     CASE WHEN mo = o THEN 0 ELSE 1 END AS indirect,
     CASE WHEN any(role IN coalesce(m.roles, []) WHERE role IN $branch_committee_roles)
          THEN 0 ELSE 1 END AS off_committee
ORDER BY indirect, off_committee, m.id
WITH o, collect(m)[0..3] AS candidates
RETURN [o.id] AS subject,
       {name: coalesce(toString(o.name), o.id), kind: o.kind,
        candidates: [m IN candidates | m.id],
        candidate_names: [m IN candidates | coalesce(toString(m.name), m.id)]} AS evidence
ORDER BY o.id
