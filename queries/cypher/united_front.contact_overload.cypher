// united_front.contact_overload (severity low)
// Finds: members and organizations keeping in touch with more people or units than
// one can really keep up with (联谊交友 spread too thin).
// Spec (7b): a member or org that is the source of active `contact` links (count > 0)
// to more than $united_front_contacts_per_member distinct targets (a local-practice
// default, no regulation).
// Parameters: $dataset, $united_front_contacts_per_member (Settings field),
//   $entity_labels (schema.ENTITY_LABELS).
// Returns: subject [source id], evidence (map).
// Evidence keys: name, label, targets, maximum
MATCH (d:OrgnetDataset {name: $dataset})
MATCH (s:Member|PartyOrg {graph: d.graph})-[r:CONTACT]->(t)
WHERE coalesce(r.count, 1) <> 0
WITH s, count(DISTINCT t) AS targets
WHERE targets > $united_front_contacts_per_member
RETURN [s.id] AS subject,
       {name: coalesce(toString(s.name), s.id),
        label: [label IN labels(s) WHERE label IN $entity_labels][0],
        targets: targets, maximum: $united_front_contacts_per_member} AS evidence
ORDER BY s.id
