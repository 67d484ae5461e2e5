// summary.united_front: one row per representative figure with the facts behind the
// united-front summary figures (spec 7b; queries.united_front.summary_from_facts):
// `contacted`: an active contact (count > 0) ends at it (联系率); `township`: the
// township-level region it works in (see united_front.township_without_station) and
// `township_has_station`: a united_front_station has that region or one below it as
// region_id (联络站覆盖率); `county`: the county-level region at or above its
// workplace's region; `township_county`: the county-level region at or above the township.
// Parameters: $dataset, $non_party_statuses (schema.NON_PARTY_STATUSES).
// Returns: id, contacted, county, county_name, township, township_county,
//   township_county_name, township_has_station.
MATCH (d:OrgnetDataset {name: $dataset})
MATCH (m:Member {graph: d.graph})
WHERE m.status IN $non_party_statuses AND 'representative' IN coalesce(m.roles, [])
OPTIONAL MATCH up = (m)-[:WORKS_AT]->(:Institution)-[:BELONGS_TO*0..]->(:Institution)
                    -[:IN_REGION]->(r:Region)
WITH m, r ORDER BY length(up)
WITH m, collect(r)[0] AS region
OPTIONAL MATCH tp = (region)-[:PART_OF_REGION*0..]->(t:Region {level: 'township'})
WITH m, region, t ORDER BY length(tp)
WITH m, region, collect(t)[0] AS township
OPTIONAL MATCH cp = (region)-[:PART_OF_REGION*0..]->(c:Region {level: 'county'})
WITH m, township, c ORDER BY length(cp)
WITH m, township, collect(c)[0] AS county
OPTIONAL MATCH tcp = (township)-[:PART_OF_REGION*0..]->(tc:Region {level: 'county'})
WITH m, township, county, tc ORDER BY length(tcp)
WITH m, township, county, collect(tc)[0] AS township_county
RETURN m.id AS id,
       EXISTS { ()-[r:CONTACT]->(m) WHERE coalesce(r.count, 1) <> 0 } AS contacted,
       county.id AS county, coalesce(toString(county.name), county.id) AS county_name,
       township.id AS township, township_county.id AS township_county,
       coalesce(toString(township_county.name), township_county.id) AS township_county_name,
       township IS NOT NULL AND EXISTS {
         (:Institution {kind: 'united_front_station'})-[:IN_REGION]->(:Region)
           -[:PART_OF_REGION*0..]->(township)
       } AS township_has_station
ORDER BY id
