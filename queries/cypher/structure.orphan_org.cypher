// structure.orphan_org (severity low)
// Finds: organizations that report to nobody although they should.
// Spec: an org with no parent whose kind is neither committee nor working_committee.
// Parameters: $dataset, $top_org_kinds (schema.TOP_ORG_KINDS).
// Returns: subject [org id], evidence {name, kind}.
MATCH (d:OrgnetDataset {name: $dataset})
MATCH (o:PartyOrg {graph: d.graph})
WHERE NOT o.kind IN $top_org_kinds
  AND NOT EXISTS { (o)-[:REPORTS_TO]->(:PartyOrg) }
RETURN [o.id] AS subject,
       {name: o.name, kind: o.kind} AS evidence
ORDER BY o.id
