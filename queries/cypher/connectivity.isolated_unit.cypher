// connectivity.isolated_unit (severity high)
// Finds: institutions that no working tie reaches.
// Spec: an institution with no edge in the unit network (section 6: every active link
// row joins every pair of distinct institutions its endpoints map to; an institution
// maps to itself, a member to its workplace, a party org to the institutions it covers).
// Computed in Cypher: the link rows touching an institution I are those with an
// endpoint that maps to I (I itself, a member working at I, an org covering I); I has
// an edge when such a row also maps to another institution.
// Parameters: $dataset.
// Returns: subject [institution id], evidence {name, kind, level}.
MATCH (d:OrgnetDataset {name: $dataset})
MATCH (i:Institution {graph: d.graph})
UNWIND [i] + [(m:Member)-[:WORKS_AT]->(i) | m] + [(o:PartyOrg)-[:COVERS]->(i) | o] AS e
OPTIONAL MATCH (e)-[r:REFERRAL|PAIRING|LIAISON|ASSISTANCE|CONSULTATION|OUTREACH|OTHER_LINK]-(f)
WHERE coalesce(r.count, 1) <> 0
WITH i,
     CASE WHEN r IS NULL THEN [] ELSE
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
       END
     END AS units
WITH i, collect(units) AS unit_lists
WHERE all(l IN unit_lists WHERE all(u IN l WHERE u = i.id))
RETURN [i.id] AS subject,
       {name: i.name, kind: i.kind, level: i.level} AS evidence
ORDER BY i.id
