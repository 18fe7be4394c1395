SELECT 1;
SELECT 2;

INSERT INTO t VALUES (
  1,
  'unterminated;
);
