// Remove one ranking's scores from every blog before a rerun writes them again.
// params: property
MATCH (b:Blog)
WHERE b[$property] IS NOT NULL
REMOVE b[$property]
