// The write generation: one node bumped at the end of every write transaction (graphscan/store/cache.py
// keys cached blog graphs on it, so any write by any client makes them unreachable). store_id is set
// when the node is first made: a cleared or recreated database starts a new one. links_hold_ids says
// that every link has been written with its blog ids since the store's first write (this graphscan
// writes them; blog_edges.cypher then sends no key map): a store an older graphscan began lacks it.
// params: none
MERGE (g:StoreGeneration {id: 1})
  ON CREATE SET g.store_id = randomUUID(), g.n = 0, g.links_hold_ids = true
SET g.n = g.n + 1
