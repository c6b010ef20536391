// The pages among $urls that already have an outgoing LINKS_TO: links from any other page are new.
// params: urls
UNWIND $urls AS url
MATCH (p:Page {url: url})
WHERE EXISTS { (p)-[:LINKS_TO]->() }
RETURN p.url AS url
