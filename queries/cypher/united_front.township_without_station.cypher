// united_front.township_without_station (severity medium)
// Finds: townships where representative figures work and no united-front liaison
// station (乡镇统战工作联络站) has been set up.
// Spec (7b): a township-level region in which a representative works, and no
// united_front_station has that region, or a region below it, as its region_id.  A
// representative works in the township-level region at or above (through the regions'
// parent_id) the region of its workplace: the workplace's region_id, or that of the
// nearest institution above it through parent_id that has one.
// `representatives`: how many work there; `county`: the county-level region at or
// above the township (or null).
// Parameters: $dataset, $non_party_statuses (schema.NON_PARTY_STATUSES).
// Returns: subject [region id], evidence (map).
// Evidence keys: name, representatives, county, county_name
MATCH (d:OrgnetDataset {name: $dataset})
MATCH (m:Member {graph: d.graph})-[:WORKS_AT]->(place:Institution)
WHERE m.status IN $non_party_statuses AND 'representative' IN coalesce(m.roles, [])
MATCH up = (place)-[:BELONGS_TO*0..]->(:Institution)-[:IN_REGION]->(r:Region)
WITH m, r ORDER BY length(up)
WITH m, collect(r)[0] AS region
MATCH tp = (region)-[:PART_OF_REGION*0..]->(t:Region {level: 'township'})
WITH m, t ORDER BY length(tp)
WITH m, collect(t)[0] AS township
WITH township, count(m) AS representatives
WHERE NOT EXISTS {
  (:Institution {kind: 'united_front_station'})-[:IN_REGION]->(:Region)
    -[:PART_OF_REGION*0..]->(township)
}
OPTIONAL MATCH cp = (township)-[:PART_OF_REGION*0..]->(c:Region {level: 'county'})
WITH township, representatives, c ORDER BY length(cp)
WITH township, representatives, collect(c)[0] AS county
RETURN [township.id] AS subject,
       {name: coalesce(toString(township.name), township.id),
        representatives: representatives,
        county: county.id, county_name: coalesce(toString(county.name), county.id)} AS evidence
ORDER BY township.id
