// referral.broken_chain (severity high)
// Finds: primary-level health institutions whose upward referrals never reach a
// county-level (or higher) institution.
// Spec: a health institution below county level with upward referrals, from which no
// county-or-higher institution is reachable by upward referrals; `break_at` lists the
// reachable institutions that refer no further up (sorted). Count-0 links are ignored.
// The reachable set is built breadth-first, one round per step of upward referrals,
// each round following only the new institutions (no path enumeration).  An upward
// step climbs at least one level, so len(LEVELS) - 1 = 4 rounds reach everything.
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
// Plan: most institutions reach county level in one or two upward steps; two
// fixed-length existence checks (stopping at the first hit) set them aside, so the
// breadth-first rounds below run only for the few that remain (PROFILE on 100k
// entities: 13M of the query's 14M db hits were those rounds for every institution).
  AND NOT EXISTS {
    (i)-[r:REFERRAL]->(t:Institution)
    WHERE coalesce(r.count, 1) <> 0 AND $level_rank[t.level] >= $level_rank['county']
  }
  AND NOT EXISTS {
    (i)-[r:REFERRAL]->(x:Institution)-[s:REFERRAL]->(t:Institution)
    WHERE coalesce(r.count, 1) <> 0 AND $level_rank[x.level] > $level_rank[i.level]
      AND coalesce(s.count, 1) <> 0 AND $level_rank[t.level] >= $level_rank['county']
  }
WITH i, [i] AS frontier, [] AS reached
// round 1
WITH i, reached,
     reduce(acc = reached, t IN reduce(flat = [], x IN frontier |
         flat + [(x)-[r:REFERRAL]->(higher:Institution)
                 WHERE coalesce(r.count, 1) <> 0 AND $level_rank[higher.level] > $level_rank[x.level] | higher]) |
       CASE WHEN t IN acc THEN acc ELSE acc + t END) AS grown
WITH i, grown AS reached, [t IN grown WHERE NOT t IN reached] AS frontier
// round 2
WITH i, reached,
     reduce(acc = reached, t IN reduce(flat = [], x IN frontier |
         flat + [(x)-[r:REFERRAL]->(higher:Institution)
                 WHERE coalesce(r.count, 1) <> 0 AND $level_rank[higher.level] > $level_rank[x.level] | higher]) |
       CASE WHEN t IN acc THEN acc ELSE acc + t END) AS grown
WITH i, grown AS reached, [t IN grown WHERE NOT t IN reached] AS frontier
// round 3
WITH i, reached,
     reduce(acc = reached, t IN reduce(flat = [], x IN frontier |
         flat + [(x)-[r:REFERRAL]->(higher:Institution)
                 WHERE coalesce(r.count, 1) <> 0 AND $level_rank[higher.level] > $level_rank[x.level] | higher]) |
       CASE WHEN t IN acc THEN acc ELSE acc + t END) AS grown
WITH i, grown AS reached, [t IN grown WHERE NOT t IN reached] AS frontier
// round 4
WITH i, reached,
     reduce(acc = reached, t IN reduce(flat = [], x IN frontier |
         flat + [(x)-[r:REFERRAL]->(higher:Institution)
                 WHERE coalesce(r.count, 1) <> 0 AND $level_rank[higher.level] > $level_rank[x.level] | higher]) |
       CASE WHEN t IN acc THEN acc ELSE acc + t END) AS grown
WITH i, grown AS reached, [t IN grown WHERE NOT t IN reached] AS frontier
WITH i, reached
WHERE size(reached) > 0
  AND none(t IN reached WHERE $level_rank[t.level] >= $level_rank['county'])
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
