-- Billable seconds per customer and channel (SPEC §4.2 with first = 60,
-- next = 6), for the sqlite3 contestant of `npm run bench` and for
-- test/bench/sqlite-rule.test.ts. The script that runs it first does
-- `.mode csv` and `.import <file> usage`, so every column is TEXT.
--   fractional seconds round up first:  95.2 → 96
--   abandoned → 0;  d = 0 → 0;  d ≤ 60 → 60;  else 60 + ceil((d − 60) / 6) × 6
-- No math functions (ceil() needs SQLITE_ENABLE_MATH_FUNCTIONS): the ceilings
-- are written with CAST and integer division.
WITH r AS (
  SELECT customer_id AS customer,
         lower(trim(channel)) AS channel,
         lower(trim(status)) = 'abandoned' AS abandoned,
         CAST(duration_seconds AS REAL) AS x
  FROM usage
), w AS (
  SELECT customer, channel, abandoned,
         CAST(x AS INTEGER) + (x > CAST(x AS INTEGER)) AS d
  FROM r
)
SELECT customer, channel,
       SUM(CASE WHEN abandoned OR d = 0 THEN 0
                WHEN d <= 60 THEN 60
                ELSE 60 + ((d - 60 + 5) / 6) * 6 END) AS billable_seconds
FROM w
GROUP BY customer, channel
ORDER BY customer, channel;
