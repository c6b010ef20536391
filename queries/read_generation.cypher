// The store's id and write generation (no row before the first write, or after clear()).
// params: none
MATCH (g:StoreGeneration {id: 1})
RETURN g.store_id AS store_id, g.n AS n
