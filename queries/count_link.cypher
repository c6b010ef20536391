// How many Link records (LINKS_TO relationships) of each kind.
// params: none
MATCH ()-[r:LINKS_TO]->()
RETURN r.kind AS kind, count(*) AS n
