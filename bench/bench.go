// Package bench holds what strata's benchmarks share: the trivial
// revisions they apply and the floor, the least a migration tool can do
// to apply them.
//
// runner.sh times the strata binary against goose and the floor program
// (bench/floor) on SQLite, PostgreSQL and MySQL; runner_bench_test.go times the
// library on SQLite alone, so that `go test -bench . ./bench/` needs no
// server. docs/benchmarks.md holds the numbers.
package bench

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
)

// ID returns the id of the i-th of n revisions (1-based): i zero-padded to
// at least four digits, so that the ids sort in order.
func ID(i, n int) string {
	width := max(4, len(fmt.Sprint(n)))
	return fmt.Sprintf("%0*d", width, i)
}

// Up and Down are the statements of the i-th of n revisions.
func Up(i, n int) string   { return fmt.Sprintf("CREATE TABLE t_%s (id integer primary key)", ID(i, n)) }
func Down(i, n int) string { return fmt.Sprintf("DROP TABLE t_%s", ID(i, n)) }

// WriteRevisions writes n strata SQL revisions into dir, each the child of
// the one before: NNNN_t_NNNN.sql creates table t_NNNN and drops it on the
// way down. runner.sh writes the same files with printf.
func WriteRevisions(dir string, n int) error {
	for i := 1; i <= n; i++ {
		id := ID(i, n)
		parents := ""
		if i > 1 {
			parents = "-- strata:parents " + ID(i-1, n) + "\n"
		}
		data := fmt.Sprintf("-- strata:revision %s\n%s\n-- migrate:up\n%s;\n\n-- migrate:down\n%s;\n",
			id, parents, Up(i, n), Down(i, n))
		if err := os.WriteFile(filepath.Join(dir, id+"_t_"+id+".sql"), []byte(data), 0o644); err != nil {
			return fmt.Errorf("bench: %w", err)
		}
	}
	return nil
}

// FloorTable is the floor's version table.
const FloorTable = "floor_version"

// Floor applies (up) or undoes (down) n trivial revisions on conn the
// least costly way a tool can while keeping a tool's guarantees: each
// revision in its own transaction with its version row, statements sent
// as literal SQL. It reads nothing: no files, no version table, no plan.
// On the way up it creates the version table first, as every tool must.
func Floor(ctx context.Context, conn *sql.Conn, n int, up bool) error {
	if up {
		if _, err := conn.ExecContext(ctx, "CREATE TABLE IF NOT EXISTS "+FloorTable+" (revision varchar(64) PRIMARY KEY)"); err != nil {
			return fmt.Errorf("bench: floor: create version table: %w", err)
		}
	}
	step := func(i int) error {
		id := ID(i, n)
		stmt, record := Up(i, n), "INSERT INTO "+FloorTable+" (revision) VALUES ('"+id+"')"
		if !up {
			stmt, record = Down(i, n), "DELETE FROM "+FloorTable+" WHERE revision = '"+id+"'"
		}
		tx, err := conn.BeginTx(ctx, nil)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, stmt); err != nil {
			tx.Rollback()
			return fmt.Errorf("%s: %w", stmt, err)
		}
		if _, err := tx.ExecContext(ctx, record); err != nil {
			tx.Rollback()
			return fmt.Errorf("%s: %w", record, err)
		}
		return tx.Commit()
	}
	if up {
		for i := 1; i <= n; i++ {
			if err := step(i); err != nil {
				return fmt.Errorf("bench: floor: up %s: %w", ID(i, n), err)
			}
		}
		return nil
	}
	for i := n; i >= 1; i-- {
		if err := step(i); err != nil {
			return fmt.Errorf("bench: floor: down %s: %w", ID(i, n), err)
		}
	}
	return nil
}
