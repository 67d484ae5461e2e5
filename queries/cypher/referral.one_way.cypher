// referral.one_way (severity medium)
// Finds: referrals between levels that are never answered by a referral back.
// Spec: a referral A to B between different levels with no referral B to A. One row
// per pair (A, B); `count` adds up the referral rows A to B. Count-0 links are ignored.
// Parameters: $dataset.
// Returns: subject [A, B], evidence {source_name, source_level, target_name,
// target_level, count}.
MATCH (d:OrgnetDataset {name: $dataset})
MATCH (a:Institution {graph: d.graph})-[r:REFERRAL]->(b:Institution)
WHERE coalesce(r.count, 1) <> 0
  AND a.level <> b.level
  AND NOT EXISTS { (b)-[back:REFERRAL]->(a) WHERE coalesce(back.count, 1) <> 0 }
WITH a, b, sum(coalesce(r.count, 1)) AS referrals
RETURN [a.id, b.id] AS subject,
       {source_name: a.name, source_level: a.level, target_name: b.name,
        target_level: b.level, count: referrals} AS evidence
ORDER BY a.id, b.id
