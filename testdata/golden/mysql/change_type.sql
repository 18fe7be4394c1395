-- strata:revision REVISION
-- strata:message change type
-- strata:dialect mysql

-- migrate:up
-- warning: NARROWING: alter column "books"."pages" (type int32, want varchar(20)): int32 to varchar(20), another kind of type; values that do not fit make the upgrade fail or are cut
-- lint MY201 change that cannot run in place: changes the type of books.pages, which copies the table (ALGORITHM=COPY) and blocks writes (docs/lint/MY201.md)
ALTER TABLE `books` MODIFY COLUMN `pages` VARCHAR(20) NULL;

-- migrate:down
ALTER TABLE `books` MODIFY COLUMN `pages` INT NULL;
