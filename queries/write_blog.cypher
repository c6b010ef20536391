// Upsert Blog records by key; a blog first seen as a link end stops being a placeholder.
// An empty value (or empty attrs, the JSON text of an empty map) never erases a known one:
// a link target arrives with no title or platform.
// params: rows
UNWIND $rows AS row
MERGE (b:Blog {key: row.key})
SET b.url = CASE WHEN row.url = '' THEN coalesce(b.url, '') ELSE row.url END,
    b.title = CASE WHEN row.title = '' THEN coalesce(b.title, '') ELSE row.title END,
    b.platform = CASE WHEN row.platform = '' THEN coalesce(b.platform, '') ELSE row.platform END,
    b.attrs = CASE WHEN size(row.attrs) <= 2 AND b.attrs IS NOT NULL THEN b.attrs ELSE row.attrs END
REMOVE b.placeholder
