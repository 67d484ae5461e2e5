// connectivity.single_link_unit (severity low)
// Finds: institutions tied to the rest of the network through one neighbour only.
// Spec: an institution with exactly one neighbour in the unit network (section 6).
// Computed in Cypher as in connectivity.isolated_unit: the neighbours of I are the
// other institutions that the link rows touching I map to.
// `links`: the sorted link indices of the one edge; `link_to`: a second partner: its
// parent_id institution if that is not the neighbour, else the neighbour's parent_id
// institution if that is not I, else null; `names`: [id, name] pairs of I, the
// neighbour and link_to (a map once converted).  queries.neo4j_checks computes this
// check from the unit-network projection (one projection for all connectivity checks);
// this query gives the same hits in Neo4j Browser.
// Parameters: $dataset, $united_front_kinds (schema.UNITED_FRONT_KINDS: no units).
// Returns: subject [institution id], evidence (map).
// Evidence keys: neighbour, links, link_to, names
MATCH (d:OrgnetDataset {name: $dataset})
MATCH (i:Institution {graph: d.graph})
WHERE NOT i.kind IN $united_front_kinds
UNWIND [i] + [(m:Member)-[:WORKS_AT]->(i) | m] + [(o:PartyOrg)-[:COVERS]->(i) | o] AS e
MATCH (e)-[r:REFERRAL|PAIRING|LIAISON|ASSISTANCE|CONSULTATION|OUTREACH|OTHER_LINK]-(f)
WHERE coalesce(r.count, 1) <> 0
WITH i, r.link_index AS link_index,
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
     END AS units
UNWIND units AS unit
WITH DISTINCT i, link_index, unit
WHERE unit <> i.id
WITH i, link_index, unit ORDER BY link_index
WITH i, collect(unit) AS neighbours, collect(link_index) AS links
WHERE all(unit IN neighbours WHERE unit = neighbours[0])
MATCH (n:Institution {graph: i.graph, id: neighbours[0]})
OPTIONAL MATCH (i)-[:BELONGS_TO]->(own_parent:Institution)
WHERE NOT own_parent.kind IN $united_front_kinds
OPTIONAL MATCH (n)-[:BELONGS_TO]->(their_parent:Institution)
WHERE NOT their_parent.kind IN $united_front_kinds
WITH i, n, links,
     CASE WHEN own_parent IS NOT NULL AND own_parent <> n THEN own_parent
          WHEN their_parent IS NOT NULL AND their_parent <> i THEN their_parent END AS target
RETURN [i.id] AS subject,
       {neighbour: n.id, links: links,
        link_to: target.id,
        names: [[i.id, i.name], [n.id, n.name]]
               + CASE WHEN target IS NULL THEN [] ELSE [[target.id, target.name]] END} AS evidence
ORDER BY i.id
