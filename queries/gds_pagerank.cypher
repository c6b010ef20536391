// PageRank in the server, link multiplicities as weights, written to each blog as $property; the
// L1Norm scaler makes scores sum to 1 (the in-process engine's scale).
// params: graph, property, damping, tolerance, max_iter, concurrency
CALL gds.pageRank.write($graph, {
  relationshipWeightProperty: 'weight',
  dampingFactor: $damping,
  tolerance: $tolerance,
  maxIterations: $max_iter,
  scaler: 'L1Norm',
  writeProperty: $property,
  concurrency: $concurrency
}) YIELD ranIterations, didConverge, computeMillis, writeMillis
RETURN ranIterations AS iterations, didConverge AS converged, computeMillis AS compute_ms, writeMillis AS write_ms
