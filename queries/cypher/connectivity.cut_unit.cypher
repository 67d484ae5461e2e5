// connectivity.cut_unit (severity medium)
// Finds: institutions whose loss splits the network (articulation points).
// Spec: an articulation point of the unit network; `evidence.cut_off` is the number of
// institutions that lose their path to the largest remaining part when it is removed.
// Standard Cypher (no APOC, no GDS) cannot compute articulation points, so this file
// is the projection of the unit network (the same query as unit_network.cypher):
// queries.neo4j_checks rebuilds the network client-side from these columns and runs
// queries.connectivity.cut_unit_hits on it.
// Parameters: $dataset, $united_front_kinds (schema.UNITED_FRONT_KINDS: no units).
// Returns: one row of the columns link_index, source_units, target_units, members
// (see unit_network.cypher).
MATCH (d:OrgnetDataset {name: $dataset})
MATCH (a:Institution|Member|PartyOrg {graph: d.graph})
      -[r:REFERRAL|PAIRING|LIAISON|ASSISTANCE|CONSULTATION|OUTREACH|OTHER_LINK]->(b)
WHERE coalesce(r.count, 1) <> 0
WITH r.link_index AS link_index,
     CASE
       WHEN a:Institution THEN [u IN [a] WHERE NOT u.kind IN $united_front_kinds | u.id]
       WHEN a:Member THEN [(a)-[:WORKS_AT]->(x:Institution)
                           WHERE NOT x.kind IN $united_front_kinds | x.id]
       WHEN a:PartyOrg THEN [(a)-[:COVERS]->(x:Institution)
                             WHERE NOT x.kind IN $united_front_kinds | x.id]
       ELSE []
     END AS source_units,
     CASE
       WHEN b:Institution THEN [u IN [b] WHERE NOT u.kind IN $united_front_kinds | u.id]
       WHEN b:Member THEN [(b)-[:WORKS_AT]->(x:Institution)
                           WHERE NOT x.kind IN $united_front_kinds | x.id]
       WHEN b:PartyOrg THEN [(b)-[:COVERS]->(x:Institution)
                             WHERE NOT x.kind IN $united_front_kinds | x.id]
       ELSE []
     END AS target_units,
     [e IN [a, b] WHERE e:Member | [e.id, e.name]] AS members
ORDER BY link_index
RETURN collect(link_index) AS link_index,
       collect(source_units) AS source_units,
       collect(target_units) AS target_units,
       collect(CASE WHEN size(members) > 0 THEN [link_index, members] END) AS members
