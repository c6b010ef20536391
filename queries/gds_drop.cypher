// Drop a projected graph (no error when it is already gone).
// params: graph
CALL gds.graph.drop($graph, false) YIELD graphName
RETURN graphName
