-- Story aggregation: each story with its documents, outlets and days, and the merged
-- events its documents report (an event reported by several of them counts once), by
-- cooperation (quad classes 1-2) and conflict (3-4), with their mean Goldstein score.
-- Most documents first.
WITH per_story AS (
    SELECT story,
           min(story_title) AS title,
           count(*) AS documents,
           count(DISTINCT outlet) AS outlets,
           min(date) AS first_day,
           max(date) AS last_day
    FROM documents
    WHERE story IS NOT NULL
    GROUP BY story
),
event_docs AS (
    SELECT id, unnest(docs) AS doc, quad_class, goldstein FROM events
),
story_events AS (
    SELECT DISTINCT d.story, e.id, e.quad_class, e.goldstein
    FROM documents d JOIN event_docs e ON e.doc = d.id
    WHERE d.story IS NOT NULL
),
per_story_events AS (
    SELECT story,
           count(*) AS events,
           sum(CASE WHEN quad_class <= 2 THEN 1 ELSE 0 END) AS cooperation,
           sum(CASE WHEN quad_class >= 3 THEN 1 ELSE 0 END) AS conflict,
           round(avg(goldstein), 2) AS mean_goldstein
    FROM story_events
    GROUP BY story
)
SELECT s.story, s.title, s.documents, s.outlets, s.first_day, s.last_day,
       coalesce(e.events, 0) AS events,
       coalesce(e.cooperation, 0) AS cooperation,
       coalesce(e.conflict, 0) AS conflict,
       e.mean_goldstein
FROM per_story s LEFT JOIN per_story_events e ON e.story = s.story
ORDER BY s.documents DESC, events DESC, s.story
