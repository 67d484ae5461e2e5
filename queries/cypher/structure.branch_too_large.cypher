// structure.branch_too_large (severity low)
// Finds: branches that have grown past the recommended size.
// Spec: a branch or joint_branch with more than $branch_max_members full plus
// probationary members (at or below it); 《中国共产党支部工作条例（试行）》 第六条.
// `split_into` is ceil(members / $branch_max_members).
// Parameters: $dataset, $branch_kinds (schema.BRANCH_KINDS), $branch_max_members,
//   $party_member_statuses (schema.PARTY_MEMBER_STATUSES).
// Returns: subject [org id], evidence (map).
// Evidence keys: name, kind, members, maximum, split_into
MATCH (d:OrgnetDataset {name: $dataset})
MATCH (o:PartyOrg {graph: d.graph})
WHERE o.kind IN $branch_kinds
WITH o, COUNT {
  (m:Member)-[:MEMBER_OF]->(:PartyOrg)-[:REPORTS_TO*0..]->(o)
  WHERE m.status IN $party_member_statuses
} AS members
WHERE members > $branch_max_members
RETURN [o.id] AS subject,
       {name: coalesce(toString(o.name), o.id), kind: o.kind, members: members,
        maximum: $branch_max_members,
        split_into: (members + $branch_max_members - 1) / $branch_max_members} AS evidence
ORDER BY o.id
