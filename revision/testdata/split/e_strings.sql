INSERT INTO notes (body) VALUES (E'it\'s; escaped');
SELECT e'back\\slash;' AS b;
SELECT E'\\'; SELECT E'a\'b' || 'c''d;';
