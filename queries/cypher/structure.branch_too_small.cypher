// structure.branch_too_small (severity medium)
// Finds: branches below the size at which a branch should be set up.
// Spec: a branch or joint_branch with fewer than $branch_min_full_members full members
// (members whose `org_id` is the org or any org below it);
// 《中国共产党支部工作条例（试行）》 第五条.
// Suggestion facts: `neighbours`, up to 3 other branches and joint branches covering an
// institution (not covered by this org) that has the same parent_id or the same
// region as an institution this org covers; ranked: reached through a shared region
// first, then fewest full members (at or below them), then id; `neighbour_full_members`
// their full member counts; `parent`, the org it reports to.
// Parameters: $dataset, $branch_kinds (schema.BRANCH_KINDS), $branch_min_full_members.
// Returns: subject [org id], evidence (map).
// Evidence keys: name, kind, full_members, minimum, neighbours, neighbour_names, neighbour_full_members, parent, parent_name
MATCH (d:OrgnetDataset {name: $dataset})
MATCH (o:PartyOrg {graph: d.graph})
WHERE o.kind IN $branch_kinds
WITH o, COUNT {
  (m:Member)-[:MEMBER_OF]->(:PartyOrg)-[:REPORTS_TO*0..]->(o) WHERE m.status = 'full'
} AS full_members
WHERE full_members < $branch_min_full_members
OPTIONAL MATCH (o)-[:COVERS]->(:Institution)-[:BELONGS_TO|IN_REGION]->(shared)
               <-[:BELONGS_TO|IN_REGION]-(y:Institution)<-[:COVERS]-(n:PartyOrg)
WHERE n <> o AND n.kind IN $branch_kinds AND NOT EXISTS { (o)-[:COVERS]->(y) }
WITH DISTINCT o, full_members, n, y
WITH o, full_members, n,
     min(CASE WHEN y IS NULL THEN 1
              WHEN EXISTS { (o)-[:COVERS]->(:Institution)-[:IN_REGION]->(:Region)<-[:IN_REGION]-(y) }
              THEN 0 ELSE 1 END) AS away
WITH o, full_members, n, away,
     CASE WHEN n IS NULL THEN 0 ELSE COUNT {
       (m:Member)-[:MEMBER_OF]->(:PartyOrg)-[:REPORTS_TO*0..]->(n) WHERE m.status = 'full'
     } END AS their_full
ORDER BY away, their_full, n.id
WITH o, full_members,
     collect(CASE WHEN n IS NOT NULL THEN {org: n, full: their_full} END)[0..3] AS neighbours
OPTIONAL MATCH (o)-[:REPORTS_TO]->(p:PartyOrg)
RETURN [o.id] AS subject,
       {name: coalesce(toString(o.name), o.id), kind: o.kind,
        full_members: full_members, minimum: $branch_min_full_members,
        neighbours: [n IN neighbours | n.org.id],
        neighbour_names: [n IN neighbours | coalesce(toString(n.org.name), n.org.id)],
        neighbour_full_members: [n IN neighbours | n.full],
        parent: p.id, parent_name: coalesce(toString(p.name), p.id)} AS evidence
ORDER BY o.id
