// coverage.empty_org (severity medium)
// Finds: branch-level organizations with nobody in them.
// Spec: a general_branch, branch, joint_branch, group or temporary_group with no
// members at or below it (membership `org_id` in the org or any org reporting to it,
// whatever the member's status).
// Parameters: $dataset, $empty_check_kinds (schema.EMPTY_CHECK_KINDS).
// Returns: subject [org id], evidence (map): `parent` is the org it reports to,
// `institutions` the sorted ids it covers.
// Evidence keys: name, kind, parent, parent_name, institutions
MATCH (d:OrgnetDataset {name: $dataset})
MATCH (o:PartyOrg {graph: d.graph})
WHERE o.kind IN $empty_check_kinds
  AND NOT EXISTS { (:Member)-[:MEMBER_OF]->(:PartyOrg)-[:REPORTS_TO*0..]->(o) }
OPTIONAL MATCH (o)-[:REPORTS_TO]->(p:PartyOrg)
OPTIONAL MATCH (o)-[:COVERS]->(x:Institution)
WITH DISTINCT o, p, x ORDER BY x.id
WITH o, p, collect(x.id) AS institutions
RETURN [o.id] AS subject,
       {name: coalesce(toString(o.name), o.id), kind: o.kind,
        parent: p.id, parent_name: coalesce(toString(p.name), p.id),
        institutions: institutions} AS evidence
ORDER BY o.id
