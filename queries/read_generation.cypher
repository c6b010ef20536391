// The store's id and write generation (no row before the first write, or after clear()), and whether
// every link holds its blog ids (bump_generation.cypher).
// params: none
MATCH (g:StoreGeneration {id: 1})
RETURN g.store_id AS store_id, g.n AS n, coalesce(g.links_hold_ids, false) AS links_hold_ids
