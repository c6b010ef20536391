// Keep each blog's incoming links (weighted: repeated links counted) or distinct linking blogs in the
// projection, for the ranking table. An undirected projection counts every neighbour.
// params: graph, weighted, property, orientation, concurrency
CALL gds.degree.mutate($graph, {
  orientation: $orientation,
  relationshipWeightProperty: CASE WHEN $weighted THEN 'weight' ELSE null END,
  mutateProperty: $property,
  concurrency: $concurrency
}) YIELD nodePropertiesWritten
RETURN nodePropertiesWritten AS blogs
