// Louvain communities of the undirected weighted blog graph, written to each blog as $property.
// One thread: GDS Louvain takes no seed, and only a single-threaded run repeats exactly.
// params: graph, property
CALL gds.louvain.write($graph, {
  relationshipWeightProperty: 'weight',
  writeProperty: $property,
  concurrency: 1
}) YIELD communityCount, modularity, ranLevels, computeMillis, writeMillis
RETURN communityCount AS communities, modularity, ranLevels AS levels, computeMillis AS compute_ms, writeMillis AS write_ms
