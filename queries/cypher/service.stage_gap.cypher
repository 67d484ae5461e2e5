// service.stage_gap (severity high)
// Finds: service areas where a stage of the maternal and child life-cycle chain has
// no provider.
// Spec: a service area with services recorded where a life-cycle stage has no
// provider; the area is the county-level region above the institution's region
// (the region itself when it is county-level), else the top of its `parent_id` chain.
// Parameters: $dataset, $stages (schema.STAGES, in life-cycle order).
// Returns: subject [area id, stage], evidence {area_name, stage}.
MATCH (d:OrgnetDataset {name: $dataset})
MATCH (i:Institution {graph: d.graph})-[:PROVIDES]->(s:Stage)
OPTIONAL MATCH p = (i)-[:IN_REGION]->(:Region)-[:PART_OF_REGION*0..]->(c:Region {level: 'county'})
WITH i, s, c, length(p) AS hops ORDER BY hops
WITH i, s, collect(c)[0] AS county
OPTIONAL MATCH (i)-[:BELONGS_TO*0..]->(top:Institution)
WHERE NOT EXISTS { (top)-[:BELONGS_TO]->(:Institution) }
WITH coalesce(county, top) AS area, s
WITH area, collect(DISTINCT s.id) AS provided
UNWIND $stages AS stage
WITH area, stage WHERE NOT stage IN provided
RETURN [area.id, stage] AS subject,
       {area_name: area.name, stage: stage} AS evidence
ORDER BY area.id
