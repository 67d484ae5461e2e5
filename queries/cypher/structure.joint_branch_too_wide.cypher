// structure.joint_branch_too_wide (severity low)
// Finds: joint branches spread over too many institutions.
// Spec: a joint_branch listing more than $joint_branch_max_units institutions;
// 《中国共产党支部工作条例（试行）》 第五条.  `split_into` is
// ceil(units / $joint_branch_max_units); `own_branch_units` are the covered institutions
// where $branch_min_full_members or more full members work (by id).
// Parameters: $dataset, $joint_branch_max_units, $branch_min_full_members.
// Returns: subject [org id], evidence (map).
// Evidence keys: name, units, maximum, split_into, institutions, institution_names, minimum, own_branch_units, own_branch_unit_names
MATCH (d:OrgnetDataset {name: $dataset})
MATCH (o:PartyOrg {graph: d.graph})-[:COVERS]->(i:Institution)
WHERE o.kind = 'joint_branch'
WITH DISTINCT o, i ORDER BY i.id
WITH o, collect(i) AS units
WHERE size(units) > $joint_branch_max_units
WITH o, units,
     [u IN units WHERE COUNT { (m:Member)-[:WORKS_AT]->(u) WHERE m.status = 'full' }
                       >= $branch_min_full_members] AS own
RETURN [o.id] AS subject,
       {name: coalesce(toString(o.name), o.id), units: size(units),
        maximum: $joint_branch_max_units,
        split_into: (size(units) + $joint_branch_max_units - 1) / $joint_branch_max_units,
        institutions: [u IN units | u.id],
        institution_names: [u IN units | coalesce(toString(u.name), u.id)],
        minimum: $branch_min_full_members,
        own_branch_units: [u IN own | u.id],
        own_branch_unit_names: [u IN own | coalesce(toString(u.name), u.id)]} AS evidence
ORDER BY o.id
