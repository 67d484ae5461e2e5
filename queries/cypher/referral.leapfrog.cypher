// referral.leapfrog (severity low)
// Finds: referrals that skip a level (a village clinic straight to a county hospital).
// Spec: a referral A to B that climbs two or more levels at once. One row per pair
// (A, B): `count` adds up the counts of the A to B rows, `links` their link indices
// (sorted). Count-0 links are ignored.  `via`: the first institution up A's parent_id
// chain whose level lies strictly between A's and B's, or null; `names`: [id, name]
// pairs of A, B and via (a map once converted).
// Parameters: $dataset, $level_rank (level key -> order, village 0 ... province 4).
// Returns: subject [A, B], evidence (map).
// Evidence keys: levels, count, links, via, names
MATCH (d:OrgnetDataset {name: $dataset})
MATCH (a:Institution {graph: d.graph})-[r:REFERRAL]->(b:Institution)
WHERE coalesce(r.count, 1) <> 0
  AND $level_rank[b.level] - $level_rank[a.level] >= 2
WITH a, b, r ORDER BY r.link_index
WITH a, b, sum(coalesce(r.count, 1)) AS total, collect(r.link_index) AS link_indices
OPTIONAL MATCH up = (a)-[:BELONGS_TO*1..]->(v:Institution)
WHERE $level_rank[a.level] < $level_rank[v.level] AND $level_rank[v.level] < $level_rank[b.level]
WITH a, b, total, link_indices, v ORDER BY length(up)
WITH a, b, total, link_indices, collect(v)[0] AS via
RETURN [a.id, b.id] AS subject,
       {levels: [a.level, b.level], count: total, links: link_indices, via: via.id,
        names: [[a.id, a.name], [b.id, b.name]]
               + CASE WHEN via IS NULL THEN [] ELSE [[via.id, via.name]] END} AS evidence
ORDER BY a.id, b.id
