CREATE TRIGGER todos_touch AFTER UPDATE ON todos
FOR EACH ROW
BEGIN
  UPDATE todos SET updated_at = CURRENT_TIMESTAMP WHERE id = NEW.id;
  INSERT INTO audit (msg) VALUES ('updated; ' || CASE WHEN NEW.done THEN 'done' ELSE 'open' END);
END;
CREATE TEMP TRIGGER IF NOT EXISTS t2 BEFORE DELETE ON todos BEGIN SELECT RAISE(ABORT, 'no;'); END;
INSERT INTO todos (title) VALUES ('after the triggers');
