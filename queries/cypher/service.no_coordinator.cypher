// service.no_coordinator (severity low)
// Finds: services without a party organization acting as coordination interface.
// Spec: a services row with no `coordinator_org_id`.
// `row`: the services row; `org`: the org covering the institution to name (branch tier
// first, then general branch, committee, group; then id), or null.
// Parameters: $dataset, $org_join_rank (org kind -> join preference, 0 first).
// Returns: subject [institution id, stage], evidence (map).
// Evidence keys: name, stage, row, org, org_name
MATCH (d:OrgnetDataset {name: $dataset})
MATCH (i:Institution {graph: d.graph})-[p:PROVIDES]->(s:Stage)
WHERE p.coordinator_org_id IS NULL OR p.coordinator_org_id = ''
WITH i, s, p,
     reduce(best = null, c IN [(c1:PartyOrg)-[:COVERS]->(i) | c1] |
       CASE WHEN best IS NULL
              OR $org_join_rank[c.kind] < $org_join_rank[best.kind]
              OR ($org_join_rank[c.kind] = $org_join_rank[best.kind] AND c.id < best.id)
            THEN c ELSE best END) AS org
RETURN [i.id, s.id] AS subject,
       {name: coalesce(toString(i.name), i.id), stage: s.id, row: p.row,
        org: org.id, org_name: coalesce(toString(org.name), org.id)} AS evidence
ORDER BY i.id, s.id, p.row
