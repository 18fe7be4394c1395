-- strata:revision REVISION
-- strata:message add index
-- strata:dialect sqlite

-- migrate:up
CREATE INDEX books_pages ON books (pages);

-- migrate:down
DROP INDEX books_pages;
