// Drop one constraint by name (it comes back the next time a store opens: schema.cypher).
// params: name
DROP CONSTRAINT $name IF EXISTS
