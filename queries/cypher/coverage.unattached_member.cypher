// coverage.unattached_member (severity medium)
// Finds: party members whose membership is held by no organization.
// Spec: a full or probationary member with no `org_id`.
// Suggestion facts: the workplace (`institution`) and the org covering it to join
// (`org`: branch tier first, then general branch, committee, group; then id).
// Parameters: $dataset, $party_member_statuses (schema.PARTY_MEMBER_STATUSES),
//   $org_join_rank (org kind -> join preference, 0 first).
// Returns: subject [member id], evidence (map).
// Evidence keys: name, status, institution, institution_name, org, org_name
MATCH (d:OrgnetDataset {name: $dataset})
MATCH (m:Member {graph: d.graph})
WHERE m.status IN $party_member_statuses
  AND NOT EXISTS { (m)-[:MEMBER_OF]->(:PartyOrg) }
OPTIONAL MATCH (m)-[:WORKS_AT]->(w:Institution)
WITH m, w ORDER BY w.id
WITH m, collect(w)[0] AS place
WITH m, place,
     reduce(best = null, c IN CASE WHEN place IS NULL THEN []
                               ELSE [(c1:PartyOrg)-[:COVERS]->(place) | c1] END |
       CASE WHEN best IS NULL
              OR $org_join_rank[c.kind] < $org_join_rank[best.kind]
              OR ($org_join_rank[c.kind] = $org_join_rank[best.kind] AND c.id < best.id)
            THEN c ELSE best END) AS org
RETURN [m.id] AS subject,
       {name: coalesce(toString(m.name), m.id), status: m.status,
        institution: place.id, institution_name: coalesce(toString(place.name), place.id),
        org: org.id, org_name: coalesce(toString(org.name), org.id)} AS evidence
ORDER BY m.id
