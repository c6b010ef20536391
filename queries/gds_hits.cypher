// HITS in the server (each blog pair once: GDS HITS takes no weights), authorities and hubs written
// as $auth and $hub (GDS names a written property writeProperty + its own name, so writeProperty is '').
// params: graph, auth, hub, iterations, concurrency
CALL gds.hits.write($graph, {
  hitsIterations: $iterations,
  authProperty: $auth,
  hubProperty: $hub,
  writeProperty: '',
  concurrency: $concurrency
}) YIELD ranIterations, computeMillis, writeMillis
RETURN ranIterations AS iterations, computeMillis AS compute_ms, writeMillis AS write_ms
