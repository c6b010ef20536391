// Delete every relationship, then every node (constraints stay), in batches; needs auto-commit
// transactions (session.run), not a transaction function. Relationships go first: a batch of
// 10,000 nodes that DETACH DELETEs hubs (a page with 64k incoming links) took more than the
// server's 717 MiB transaction memory pool and failed, leaving the graph half cleared.
// params: none
MATCH ()-[r]->()
CALL (r) {
  DELETE r
} IN TRANSACTIONS OF 10000 ROWS;
MATCH (n)
CALL (n) {
  DETACH DELETE n
} IN TRANSACTIONS OF 10000 ROWS
