INSERT INTO notes (body) VALUES ('semi; colon');
SELECT "odd;column", `back;tick` FROM t;
INSERT INTO notes (body) VALUES ('multi
line; string');
SELECT 'a' || 'b;c' AS x;
