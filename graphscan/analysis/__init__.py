"""Graph in, data out: centrality, communities, brand opinion, cascades. Never sees a store."""
