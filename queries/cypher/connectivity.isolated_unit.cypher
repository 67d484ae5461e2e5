// connectivity.isolated_unit (severity high)
// Finds: health institutions that no working tie reaches.
// Spec: a health institution with no edge in the unit network (other institutions
// without edges are not findings; section 6: every active link row other than a
// contact joins every pair of distinct institutions its endpoints map to; an
// institution maps to itself, a member to its workplace, a party org to the
// institutions it covers; the united-front kinds are no units).
// Computed in Cypher: the link rows touching an institution I are those with an
// endpoint that maps to I (I itself, a member working at I, an org covering I); the
// neighbours of I are the other institutions those rows map to.
// `link_to`/`link_reason`: the partner to tie it to: its parent_id institution
// ('parent'), else the connected institution of its region with the highest level,
// then the smallest id ('region'), else null; `names`: [id, name] pairs of the subject
// and the partner (a map once converted).  queries.neo4j_checks computes this check
// from the unit-network projection (one projection for all connectivity checks); this
// query gives the same hits in Neo4j Browser.
// Parameters: $dataset, $level_rank (level key -> order, village 0 ... province 4),
//   $health_kinds (schema.HEALTH_KINDS), $united_front_kinds (schema.UNITED_FRONT_KINDS).
// Returns: subject [institution id], evidence (map).
// Evidence keys: names, kind, level, link_to, link_reason
MATCH (d:OrgnetDataset {name: $dataset})
MATCH (i:Institution {graph: d.graph})
WHERE NOT i.kind IN $united_front_kinds
UNWIND [i] + [(m:Member)-[:WORKS_AT]->(i) | m] + [(o:PartyOrg)-[:COVERS]->(i) | o] AS e
OPTIONAL MATCH (e)-[r:REFERRAL|PAIRING|LIAISON|ASSISTANCE|CONSULTATION|OUTREACH|OTHER_LINK]-(f)
WHERE coalesce(r.count, 1) <> 0
WITH i,
     CASE WHEN r IS NULL THEN [] ELSE
       CASE
         WHEN e:Institution THEN [u IN [e] WHERE NOT u.kind IN $united_front_kinds | u.id]
         WHEN e:Member THEN [(e)-[:WORKS_AT]->(x:Institution)
                              WHERE NOT x.kind IN $united_front_kinds | x.id]
         WHEN e:PartyOrg THEN [(e)-[:COVERS]->(x:Institution)
                                WHERE NOT x.kind IN $united_front_kinds | x.id]
         ELSE []
       END +
       CASE
         WHEN f:Institution THEN [u IN [f] WHERE NOT u.kind IN $united_front_kinds | u.id]
         WHEN f:Member THEN [(f)-[:WORKS_AT]->(x:Institution)
                              WHERE NOT x.kind IN $united_front_kinds | x.id]
         WHEN f:PartyOrg THEN [(f)-[:COVERS]->(x:Institution)
                                WHERE NOT x.kind IN $united_front_kinds | x.id]
         ELSE []
       END
     END AS units
WITH i, collect(units) AS unit_lists
WITH i, any(l IN unit_lists WHERE any(u IN l WHERE u <> i.id)) AS connected
WITH collect({node: i, connected: connected}) AS institutions
UNWIND institutions AS row
WITH institutions, row.node AS i, row.connected AS connected
WHERE NOT connected AND i.kind IN $health_kinds
OPTIONAL MATCH (i)-[:BELONGS_TO]->(parent:Institution)
WHERE NOT parent.kind IN $united_front_kinds
WITH i, parent,
     reduce(best = null, n IN [row IN institutions
                               WHERE row.connected AND i.region_id IS NOT NULL
                                 AND row.node.region_id = i.region_id | row.node] |
       CASE WHEN best IS NULL
              OR $level_rank[n.level] > $level_rank[best.level]
              OR ($level_rank[n.level] = $level_rank[best.level] AND n.id < best.id)
            THEN n ELSE best END) AS peer
WITH i, coalesce(parent, peer) AS target,
     CASE WHEN parent IS NOT NULL THEN 'parent' WHEN peer IS NOT NULL THEN 'region' END AS reason
RETURN [i.id] AS subject,
       {names: [[i.id, i.name]] + CASE WHEN target IS NULL THEN [] ELSE [[target.id, target.name]] END,
        kind: i.kind, level: i.level, link_to: target.id, link_reason: reason} AS evidence
ORDER BY i.id
