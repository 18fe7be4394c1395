INSERT INTO notes (body) VALUES ('it''s; fine');
SELECT "a""b;c" FROM t;
SELECT '''' AS q; SELECT '';
SELECT 'C:\'; SELECT 2;
