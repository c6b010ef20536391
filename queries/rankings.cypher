// The rankings written back to this store: their property, measure, engine, settings and date.
// description: the rankings written back to this store: property, measure, engine, settings, date
// params: none
MATCH (r:Ranking)
RETURN r.key AS property, r.measure AS measure, r.engine AS engine, r.params AS params,
       r.computed_at AS computed_at, r.blogs AS blogs
ORDER BY property
