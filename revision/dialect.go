package revision

import "strings"

// CanonicalDialect spells a database's name as a revision header records
// it, the names dialect.Dialect's Name method gives: "postgresql" is
// "postgres", "mariadb" is "mysql" (one dialect: MariaDB is served by
// the MySQL dialect), "sqlite3" is "sqlite". Other names are returned in
// lower case.
func CanonicalDialect(name string) string {
	switch name = strings.ToLower(name); name {
	case "postgresql":
		return "postgres"
	case "mariadb":
		return "mysql"
	case "sqlite3":
		return "sqlite"
	}
	return name
}

// knownDialect reports whether Split knows how the named database reads
// SQL (ForDialect).
func knownDialect(name string) bool {
	switch name {
	case "sqlite", "postgres", "mysql":
		return true
	}
	return false
}

// Portable reports whether r runs on any database in direction up (or
// down, when up is false): a Go revision, whose ops each dialect renders;
// a SQL revision that does not record its dialect; or one with no
// statement in that direction (a merge, an empty revision).
func (r *Revision) Portable(up bool) bool {
	if r.IsGo() || r.Dialect == "" {
		return true
	}
	if up {
		return len(r.Up) == 0
	}
	return len(r.Down) == 0
}
