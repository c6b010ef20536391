// Store BlogScore records as properties of their blogs: (:Blog {key})[property] = value.
// The property name was checked by model.check_score_property (lower-case, never a Blog field).
// params: rows
UNWIND $rows AS row
MATCH (b:Blog {key: row.blog})
SET b[row.property] = row.value
