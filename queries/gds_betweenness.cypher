// Directed betweenness (each blog pair once), exact when samples equals the blog count, written raw.
// params: graph, property, samples, seed, concurrency
CALL gds.betweenness.write($graph, {
  samplingSize: $samples,
  samplingSeed: $seed,
  writeProperty: $property,
  concurrency: $concurrency
}) YIELD computeMillis, writeMillis
RETURN computeMillis AS compute_ms, writeMillis AS write_ms
