// service.stage_gap (severity high)
// Finds: service areas where a stage of the maternal and child life-cycle chain has
// no provider.
// Spec: a service area with services recorded where a life-cycle stage has no
// provider; the area is the county-level region above the institution's region
// (the region itself when it is county-level), else the top of its parent_id chain.
// `area_label`: Region or Institution; `provided`: the stages the area has, in
// life-cycle order; `candidates`: up to 3 health institutions of the area whose kind is
// listed for the stage in schema.STAGE_PROVIDER_KINDS, most suitable kind first, then id.
// Parameters: $dataset, $stages (schema.STAGES, in life-cycle order), $health_kinds,
//   $stage_provider_kinds (stage -> kinds, most suitable first), $entity_labels.
// Returns: subject [area id, stage], evidence (map).
// Evidence keys: area_name, area_label, stage, provided, candidates, candidate_names
MATCH (d:OrgnetDataset {name: $dataset})
MATCH (i:Institution {graph: d.graph})
WHERE i.kind IN $health_kinds OR EXISTS { (i)-[:PROVIDES]->(:Stage) }
OPTIONAL MATCH cp = (i)-[:IN_REGION]->(:Region)-[:PART_OF_REGION*0..]->(c:Region {level: 'county'})
WITH i, c ORDER BY length(cp)
WITH i, collect(c)[0] AS county
OPTIONAL MATCH (i)-[:BELONGS_TO*0..]->(top:Institution)
WHERE NOT EXISTS { (top)-[:BELONGS_TO]->(:Institution) }
WITH coalesce(county, top) AS area, i
WITH area, collect(i) AS institutions
WITH area, institutions,
     reduce(acc = [], i IN institutions | acc + [(i)-[:PROVIDES]->(s:Stage) | s.id]) AS present
WHERE size(present) > 0
UNWIND [stage IN $stages WHERE NOT stage IN present] AS stage
WITH area, present, stage,
     [i IN institutions WHERE i.kind IN $health_kinds
                          AND i.kind IN coalesce($stage_provider_kinds[stage], [])] AS suitable
UNWIND CASE WHEN size(suitable) = 0 THEN [null] ELSE suitable END AS candidate
WITH area, present, stage, candidate,
     [k IN range(0, size(coalesce($stage_provider_kinds[stage], [])) - 1)
        WHERE $stage_provider_kinds[stage][k] = candidate.kind][0] AS suitability
ORDER BY suitability, candidate.id
WITH area, present, stage, collect(candidate)[0..3] AS candidates
RETURN [area.id, stage] AS subject,
       {area_name: coalesce(toString(area.name), area.id),
        area_label: [label IN labels(area) WHERE label IN $entity_labels][0],
        stage: stage,
        provided: [s IN $stages WHERE s IN present],
        candidates: [c IN candidates | c.id],
        candidate_names: [c IN candidates | coalesce(toString(c.name), c.id)]} AS evidence
ORDER BY area.id, stage
