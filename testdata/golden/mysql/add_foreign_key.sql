-- strata:revision REVISION
-- strata:message add foreign key
-- strata:dialect mysql

-- migrate:up
CREATE INDEX `books_translator_fk` ON `books` (`translator_id`);
ALTER TABLE `books` ADD CONSTRAINT `books_translator_fk` FOREIGN KEY (`translator_id`) REFERENCES `authors` (`id`);

-- migrate:down
ALTER TABLE `books` DROP FOREIGN KEY `books_translator_fk`;
DROP INDEX `books_translator_fk` ON `books`;
