// unit_network: the projection of the unit network (spec section 6), one row per
// active link row (count <> 0), in links-table order.
// Each endpoint maps to institutions: an institution to itself, a member to its
// workplace (WORKS_AT), a party org to the institutions it covers (COVERS); the
// united-front kinds (united_front_station, association) are no units, and `contact`
// links (CONTACT) add no edges, so neither is matched.
// queries.neo4j_checks joins every pair of distinct institutions of a row into an
// undirected edge that remembers the row (link_index) and its member endpoints, which
// gives exactly graphmodel.embedded.unit_network.
// Parameters: $dataset, $united_front_kinds (schema.UNITED_FRONT_KINDS: no units).
// Returns: link_index, source_units, target_units (institution ids), members (ids of
// the endpoints that are members, as {id, name} maps).
MATCH (d:OrgnetDataset {name: $dataset})
MATCH (a:Institution|Member|PartyOrg {graph: d.graph})
      -[r:REFERRAL|PAIRING|LIAISON|ASSISTANCE|CONSULTATION|OUTREACH|OTHER_LINK]->(b)
WHERE coalesce(r.count, 1) <> 0
RETURN r.link_index AS link_index,
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
       [e IN [a, b] WHERE e:Member | {id: e.id, name: e.name}] AS members
ORDER BY link_index
