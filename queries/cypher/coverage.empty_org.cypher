// coverage.empty_org (severity medium)
// Finds: branch-level organizations with nobody in them.
// Spec: a general_branch, branch, joint_branch, group or temporary_group with no
// members at or below it (membership `org_id` in the org or any org reporting to it).
// Parameters: $dataset, $empty_check_kinds (schema.EMPTY_CHECK_KINDS).
// Returns: subject [org id], evidence {name, kind}.
MATCH (d:OrgnetDataset {name: $dataset})
MATCH (o:PartyOrg {graph: d.graph})
WHERE o.kind IN $empty_check_kinds
  AND NOT EXISTS { (:Member)-[:MEMBER_OF]->(:PartyOrg)-[:REPORTS_TO*0..]->(o) }
RETURN [o.id] AS subject,
       {name: o.name, kind: o.kind} AS evidence
ORDER BY o.id
