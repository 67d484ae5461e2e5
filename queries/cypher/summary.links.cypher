// summary.links: active link rows (count <> 0) grouped by relationship type and the
// levels of their endpoints (null for members and party orgs), for the summary of
// spec section 7 (link counts per type, referral totals up and down).
// Parameters: $dataset.
// Returns: rel_type, source_level, target_level, rows, total (sum of counts).
MATCH (d:OrgnetDataset {name: $dataset})
MATCH (a:Institution|Member|PartyOrg {graph: d.graph})
      -[r:REFERRAL|PAIRING|LIAISON|ASSISTANCE|CONSULTATION|OUTREACH|CONTACT|OTHER_LINK]->(b)
WHERE coalesce(r.count, 1) <> 0
WITH type(r) AS rel_type,
     CASE WHEN a:Institution THEN a.level END AS source_level,
     CASE WHEN b:Institution THEN b.level END AS target_level,
     coalesce(r.count, 1) AS n
RETURN rel_type, source_level, target_level, count(*) AS rows, sum(n) AS total
ORDER BY rel_type, source_level, target_level
