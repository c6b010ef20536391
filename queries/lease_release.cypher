// Free a store lease held by $owner.
// params: name, owner
MATCH (l:StoreLock {name: $name})
WHERE l.owner = $owner
DELETE l
RETURN count(*) AS n
