// connectivity.single_link_unit (severity low)
// Finds: institutions tied to the rest of the network through one neighbour only.
// Spec: an institution with exactly one neighbour in the unit network (section 6).
// Computed in Cypher as in connectivity.isolated_unit: the neighbours of I are the
// other institutions that the link rows touching I map to.
// Parameters: $dataset.
// Returns: subject [institution id], evidence {name, neighbour, neighbour_name}.
MATCH (d:OrgnetDataset {name: $dataset})
MATCH (i:Institution {graph: d.graph})
UNWIND [i] + [(m:Member)-[:WORKS_AT]->(i) | m] + [(o:PartyOrg)-[:COVERS]->(i) | o] AS e
MATCH (e)-[r:REFERRAL|PAIRING|LIAISON|ASSISTANCE|CONSULTATION|OUTREACH|OTHER_LINK]-(f)
WHERE coalesce(r.count, 1) <> 0
UNWIND
  CASE
    WHEN e:Institution THEN [e.id]
    WHEN e:Member THEN [(e)-[:WORKS_AT]->(x:Institution) | x.id]
    WHEN e:PartyOrg THEN [(e)-[:COVERS]->(x:Institution) | x.id]
    ELSE []
  END +
  CASE
    WHEN f:Institution THEN [f.id]
    WHEN f:Member THEN [(f)-[:WORKS_AT]->(x:Institution) | x.id]
    WHEN f:PartyOrg THEN [(f)-[:COVERS]->(x:Institution) | x.id]
    ELSE []
  END AS unit
WITH i, unit WHERE unit <> i.id
WITH i, collect(DISTINCT unit) AS neighbours
WHERE size(neighbours) = 1
MATCH (n:Institution {graph: i.graph, id: neighbours[0]})
RETURN [i.id] AS subject,
       {name: i.name, neighbour: n.id, neighbour_name: n.name} AS evidence
ORDER BY i.id
