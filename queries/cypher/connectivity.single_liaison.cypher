// connectivity.single_liaison (severity medium)
// Finds: institutions whose every tie depends on one person.
// Spec: an institution with edges, all of which come only from links that have one and
// the same member as an endpoint; `evidence.member` names that member.
// The check needs, per institution, the member endpoints common to every link row
// that produced one of its edges: queries.neo4j_checks rebuilds the unit network
// client-side from this projection (the same query as unit_network.cypher) and runs
// queries.connectivity.single_liaison_hits on it, so that it shares one projection
// with the other connectivity checks.
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
