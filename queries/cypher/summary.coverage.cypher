// summary.coverage: one row per health institution with the facts behind 组织覆盖率,
// 单独组建率 and work coverage (spec section 7; queries.runner.coverage_of):
// `covered`: some org lists it (joint branches included); `own_branch`: a committee,
// general branch or branch covers it and every other institution that org covers lies
// below it in the parent_id structure; `reached`: the target of an active liaison link.
// Parameters: $dataset, $health_kinds (schema.HEALTH_KINDS), $own_branch_kinds
//   (schema.OWN_BRANCH_KINDS).
// Returns: id, kind, covered, own_branch, reached.
MATCH (d:OrgnetDataset {name: $dataset})
MATCH (x:Institution {graph: d.graph})
WHERE x.kind IN $health_kinds
RETURN x.id AS id, x.kind AS kind,
       EXISTS { (:PartyOrg)-[:COVERS]->(x) } AS covered,
       EXISTS {
         MATCH (o:PartyOrg)-[:COVERS]->(x)
         WHERE o.kind IN $own_branch_kinds
           AND NOT EXISTS {
             MATCH (o)-[:COVERS]->(y:Institution)
             WHERE y <> x AND NOT EXISTS { (y)-[:BELONGS_TO*1..]->(x) }
           }
       } AS own_branch,
       EXISTS { ()-[r:LIAISON]->(x) WHERE coalesce(r.count, 1) <> 0 } AS reached
ORDER BY id
