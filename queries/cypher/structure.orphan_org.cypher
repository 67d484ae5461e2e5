// structure.orphan_org (severity low)
// Finds: organizations that report to nobody although they should.
// Spec: an org with no parent whose kind is neither committee nor working_committee.
// `suggested_parent`: an org not at or below it, of a higher tier (schema.ORG_TIERS)
// covering one of its institutions or an institution above one of them in the
// parent_id structure; nearest institution first, then the lowest tier above the
// org, then id; null when there is none.
// Parameters: $dataset, $top_org_kinds (schema.TOP_ORG_KINDS), $org_tiers (org kind ->
//   tier, 0 top).
// Returns: subject [org id], evidence (map).
// Evidence keys: name, kind, suggested_parent, suggested_parent_name
MATCH (d:OrgnetDataset {name: $dataset})
MATCH (o:PartyOrg {graph: d.graph})
WHERE NOT o.kind IN $top_org_kinds
  AND NOT EXISTS { (o)-[:REPORTS_TO]->(:PartyOrg) }
OPTIONAL MATCH path = (o)-[:COVERS]->(:Institution)-[:BELONGS_TO*0..]->(:Institution)
                      <-[:COVERS]-(other:PartyOrg)
WHERE $org_tiers[other.kind] < $org_tiers[o.kind]
  AND NOT EXISTS { (other)-[:REPORTS_TO*0..]->(o) }
WITH o, other, length(path) - 2 AS distance
ORDER BY distance, $org_tiers[other.kind] DESC, other.id
WITH o, collect(other)[0] AS parent
RETURN [o.id] AS subject,
       {name: coalesce(toString(o.name), o.id), kind: o.kind,
        suggested_parent: parent.id,
        suggested_parent_name: coalesce(toString(parent.name), parent.id)} AS evidence
ORDER BY o.id
