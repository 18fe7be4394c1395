CREATE FUNCTION touch() RETURNS trigger AS $$
BEGIN
  NEW.updated_at = now();
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE FUNCTION f() RETURNS text AS $body$
  SELECT 'a;b' || $$;$$;
$body$ LANGUAGE sql;
CREATE FUNCTION g() RETURNS int AS $fn_2$ SELECT 1; $fn_2$ LANGUAGE sql;
PREPARE p AS SELECT $1::int; EXECUTE p(1);
DO $$ BEGIN RAISE NOTICE 'x;'; END $$;
