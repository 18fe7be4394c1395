package strata

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/strata-go/strata/internal/dburl"
)

// ConfigFile is the name of strata's project configuration.
const ConfigFile = "strata.toml"

const configTemplate = `# strata configuration. Flags and the DATABASE_URL environment variable
# take precedence over what is written here.

# The database to migrate:
#   sqlite:app.db, sqlite::memory:
#   postgres://user:password@host:5432/dbname?sslmode=disable
#   mysql://user:password@host:3306/dbname   (MySQL and MariaDB)
# No password belongs in this file: write ${DATABASE_PASSWORD} (or any
# ${VAR}) where it goes and export the variable, or set DATABASE_URL.
# ${VAR} and $VAR are read from the environment; $$ is a literal $.
database = %q

# Where revision files live.
dir = %q

# The form of the revisions migrate writes: "sql", or "go" (a Go migration
# in the migrations package, compiled into the application).
format = "sql"

# How long upgrade, downgrade, stamp and repair wait for another run's lock
# on the database before giving up ("30s", "5m"; "0" waits forever).
# lock_timeout = "1m"

# Further directories of revision files, read with dir into one graph;
# revision --version-path DIR writes into one of them.
# version_paths = ["migrations_billing"]

# An empty database strata may use where it needs a scratch database
# (test, upgrade --sql of Go revisions, migrate --schema) instead of
# creating one; it is emptied again afterwards. Of the same kind as
# database, ${VAR} filled in the same way.
# dev_url = "postgres://user:${DATABASE_PASSWORD}@host:5432/strata_dev"

# Tables that migrate and check leave alone, such as another tool's (globs:
# * ? [a-z]); with include, only the matching tables are compared.
# exclude = ["river_*"]
# include = ["app_*"]
`

// embedTemplate makes the migrations directory a Go package whose FS holds
// the revision files, so that `go build` ships them inside the binary and
// Go migrations in the same package register themselves on import.
const embedTemplate = `// Package migrations holds this application's schema revisions: the SQL
// files strata writes here, embedded in FS, and Go migrations, which
// register themselves when the package is imported.
//
// Written by strata init; keep it.
package migrations

import "embed"

// FS holds the revision files. Pass it to strata.WithFS, or to
// cli.WithFS for the mounted commands, to run the migrations without the
// directory on disk.
//
//go:embed *
var FS embed.FS
`

// PasswordVariable is the environment variable that the strata.toml Init
// writes names in place of a password.
const PasswordVariable = "DATABASE_PASSWORD"

// ConfigDatabase returns a database URL as strata.toml should hold it:
// any password (user:password@, ?password=) replaced by
// ${DATABASE_PASSWORD}, and every other $ doubled so that reading the
// file back (ExpandURL) gives the URL again. hadPassword reports whether
// there was a password to replace.
func ConfigDatabase(rawURL string) (stored string, hadPassword bool) {
	const mark = "\x00strata-password\x00"
	replaced := dburl.ReplacePassword(rawURL, mark)
	stored = strings.ReplaceAll(strings.ReplaceAll(replaced, "$", "$$"), mark, "${"+PasswordVariable+"}")
	return stored, replaced != rawURL
}

// ExpandURL fills in the ${VAR} and $VAR of a database URL from
// strata.toml with the environment's values ($$ is a literal $); a value
// that lands in the password (or the user, or a query value) is
// %-escaped. An unset variable is an error that names it.
func ExpandURL(configured string) (string, error) {
	u, err := dburl.Expand(configured)
	if err != nil {
		return "", fmt.Errorf("strata: database URL: %w", err)
	}
	return u, nil
}

// Init creates the migrations directory, as a Go package that embeds its
// revision files (embed.go), and a commented strata.toml in root. It leaves an existing strata.toml alone and fails if the
// migrations directory already holds files, so it never overwrites work.
// The database URL is written without its password (see ConfigDatabase).
func Init(root, dir, database string) error {
	migrations := filepath.Join(root, dir)
	entries, err := os.ReadDir(migrations)
	switch {
	case err == nil && len(entries) > 0:
		return fmt.Errorf("strata: init: %s already exists and is not empty; nothing was changed", migrations)
	case err != nil && !errors.Is(err, fs.ErrNotExist):
		return fmt.Errorf("strata: init: %w", err)
	}
	if err := os.MkdirAll(migrations, 0o755); err != nil {
		return fmt.Errorf("strata: init: %w", err)
	}
	embedFile := filepath.Join(migrations, "embed.go")
	if err := os.WriteFile(embedFile, []byte(embedTemplate), 0o644); err != nil {
		return fmt.Errorf("strata: init: %w", err)
	}
	cfg := filepath.Join(root, ConfigFile)
	f, err := os.OpenFile(cfg, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if errors.Is(err, fs.ErrExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("strata: init: %w", err)
	}
	stored, _ := ConfigDatabase(database)
	if _, err := fmt.Fprintf(f, configTemplate, stored, dir); err != nil {
		f.Close()
		return fmt.Errorf("strata: init: write %s: %w", cfg, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("strata: init: write %s: %w", cfg, err)
	}
	return nil
}
