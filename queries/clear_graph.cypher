// Delete every node and relationship (constraints stay), in batches; needs an auto-commit
// transaction (session.run), not a transaction function.
// params: none
MATCH (n)
CALL (n) {
  DETACH DELETE n
} IN TRANSACTIONS OF 10000 ROWS
