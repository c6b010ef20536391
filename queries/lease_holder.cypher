// Who holds a store lease (the crawl lock) and the milliseconds until it expires, on the server's clock.
// params: name
MATCH (l:StoreLock {name: $name})
RETURN l.owner AS owner, l.expires - timestamp() AS remaining_ms
