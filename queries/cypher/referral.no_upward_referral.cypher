// referral.no_upward_referral (severity high)
// Finds: primary-level health institutions that refer no patient upward.
// Spec: a health institution below county level with no referral to a
// higher-level institution. Links with count 0 are ignored.
// Parameters: $dataset, $health_kinds (schema.HEALTH_KINDS),
//   $level_rank (level key -> order, village 0 ... province 4).
// Returns: subject [institution id], evidence {name, kind, level}.
MATCH (d:OrgnetDataset {name: $dataset})
MATCH (i:Institution {graph: d.graph})
WHERE i.kind IN $health_kinds
  AND $level_rank[i.level] < $level_rank['county']
  AND NOT EXISTS {
    (i)-[r:REFERRAL]->(t:Institution)
    WHERE coalesce(r.count, 1) <> 0 AND $level_rank[t.level] > $level_rank[i.level]
  }
RETURN [i.id] AS subject,
       {name: i.name, kind: i.kind, level: i.level} AS evidence
ORDER BY i.id
