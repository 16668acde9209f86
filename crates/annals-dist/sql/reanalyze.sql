-- Analysis on the executors: annals_analyze runs the annals pipeline on the text of every
-- document, in the task that reads its partition, and the events it codes in each are
-- listed (merged within the document only).
WITH read AS (
    SELECT id, date, unnest(annals_analyze(body, published, title)['events']) AS e
    FROM documents
)
SELECT id AS doc, date AS published_day,
       e['date'] AS date, e['source'] AS source, e['target'] AS target,
       e['cameo'] AS cameo, e['quad_class'] AS quad_class, e['goldstein'] AS goldstein,
       e['action'] AS action
FROM read
ORDER BY doc, date, source, target, cameo, action
