// Delete LINKS_TO relationships by key (a link re-typed is written again under its new key).
// params: rows
UNWIND $rows AS row
MATCH ()-[r:LINKS_TO {key: row.key}]->()
DELETE r
