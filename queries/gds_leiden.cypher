// Leiden communities of the undirected weighted blog graph (seeded, one thread, so it repeats),
// written to each blog as $property.
// params: graph, property, seed
CALL gds.leiden.write($graph, {
  relationshipWeightProperty: 'weight',
  writeProperty: $property,
  randomSeed: $seed,
  concurrency: 1
}) YIELD communityCount, modularity, ranLevels, computeMillis, writeMillis
RETURN communityCount AS communities, modularity, ranLevels AS levels, computeMillis AS compute_ms, writeMillis AS write_ms
