// How many Mention records (MENTIONS relationships).
// params: none
MATCH ()-[m:MENTIONS]->()
RETURN count(m) AS n
