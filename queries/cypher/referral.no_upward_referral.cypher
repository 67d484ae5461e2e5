// referral.no_upward_referral (severity high)
// Finds: primary-level health institutions that refer no patient upward.
// Spec: a health institution below county level with no referral to a
// higher-level institution. Links with count 0 are ignored.
// `referrals_out`: the number of institutions it refers to (none of them higher);
// `target`/`target_reason`: its upward target (queries.referral.upward_target): the
// first institution up its parent_id chain with a higher level ('parent'), else the
// smallest-id county hospital of its area, the county-level region at or above its
// region, with a higher level ('area'), else null; `names`: [id, name] pairs of the
// subject and the target (a map once converted).
// Parameters: $dataset, $health_kinds (schema.HEALTH_KINDS),
//   $level_rank (level key -> order, village 0 ... province 4).
// Returns: subject [institution id], evidence (map).
// Evidence keys: level, kind, referrals_out, target, target_reason, names
MATCH (d:OrgnetDataset {name: $dataset})
MATCH (i:Institution {graph: d.graph})
WHERE i.kind IN $health_kinds
  AND $level_rank[i.level] < $level_rank['county']
  AND NOT EXISTS {
    (i)-[r:REFERRAL]->(t:Institution)
    WHERE coalesce(r.count, 1) <> 0 AND $level_rank[t.level] > $level_rank[i.level]
  }
OPTIONAL MATCH up = (i)-[:BELONGS_TO*1..]->(a:Institution)
WHERE $level_rank[a.level] > $level_rank[i.level]
WITH i, a ORDER BY length(up)
WITH i, collect(a)[0] AS parent_target
OPTIONAL MATCH cp = (i)-[:IN_REGION]->(:Region)-[:PART_OF_REGION*0..]->(c:Region {level: 'county'})
WITH i, parent_target, c ORDER BY length(cp)
WITH i, parent_target, collect(c)[0] AS county
OPTIONAL MATCH hp = (h:Institution {kind: 'county_hospital'})-[:IN_REGION]->(:Region)
                    -[:PART_OF_REGION*0..]->(county)
WHERE parent_target IS NULL AND h <> i
  AND $level_rank[h.level] > $level_rank[i.level]
  AND none(n IN nodes(hp)[1..-1] WHERE n.level = 'county')
WITH i, parent_target, h ORDER BY h.id
WITH i, parent_target, collect(h)[0] AS area_target
WITH i, coalesce(parent_target, area_target) AS target,
     CASE WHEN parent_target IS NOT NULL THEN 'parent'
          WHEN area_target IS NOT NULL THEN 'area' END AS reason,
     reduce(acc = [], t IN [(i)-[r:REFERRAL]->(t1:Institution) WHERE coalesce(r.count, 1) <> 0 | t1.id] |
       CASE WHEN t IN acc THEN acc ELSE acc + t END) AS referred
RETURN [i.id] AS subject,
       {level: i.level, kind: i.kind, referrals_out: size(referred),
        target: target.id, target_reason: reason,
        names: [[i.id, i.name]] + CASE WHEN target IS NULL THEN [] ELSE [[target.id, target.name]] END}
         AS evidence
ORDER BY i.id
