// structure.community_not_unified (severity high)
// Finds: institutions of a medical community whose party organizations are not
// led by the community's own organization.
// Spec: in a medical community (an institution R with no parent and at least one
// institution below it), a covered institution X below R none of whose covering orgs
// is, or reports (through the party hierarchy) to, a committee, general_branch or
// branch covering R; skipped where none covers R.
// Parameters: $dataset, $own_branch_kinds (schema.OWN_BRANCH_KINDS).
// Returns: subject [X], evidence {name, community, community_name, orgs (sorted ids of
// the orgs covering X)}.
MATCH (d:OrgnetDataset {name: $dataset})
MATCH (r:Institution {graph: d.graph})
WHERE NOT EXISTS { (r)-[:BELONGS_TO]->(:Institution) }
WITH r, [(c:PartyOrg)-[:COVERS]->(r) WHERE c.kind IN $own_branch_kinds | c] AS leads
WHERE size(leads) > 0
MATCH (x:Institution)-[:BELONGS_TO*1..]->(r)
WHERE EXISTS { (:PartyOrg)-[:COVERS]->(x) }
  AND NOT EXISTS {
    MATCH (o:PartyOrg)-[:COVERS]->(x)
    MATCH (o)-[:REPORTS_TO*0..]->(lead:PartyOrg)
    WHERE lead IN leads
  }
MATCH (o:PartyOrg)-[:COVERS]->(x)
WITH r, x, o ORDER BY o.id
WITH r, x, collect(DISTINCT o.id) AS orgs
RETURN [x.id] AS subject,
       {name: x.name, community: r.id, community_name: r.name, orgs: orgs} AS evidence
ORDER BY x.id
