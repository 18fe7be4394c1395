-- strata:revision REVISION
-- strata:message add foreign key
-- strata:dialect mysql

-- migrate:up
ALTER TABLE `books`
  DROP INDEX `books_title`,
  ADD INDEX `books_translator_fk` (`translator_id`);
ALTER TABLE `books`
  ADD INDEX `books_title` (`title`),
  ADD CONSTRAINT `books_translator_fk` FOREIGN KEY (`translator_id`) REFERENCES `authors` (`id`);

-- migrate:down
ALTER TABLE `books`
  DROP FOREIGN KEY `books_translator_fk`,
  DROP INDEX `books_title`,
  DROP INDEX `books_translator_fk`;
CREATE INDEX `books_title` ON `books` (`title`);
