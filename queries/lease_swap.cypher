// Give a store lease to $owner for $ttl_ms if its owner is $expected ('' = free); n is 1 when taken.
// The first SET takes the node's write lock, so two crawls cannot both see the lease free.
// params: name, expected, owner, ttl_ms
MERGE (l:StoreLock {name: $name})
SET l.claimed = true
WITH l
WHERE coalesce(l.owner, '') = $expected
SET l.owner = $owner, l.expires = timestamp() + $ttl_ms
RETURN count(l) AS n
