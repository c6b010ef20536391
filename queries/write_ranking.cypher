// Upsert Ranking records (rank --write): what was computed, by which engine, with which settings, when.
// params: rows
UNWIND $rows AS row
MERGE (r:Ranking {key: row.key})
SET r.measure = row.measure, r.engine = row.engine, r.params = row.params,
    r.computed_at = row.computed_at, r.blogs = row.blogs
