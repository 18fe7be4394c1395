package mysql

import "github.com/strata-go/strata/dialect"

// CreateDatabaseSQL creates a scratch database.
func (Dialect) CreateDatabaseSQL(name string) string { return "CREATE DATABASE " + quote(name) }

// DropDatabaseSQL drops a scratch database.
func (Dialect) DropDatabaseSQL(name string) string { return "DROP DATABASE IF EXISTS " + quote(name) }

var _ dialect.Scratcher = Dialect{}
