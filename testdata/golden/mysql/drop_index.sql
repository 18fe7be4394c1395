-- strata:revision REVISION
-- strata:message drop index
-- strata:dialect mysql

-- migrate:up
DROP INDEX `books_title` ON `books`;

-- migrate:down
CREATE INDEX `books_title` ON `books` (`title`);
