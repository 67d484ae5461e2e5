// referral.broken_chain (severity high)
// Finds: primary-level health institutions whose upward referrals never reach a
// county-level (or higher) institution.
// Spec: a health institution below county level with upward referrals, from which no
// county-or-higher institution is reachable by upward referrals; `break_at` lists the
// reachable institutions that refer no further up. Links with count 0 are ignored.
// An upward path climbs at least one level per step, so it has at most
// len(LEVELS) - 1 = 4 steps: the bound *1..4 loses nothing.
// Parameters: $dataset, $health_kinds (schema.HEALTH_KINDS),
//   $level_rank (level key -> order, village 0 ... province 4).
// Returns: subject [institution id], evidence {name, kind, level, break_at (sorted ids)}.
MATCH (d:OrgnetDataset {name: $dataset})
MATCH (i:Institution {graph: d.graph})
WHERE i.kind IN $health_kinds
  AND $level_rank[i.level] < $level_rank['county']
MATCH p = (i)-[:REFERRAL*1..4]->(t:Institution)
WHERE all(r IN relationships(p)
          WHERE coalesce(r.count, 1) <> 0
            AND $level_rank[endNode(r).level] > $level_rank[startNode(r).level])
WITH i, collect(DISTINCT t) AS reached
WHERE none(t IN reached WHERE $level_rank[t.level] >= $level_rank['county'])
UNWIND reached AS t
WITH i, t
WHERE NOT EXISTS {
  (t)-[r:REFERRAL]->(u:Institution)
  WHERE coalesce(r.count, 1) <> 0 AND $level_rank[u.level] > $level_rank[t.level]
}
WITH i, t ORDER BY t.id
WITH i, collect(t.id) AS break_at
RETURN [i.id] AS subject,
       {name: i.name, kind: i.kind, level: i.level, break_at: break_at} AS evidence
ORDER BY i.id
