package postgres

import "github.com/strata-go/strata/dialect"

// CreateDatabaseSQL creates a scratch database.
func (Dialect) CreateDatabaseSQL(name string) string { return "CREATE DATABASE " + quote(name) }

// DropDatabaseSQL drops a scratch database, ending its sessions.
func (Dialect) DropDatabaseSQL(name string) string {
	return "DROP DATABASE IF EXISTS " + quote(name) + " WITH (FORCE)"
}

var _ dialect.Scratcher = Dialect{}
