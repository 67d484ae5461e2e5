// structure.joint_branch_too_wide (severity low)
// Finds: joint branches spread over too many institutions.
// Spec: a joint_branch listing more than $joint_branch_max_units institutions;
// 《中国共产党支部工作条例（试行）》 第五条.
// Parameters: $dataset, $joint_branch_max_units.
// Returns: subject [org id], evidence {name, units, institutions (sorted ids)}.
MATCH (d:OrgnetDataset {name: $dataset})
MATCH (o:PartyOrg {graph: d.graph})-[:COVERS]->(i:Institution)
WHERE o.kind = 'joint_branch'
WITH o, i ORDER BY i.id
WITH o, collect(DISTINCT i.id) AS institutions
WHERE size(institutions) > $joint_branch_max_units
RETURN [o.id] AS subject,
       {name: o.name, units: size(institutions), institutions: institutions} AS evidence
ORDER BY o.id
