-- strata:revision REVISION
-- strata:message add not null column backfilled
-- strata:dialect mysql

-- migrate:up
-- warning: add column "books"."rating": 2 existing row(s) get 0
ALTER TABLE `books` ADD COLUMN `rating` INT NULL;
UPDATE `books` SET `rating` = 0 WHERE `rating` IS NULL;
ALTER TABLE `books` MODIFY COLUMN `rating` INT NOT NULL;

-- migrate:down
ALTER TABLE `books` DROP COLUMN `rating`;
