// coverage.uncovered_institution (severity high)
// Finds: health institutions that no party organization covers.
// Spec: a health institution that no party org lists in `institution_ids`.
// Suggestion facts (queries.coverage.uncovered_institutions): the nearest institution
// up the parent_id chain covered by some org (`ancestor`) and the org to join there
// (`org`: branch tier first, then general branch, committee, group; then id); only when
// there is none: the township-level region holding the institution (`region`) and up
// to $joint_branch_max_units - 1 covered health institutions in or below it
// (`nearby`, own region first, then id) with the org each would join.
// Parameters: $dataset, $health_kinds (schema.HEALTH_KINDS), $org_join_rank (org kind ->
//   join preference, 0 first), $joint_branch_max_units.
// Returns: subject [institution id], evidence (map).
// Evidence keys: name, kind, level, ancestor, ancestor_name, org, org_name, org_kind, region, region_name, nearby, nearby_names, nearby_orgs, nearby_org_names
MATCH (d:OrgnetDataset {name: $dataset})
MATCH (i:Institution {graph: d.graph})
WHERE i.kind IN $health_kinds
  AND NOT EXISTS { (:PartyOrg)-[:COVERS]->(i) }
OPTIONAL MATCH up = (i)-[:BELONGS_TO*1..]->(a:Institution)
WHERE EXISTS { (:PartyOrg)-[:COVERS]->(a) }
WITH i, a ORDER BY length(up)
WITH i, collect(a)[0] AS ancestor
WITH i, ancestor,
     reduce(best = null, c IN CASE WHEN ancestor IS NULL THEN []
                               ELSE [(c1:PartyOrg)-[:COVERS]->(ancestor) | c1] END |
       CASE WHEN best IS NULL
              OR $org_join_rank[c.kind] < $org_join_rank[best.kind]
              OR ($org_join_rank[c.kind] = $org_join_rank[best.kind] AND c.id < best.id)
            THEN c ELSE best END) AS org
OPTIONAL MATCH rp = (i)-[:IN_REGION]->(:Region)-[:PART_OF_REGION*0..]->(t:Region {level: 'township'})
WHERE ancestor IS NULL
WITH i, ancestor, org, t ORDER BY length(rp)
WITH i, ancestor, org, collect(t)[0] AS region
OPTIONAL MATCH (n:Institution)-[:IN_REGION]->(place:Region)-[:PART_OF_REGION*0..]->(region)
WHERE n <> i AND n.kind IN $health_kinds AND EXISTS { (:PartyOrg)-[:COVERS]->(n) }
WITH i, ancestor, org, region, n,
     CASE WHEN place.id = [(i)-[:IN_REGION]->(own:Region) | own.id][0] THEN 0 ELSE 1 END AS away
ORDER BY away, n.id
WITH i, ancestor, org, region,
     collect(n)[0..CASE WHEN $joint_branch_max_units > 1 THEN $joint_branch_max_units - 1 ELSE 0 END]
       AS nearby
WITH i, ancestor, org, region, nearby,
     [n IN nearby |
       reduce(best = null, c IN [(c1:PartyOrg)-[:COVERS]->(n) | c1] |
         CASE WHEN best IS NULL
                OR $org_join_rank[c.kind] < $org_join_rank[best.kind]
                OR ($org_join_rank[c.kind] = $org_join_rank[best.kind] AND c.id < best.id)
              THEN c ELSE best END)] AS nearby_orgs
RETURN [i.id] AS subject,
       {name: coalesce(toString(i.name), i.id), kind: i.kind, level: i.level,
        ancestor: ancestor.id, ancestor_name: coalesce(toString(ancestor.name), ancestor.id),
        org: org.id, org_name: coalesce(toString(org.name), org.id), org_kind: org.kind,
        region: region.id, region_name: coalesce(toString(region.name), region.id),
        nearby: [n IN nearby | n.id],
        nearby_names: [n IN nearby | coalesce(toString(n.name), n.id)],
        nearby_orgs: [c IN nearby_orgs | c.id],
        nearby_org_names: [c IN nearby_orgs | coalesce(toString(c.name), c.id)]} AS evidence
ORDER BY i.id
