// In-degree written to each blog: links (weighted) or distinct linking blogs (technorati).
// params: graph, property, weighted, concurrency
CALL gds.degree.write($graph, {
  orientation: 'REVERSE',
  relationshipWeightProperty: CASE WHEN $weighted THEN 'weight' ELSE null END,
  writeProperty: $property,
  concurrency: $concurrency
}) YIELD computeMillis, writeMillis
RETURN computeMillis AS compute_ms, writeMillis AS write_ms
