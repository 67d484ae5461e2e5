// referral.leapfrog (severity low)
// Finds: referrals that skip a level (a village clinic straight to a county hospital).
// Spec: a referral A to B that climbs two or more levels at once. One row per pair
// (A, B); `count` adds up the referral rows between them. Count-0 links are ignored.
// Parameters: $dataset, $level_rank (level key -> order, village 0 ... province 4).
// Returns: subject [A, B], evidence {source_name, source_level, target_name,
// target_level, count}.
MATCH (d:OrgnetDataset {name: $dataset})
MATCH (a:Institution {graph: d.graph})-[r:REFERRAL]->(b:Institution)
WHERE coalesce(r.count, 1) <> 0
  AND $level_rank[b.level] - $level_rank[a.level] >= 2
WITH a, b, sum(coalesce(r.count, 1)) AS referrals
RETURN [a.id, b.id] AS subject,
       {source_name: a.name, source_level: a.level, target_name: b.name,
        target_level: b.level, count: referrals} AS evidence
ORDER BY a.id, b.id
