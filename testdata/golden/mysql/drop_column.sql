-- strata:revision REVISION
-- strata:message drop column
-- strata:dialect mysql

-- migrate:up
-- warning: DATA LOSS: drop column "books"."note": 1 value(s) will be lost
-- lint SL002 drop column: drops column books.note and its values; the running application may still read or write it (docs/lint/SL002.md)
ALTER TABLE `books` DROP COLUMN `note`;

-- migrate:down
ALTER TABLE `books` ADD COLUMN `note` VARCHAR(200) NULL AFTER `pages`;
