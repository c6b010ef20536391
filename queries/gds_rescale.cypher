// Multiply a written score by $factor, or divide it by its sum over all blogs when $factor is null.
// params: property, factor
MATCH (b:Blog)
WHERE b[$property] IS NOT NULL
WITH collect(b) AS blogs, sum(b[$property]) AS total
WITH blogs, CASE WHEN $factor IS NOT NULL THEN $factor WHEN total > 0 THEN 1.0 / total ELSE 1.0 END AS k
UNWIND blogs AS b
SET b[$property] = b[$property] * k
RETURN count(b) AS blogs
