-- Nexmark q11 (user sessions: bids per bidder per session with a 10 s gap) in weir's dialect:
-- the queries folder (RisingWave's) has no q11, so this is Flink's q11 written as a
-- RisingWave-style blackhole sink over snake_case columns, with Flink's group-window SESSION.
CREATE SINK nexmark_q11 AS
SELECT
    B.bidder,
    count(*) AS bid_count,
    SESSION_START(B.date_time, INTERVAL '10' SECOND) AS starttime,
    SESSION_END(B.date_time, INTERVAL '10' SECOND) AS endtime
FROM bid B
GROUP BY B.bidder, SESSION(B.date_time, INTERVAL '10' SECOND)
WITH (connector = 'blackhole', type = 'append-only', force_append_only = 'true');
