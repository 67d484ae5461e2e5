// united_front.station_chain_broken (severity low)
// Finds: village united-front stations that hang under no township station (the
// 乡镇—村—网格 network is broken).
// Spec (7b): a united_front_station whose level is village and whose parent_id is empty
// or names an institution that is not a township-level united_front_station.
// `parent*`: its parent_id institution (or null); `station`: the township-level station
// to hang it under: one whose nearest township-level region (at or above its region_id)
// is that of this station's region_id; smallest id; or null.
// Parameters: $dataset.
// Returns: subject [station id], evidence (map).
// Evidence keys: name, parent, parent_name, parent_kind, parent_level, station, station_name
MATCH (d:OrgnetDataset {name: $dataset})
MATCH (s:Institution {graph: d.graph, kind: 'united_front_station', level: 'village'})
OPTIONAL MATCH (s)-[:BELONGS_TO]->(p:Institution)
WITH s, p
WHERE p IS NULL OR NOT (p.kind = 'united_front_station' AND p.level = 'township')
OPTIONAL MATCH tp = (s)-[:IN_REGION]->(:Region)-[:PART_OF_REGION*0..]->(t:Region {level: 'township'})
WITH s, p, t ORDER BY length(tp)
WITH s, p, collect(t)[0] AS township
// The candidates are found from `township` downwards (its own region subtree, down to
// the next township-level region), not by finding the township of every township
// station of the dataset for each broken station.
OPTIONAL MATCH down = (township)<-[:PART_OF_REGION*0..]-(:Region)
                      <-[:IN_REGION]-(x:Institution {kind: 'united_front_station', level: 'township'})
WHERE all(r IN nodes(down)[1..-1] WHERE NOT coalesce(r.level = 'township', false))
WITH s, p, x ORDER BY x.id
WITH s, p, collect(x)[0] AS target
RETURN [s.id] AS subject,
       {name: coalesce(toString(s.name), s.id),
        parent: p.id, parent_name: coalesce(toString(p.name), p.id),
        parent_kind: p.kind, parent_level: p.level,
        station: target.id, station_name: coalesce(toString(target.name), target.id)} AS evidence
ORDER BY s.id
