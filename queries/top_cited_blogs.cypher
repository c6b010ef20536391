// Analyst query: the blogs cited by the most distinct other blogs (body citations, nofollow excluded).
// description: the blogs cited by the most distinct other blogs (body citations, nofollow excluded)
// params: limit
MATCH (s:Page)-[l:LINKS_TO {kind: 'citation'}]->(:Page)
WHERE l.source_blog <> l.target_blog AND NOT ' ' + l.rel + ' ' CONTAINS ' nofollow '
WITH l.target_blog AS blog, count(DISTINCT l.source_blog) AS citing_blogs, count(l) AS links
RETURN blog, citing_blogs, links
ORDER BY citing_blogs DESC, links DESC, blog
LIMIT toInteger($limit)
