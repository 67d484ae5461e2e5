// unit_network: the projection of the unit network (spec section 6), as columns: ONE
// row whose lists hold, position by position, every active link row (count <> 0) in
// links-table order.
// Each endpoint maps to institutions: an institution to itself, a member to its
// workplace (WORKS_AT), a party org to the institutions it covers (COVERS); the
// united-front kinds (united_front_station, association) are no units, and `contact`
// links (CONTACT) add no edges, so neither is matched.
// queries.neo4j_checks joins every pair of distinct institutions of a row into an
// undirected edge that remembers the row (link_index) and its member endpoints, which
// gives exactly graphmodel.embedded.unit_network.
// Columns rather than a row per link: a million link rows then cross the wire as four
// lists, which the driver decodes several times faster than as a million records.
// Parameters: $dataset, $united_front_kinds (schema.UNITED_FRONT_KINDS: no units).
// Returns: link_index (list of link indices), source_units and target_units (for each
// of them, the list of institution ids of that end), members ([link_index, [[id, name],
// ...]] for each link row with a member endpoint).
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
