// Command todo is a small application that keeps a to-do list and mounts
// strata's commands under "db", the way `flask db` lives inside a Flask
// app:
//
//	go run ./examples/todo db init
//	go run ./examples/todo db migrate -m "create todos"
//	go run ./examples/todo db upgrade
//	go run ./examples/todo add "buy milk"
//	go run ./examples/todo list
//
// The database comes from --database, DATABASE_URL, strata.toml or the
// default sqlite:app.db, as for strata itself.
package main

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"reflect"
	"strings"

	"github.com/spf13/cobra"

	"github.com/strata-go/strata"
	"github.com/strata-go/strata/cli"
)

func main() {
	// Execute runs the commands the way strata itself does: the first
	// Ctrl-C stops a migration cleanly (exit 130), a second kills at once;
	// errors print once, without the usage text; a mistyped command or
	// flag exits 2, a failure 1.
	os.Exit(cli.Execute(context.Background(), app()))
}

func app() *cobra.Command {
	var database string
	root := &cobra.Command{Use: "todo", Short: "A to-do list"}
	root.PersistentFlags().StringVar(&database, "database", "", "database URL")
	root.AddCommand(cli.New(cli.WithName("db"), cli.WithModels(Models...)))

	open := func() (*sql.DB, error) {
		url, err := cli.ResolveDatabase(database, strata.ConfigFile)
		if err != nil {
			return nil, err
		}
		return strata.OpenDB(url)
	}
	root.AddCommand(&cobra.Command{
		Use:   "add DESCRIPTION",
		Short: "Add a to-do",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			db, err := open()
			if err != nil {
				return err
			}
			defer db.Close()
			_, err = db.ExecContext(cmd.Context(), "INSERT INTO todos (description) VALUES ("+placeholder(db)+")", args[0])
			return err
		},
	})
	root.AddCommand(&cobra.Command{
		Use:   "list",
		Short: "List the to-dos, every column",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			db, err := open()
			if err != nil {
				return err
			}
			defer db.Close()
			return list(cmd, db)
		},
	})
	return root
}

// placeholder returns the driver's parameter marker: $1 for pgx, ? for
// the others.
func placeholder(db *sql.DB) string {
	if strings.Contains(reflect.TypeOf(db.Driver()).Elem().PkgPath(), "pgx") {
		return "$1"
	}
	return "?"
}

// list prints each row as name=value pairs, whatever columns the table has
// at this revision.
func list(cmd *cobra.Command, db *sql.DB) error {
	rows, err := db.QueryContext(cmd.Context(), "SELECT * FROM todos ORDER BY id")
	if err != nil {
		return err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return err
	}
	types, err := rows.ColumnTypes()
	if err != nil {
		return err
	}
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return err
		}
		parts := make([]string, len(cols))
		for i, c := range cols {
			parts[i] = fmt.Sprintf("%s=%s", c, show(vals[i], types[i].DatabaseTypeName()))
		}
		fmt.Fprintln(cmd.OutOrStdout(), strings.Join(parts, " "))
	}
	return rows.Err()
}

// show prints a value the same way on every database. Booleans come back
// as integers from SQLite and MySQL (whose BOOLEAN is TINYINT), so a
// boolean-typed column prints false or true.
func show(v any, dbType string) string {
	if v == nil {
		return "NULL"
	}
	if b, ok := v.([]byte); ok {
		v = string(b)
	}
	switch strings.ToUpper(dbType) {
	case "BOOL", "BOOLEAN", "TINYINT":
		switch fmt.Sprint(v) {
		case "0", "false":
			return "false"
		case "1", "true":
			return "true"
		}
	}
	return fmt.Sprint(v)
}
