// Core numbers of the undirected simple blog graph, written to each blog.
// params: graph, property, concurrency
CALL gds.kcore.write($graph, {writeProperty: $property, concurrency: $concurrency})
YIELD degeneracy, computeMillis, writeMillis
RETURN degeneracy, computeMillis AS compute_ms, writeMillis AS write_ms
