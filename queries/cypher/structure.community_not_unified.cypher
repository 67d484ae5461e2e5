// structure.community_not_unified (severity high)
// Finds: institutions of a medical community whose party organizations are not
// led by the community's own organization.
// Spec: in a medical community (an institution R with no parent and at least one
// institution below it), a covered institution X below R none of whose covering orgs
// is, or reports (through the party hierarchy) to, a committee, general_branch or
// branch covering R (the leaders); skipped where none covers R.
// `orgs`: the orgs covering X (by id, `org_kinds` their kinds); `target`: the leader they should report to
// (highest tier first, then id).
// Parameters: $dataset, $own_branch_kinds (schema.OWN_BRANCH_KINDS), $org_tiers (org
//   kind -> tier, 0 top).
// Returns: subject [X], evidence (map).
// Evidence keys: name, kind, community, community_name, orgs, org_names, org_kinds, target, target_name
MATCH (d:OrgnetDataset {name: $dataset})
MATCH (r:Institution {graph: d.graph})
WHERE NOT EXISTS { (r)-[:BELONGS_TO]->(:Institution) }
OPTIONAL MATCH (lead:PartyOrg)-[:COVERS]->(r)
WHERE lead.kind IN $own_branch_kinds
WITH r, lead ORDER BY $org_tiers[lead.kind], lead.id
WITH r, collect(lead) AS leaders
WHERE size(leaders) > 0
MATCH (x:Institution)-[:BELONGS_TO*1..]->(r)
WHERE EXISTS { (:PartyOrg)-[:COVERS]->(x) }
  AND NOT EXISTS {
    MATCH (c:PartyOrg)-[:COVERS]->(x)
    MATCH (c)-[:REPORTS_TO*0..]->(l:PartyOrg)
    WHERE l IN leaders
  }
MATCH (c:PartyOrg)-[:COVERS]->(x)
WITH DISTINCT r, leaders, x, c ORDER BY c.id
WITH r, leaders, x, collect(c) AS orgs
RETURN [x.id] AS subject,
       {name: coalesce(toString(x.name), x.id), kind: x.kind,
        community: r.id, community_name: coalesce(toString(r.name), r.id),
        orgs: [c IN orgs | c.id], org_names: [c IN orgs | coalesce(toString(c.name), c.id)],
        org_kinds: [c IN orgs | c.kind],
        target: leaders[0].id,
        target_name: coalesce(toString(leaders[0].name), leaders[0].id)} AS evidence
ORDER BY x.id
