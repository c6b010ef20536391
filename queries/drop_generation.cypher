// Remove the write generation, first thing when clearing: a reader that overlaps the clear then
// sees its generation vanish and does not cache what it read.
// params: none
MATCH (g:StoreGeneration)
DELETE g
