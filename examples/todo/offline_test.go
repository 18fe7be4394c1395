package main

// unreachableURL is $NODB of the scripts: a database of the dialect that
// no server answers (its password to be hidden in messages); for SQLite
// the default app.db, which the scripts check is never created.
func unreachableURL(dialect string) string {
	switch dialect {
	case "postgres":
		return "postgres://someone:s3cret@127.0.0.1:1/nodb?connect_timeout=2"
	case "mysql":
		return "mysql://someone:s3cret@127.0.0.1:1/nodb?timeout=2s"
	}
	return "sqlite:app.db"
}
