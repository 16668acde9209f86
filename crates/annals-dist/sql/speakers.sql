-- Top speakers: who is quoted most, how much of it directly, in how many documents,
-- over which days. Anonymous sources are speakers of their own (`named` false).
SELECT q.speaker, a.name, a.type, a.country, a.named,
       count(*) AS quotes,
       sum(CASE WHEN q.direct THEN 1 ELSE 0 END) AS direct,
       count(DISTINCT q.doc) AS documents,
       min(q.date) AS first_day,
       max(q.date) AS last_day
FROM quotes q LEFT JOIN actors a ON a.id = q.speaker
WHERE q.speaker IS NOT NULL
GROUP BY q.speaker, a.name, a.type, a.country, a.named
ORDER BY quotes DESC, documents DESC, q.speaker
LIMIT 25
