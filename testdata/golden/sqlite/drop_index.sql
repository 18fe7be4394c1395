-- strata:revision REVISION
-- strata:message drop index
-- strata:dialect sqlite

-- migrate:up
DROP INDEX books_title;

-- migrate:down
CREATE INDEX books_title ON books (title);
