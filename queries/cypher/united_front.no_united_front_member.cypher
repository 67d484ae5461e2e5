// united_front.no_united_front_member (severity medium)
// Finds: party committees responsible for representative figures that have no
// united-front committee member or officer (统战委员, 统战干事).
// Spec (7b): a committee or working_committee that is the responsible committee of at
// least one representative and has no member whose `org_id` is that org and whose roles
// include united_front_member or united_front_officer.  A representative's responsible
// committees: for each org covering the institution where it works, the nearest org of
// kind committee or working_committee at or above it through parent_id.
// `representatives`: how many representatives it is responsible for.
// Parameters: $dataset, $non_party_statuses, $united_front_committee_kinds,
//   $united_front_roles (schema.UNITED_FRONT_ROLES).
// Returns: subject [org id], evidence (map).
// Evidence keys: name, kind, representatives
MATCH (d:OrgnetDataset {name: $dataset})
MATCH (m:Member {graph: d.graph})-[:WORKS_AT]->(place:Institution)
WHERE m.status IN $non_party_statuses AND 'representative' IN coalesce(m.roles, [])
MATCH (o:PartyOrg)-[:COVERS]->(place)
MATCH up = (o)-[:REPORTS_TO*0..]->(c:PartyOrg)
WHERE c.kind IN $united_front_committee_kinds
WITH m, o, c ORDER BY length(up)
WITH m, o, collect(c)[0] AS committee
WITH DISTINCT m, committee
WITH committee, count(m) AS representatives
WHERE NOT EXISTS {
  (x:Member)-[:MEMBER_OF]->(committee)
  WHERE any(role IN coalesce(x.roles, []) WHERE role IN $united_front_roles)
}
RETURN [committee.id] AS subject,
       {name: coalesce(toString(committee.name), committee.id), kind: committee.kind,
        representatives: representatives} AS evidence
ORDER BY committee.id
