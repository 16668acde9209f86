-- Actor-pair cooperation and conflict by ISO week: the dated events between two actors,
-- either way round, a person counted as the country or organisation they act for (as
-- `annals analyze` makes its dyads), negated and failed actions left out. Each quad class
-- counted (q1 verbal cooperation, q2 material cooperation, q3 verbal conflict, q4
-- material conflict), the mean Goldstein score and a tone: cooperation at +1 or more,
-- conflict at -1 or less, else mixed.
WITH sides AS (
    SELECT CASE WHEN sa.type = 'person' AND sa.affiliation IS NOT NULL
                THEN sa.affiliation ELSE e.source END AS s,
           CASE WHEN ta.type = 'person' AND ta.affiliation IS NOT NULL
                THEN ta.affiliation ELSE e.target END AS t,
           e.date, e.quad_class, e.goldstein
    FROM events e
    LEFT JOIN actors sa ON sa.id = e.source
    LEFT JOIN actors ta ON ta.id = e.target
    WHERE e.source IS NOT NULL AND e.target IS NOT NULL AND e.date IS NOT NULL
      AND e.modality NOT IN ('negated', 'failed')
),
pairs AS (
    SELECT least(s, t) AS a, greatest(s, t) AS b,
           to_char(CAST(date AS DATE), '%G-W%V') AS week,
           quad_class, goldstein
    FROM sides
    WHERE s <> t
)
SELECT a, b, week,
       count(*) AS events,
       sum(CASE WHEN quad_class = 1 THEN 1 ELSE 0 END) AS q1,
       sum(CASE WHEN quad_class = 2 THEN 1 ELSE 0 END) AS q2,
       sum(CASE WHEN quad_class = 3 THEN 1 ELSE 0 END) AS q3,
       sum(CASE WHEN quad_class = 4 THEN 1 ELSE 0 END) AS q4,
       round(avg(goldstein), 2) AS mean_goldstein,
       CASE WHEN round(avg(goldstein), 2) >= 1 THEN 'cooperation'
            WHEN round(avg(goldstein), 2) <= -1 THEN 'conflict'
            ELSE 'mixed' END AS tone
FROM pairs
GROUP BY a, b, week
ORDER BY a, b, week
