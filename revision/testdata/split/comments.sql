-- a leading comment; with a semicolon
CREATE TABLE a (id int); -- trailing; comment
/* a block; comment */ CREATE TABLE b (id int);
/*
 * a multi-line block;
 * comment;
 */
CREATE TABLE c (
  id int, -- an inline; comment
  /* another; */ name text
);
SELECT 1 -- note; the semicolon below is after a comment
;
SELECT 2 /* block at the end; */;
SELECT '--not a comment;' AS x, '/*nor this;*/' AS y;
-- a closing comment;
