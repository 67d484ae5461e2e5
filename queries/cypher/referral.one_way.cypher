// referral.one_way (severity medium)
// Finds: referrals between levels that are never answered by a referral back.
// Spec: a referral A to B between different levels with no referral B to A. One row
// per pair (A, B): `count` adds up the counts of the A to B rows, `links` their link
// indices (sorted); `direction` is 'up' or 'down' from A to B. Count-0 links are ignored.
// Parameters: $dataset, $level_rank (level key -> order, village 0 ... province 4).
// Returns: subject [A, B], evidence (map).
// Evidence keys: levels, direction, count, links, names
MATCH (d:OrgnetDataset {name: $dataset})
MATCH (a:Institution {graph: d.graph})-[r:REFERRAL]->(b:Institution)
WHERE coalesce(r.count, 1) <> 0
  AND $level_rank[a.level] <> $level_rank[b.level]
// Plan: referral counts are split over periods, so a pair has several parallel
// relationships; the way back is looked for once per pair, not once per relationship.
WITH DISTINCT a, b
WHERE NOT EXISTS { (b)-[back:REFERRAL]->(a) WHERE coalesce(back.count, 1) <> 0 }
MATCH (a)-[r:REFERRAL]->(b)
WHERE coalesce(r.count, 1) <> 0
WITH a, b, r ORDER BY r.link_index
WITH a, b, sum(coalesce(r.count, 1)) AS total, collect(r.link_index) AS link_indices
RETURN [a.id, b.id] AS subject,
       {levels: [a.level, b.level],
        direction: CASE WHEN $level_rank[b.level] > $level_rank[a.level] THEN 'up' ELSE 'down' END,
        count: total, links: link_indices,
        names: [[a.id, a.name], [b.id, b.name]]} AS evidence
ORDER BY a.id, b.id
