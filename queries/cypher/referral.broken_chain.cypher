// referral.broken_chain (severity high)
// Finds: primary-level health institutions whose upward referrals never reach a
// county-level (or higher) institution.
// Spec: a health institution below county level with upward referrals, from which no
// county-or-higher institution is reachable by upward referrals; `break_at` lists the
// reachable institutions that refer no further up (sorted). Count-0 links are ignored.
// An upward path climbs at least one level per step, so it has at most
// len(LEVELS) - 1 = 4 steps: the bound *1..4 loses nothing.
// `missing_hops`: [from, to] for each `break_at` institution that has an upward target
// (see referral.no_upward_referral), in `break_at` order; `names`: [id, name] pairs of
// the subject, the `break_at` institutions and the hop targets (a map once converted).
// Parameters: $dataset, $health_kinds (schema.HEALTH_KINDS),
//   $level_rank (level key -> order, village 0 ... province 4).
// Returns: subject [institution id], evidence (map).
// Evidence keys: level, break_at, missing_hops, names
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
UNWIND reached AS e
WITH i, e
WHERE NOT EXISTS {
  (e)-[r:REFERRAL]->(u:Institution)
  WHERE coalesce(r.count, 1) <> 0 AND $level_rank[u.level] > $level_rank[e.level]
}
OPTIONAL MATCH up = (e)-[:BELONGS_TO*1..]->(a:Institution)
WHERE $level_rank[a.level] > $level_rank[e.level]
WITH i, e, a ORDER BY length(up)
WITH i, e, collect(a)[0] AS parent_target
OPTIONAL MATCH cp = (e)-[:IN_REGION]->(:Region)-[:PART_OF_REGION*0..]->(c:Region {level: 'county'})
WITH i, e, parent_target, c ORDER BY length(cp)
WITH i, e, parent_target, collect(c)[0] AS county
OPTIONAL MATCH hp = (h:Institution {kind: 'county_hospital'})-[:IN_REGION]->(:Region)
                    -[:PART_OF_REGION*0..]->(county)
WHERE parent_target IS NULL AND h <> e
  AND $level_rank[h.level] > $level_rank[e.level]
  AND none(n IN nodes(hp)[1..-1] WHERE n.level = 'county')
WITH i, e, parent_target, h ORDER BY h.id
WITH i, e, parent_target, collect(h)[0] AS area_target
WITH i, e, coalesce(parent_target, area_target) AS target
ORDER BY e.id
WITH i, collect(e) AS ends,
     collect(CASE WHEN target IS NOT NULL THEN [e.id, target.id, target.name] END) AS hops
RETURN [i.id] AS subject,
       {level: i.level,
        break_at: [e IN ends | e.id],
        missing_hops: [h IN hops | [h[0], h[1]]],
        names: [[i.id, i.name]] + [e IN ends | [e.id, e.name]] + [h IN hops | [h[1], h[2]]]}
         AS evidence
ORDER BY i.id
