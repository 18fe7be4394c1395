-- strata:revision REVISION
-- strata:message add index
-- strata:dialect postgres

-- migrate:up
-- lint PG101 index built without CONCURRENTLY: builds an index on books while blocking writes to it; use CREATE INDEX CONCURRENTLY in a revision marked -- strata:no-transaction (docs/lint/PG101.md)
CREATE INDEX "books_pages" ON "books" ("pages");

-- migrate:down
DROP INDEX "books_pages";
