CREATE TABLE notes (body TEXT);
INSERT INTO notes VALUES ('it\'s; "quoted"'), ("a\"b;"), ('\\');

DELIMITER $$
CREATE TRIGGER notes_bi BEFORE INSERT ON notes FOR EACH ROW
BEGIN
    IF NEW.body = '' THEN
        SET NEW.body = 'empty; $ $';
    END IF;
END$$

CREATE PROCEDURE add_note(IN b TEXT)
BEGIN
    INSERT INTO notes VALUES (b);
END $$
DELIMITER ;

# Back to semicolons.
CALL add_note('done;');
