// The uniqueness constraints of the database, by name, with the label or type and properties.
// description: the database's uniqueness constraints, by name
// params: none
SHOW CONSTRAINTS
YIELD name, type, labelsOrTypes, properties
RETURN name, type, labelsOrTypes, properties
ORDER BY name
