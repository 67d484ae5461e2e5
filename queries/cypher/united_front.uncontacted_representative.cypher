// united_front.uncontacted_representative (severity medium)
// Finds: representative non-party figures (党外代表人士) no one keeps in touch with.
// Spec (7b): a representative figure (status non_party, democratic_party or independent,
// roles include representative) that no active `contact` link (count > 0) ends at.
// Suggestion facts: the workplace (`institution`), the first (smallest id) of its
// responsible committees (`committee`: for each org covering the workplace, the nearest
// committee or working_committee at or above it through parent_id) and
// `inactive_contacts`, the contact rows with count 0 ending at it.
// Parameters: $dataset, $non_party_statuses (schema.NON_PARTY_STATUSES),
//   $united_front_committee_kinds (schema.UNITED_FRONT_COMMITTEE_KINDS).
// Returns: subject [member id], evidence (map).
// Evidence keys: name, status, affiliation, institution, institution_name, committee, committee_name, inactive_contacts
MATCH (d:OrgnetDataset {name: $dataset})
MATCH (m:Member {graph: d.graph})
WHERE m.status IN $non_party_statuses AND 'representative' IN coalesce(m.roles, [])
  AND NOT EXISTS { ()-[r:CONTACT]->(m) WHERE coalesce(r.count, 1) <> 0 }
OPTIONAL MATCH (m)-[:WORKS_AT]->(w:Institution)
WITH m, w ORDER BY w.id
WITH m, collect(w)[0] AS place
OPTIONAL MATCH (o:PartyOrg)-[:COVERS]->(place)
OPTIONAL MATCH up = (o)-[:REPORTS_TO*0..]->(c:PartyOrg)
WHERE c.kind IN $united_front_committee_kinds
WITH m, place, o, c ORDER BY length(up)
WITH m, place, o, collect(c)[0] AS nearest
WITH m, place, collect(nearest) AS committees
WITH m, place,
     reduce(best = null, c IN committees |
       CASE WHEN best IS NULL OR c.id < best.id THEN c ELSE best END) AS committee
RETURN [m.id] AS subject,
       {name: coalesce(toString(m.name), m.id), status: m.status,
        affiliation: toString(m.affiliation),
        institution: place.id, institution_name: coalesce(toString(place.name), place.id),
        committee: committee.id,
        committee_name: coalesce(toString(committee.name), committee.id),
        inactive_contacts: COUNT { ()-[r:CONTACT]->(m) WHERE coalesce(r.count, 1) = 0 }} AS evidence
ORDER BY m.id
