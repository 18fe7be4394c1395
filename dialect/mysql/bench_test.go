package mysql_test

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"testing"

	"github.com/strata-go/strata/dialect"
	"github.com/strata-go/strata/dialect/mysql"
	"github.com/strata-go/strata/internal/testdb"
)

// BenchmarkInspect500 times Inspect on a database of 500 tables of 20
// columns, each with 3 indexes and 1 foreign key (to the table before it),
// built once in a fresh database in batches of 50 CREATE TABLE statements
// per round trip (multiStatements).
//
//	go test -run XXX -bench Inspect500 -benchtime 5x ./dialect/mysql/
func BenchmarkInspect500(b *testing.B) {
	const tables = 500
	ctx := context.Background()
	db, d := benchSchema(ctx, b, tables, 0)

	var q dialect.Querier = db
	b.ResetTimer()
	for b.Loop() {
		s, err := d.Inspect(ctx, q, dialect.InspectOptions{})
		if err != nil {
			b.Fatal(err)
		}
		if len(s.Tables) != tables {
			b.Fatalf("inspected %d tables, want %d", len(s.Tables), tables)
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/inspect")
}

// benchSchema opens a fresh database with multiStatements and fills it
// with tables of benchTable, in batches of 50 statements per round trip;
// with rowEvery > 0, every rowEvery-th table (from the first) gets a row
// whose c01 is longer than five characters. The database closes when b
// ends.
func benchSchema(ctx context.Context, b *testing.B, tables, rowEvery int) (*sql.DB, *mysql.Dialect) {
	b.Helper()
	const perBatch = 50
	u := testdb.URL(b, "mysql")
	sep := "?"
	if strings.Contains(u, "?") {
		sep = "&"
	}
	db, err := mysql.Open(u + sep + "multiStatements=true")
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	d, err := mysql.New(ctx, db)
	if err != nil {
		b.Fatal(err)
	}
	var batch []string
	for i := range tables {
		batch = append(batch, benchTable(i))
		if rowEvery > 0 && i%rowEvery == 0 {
			batch = append(batch, fmt.Sprintf("INSERT INTO t%03d (ref, c01) VALUES (NULL, 'a value longer than five')", i))
		}
		if len(batch) >= perBatch || i == tables-1 {
			if _, err := db.ExecContext(ctx, strings.Join(batch, ";\n")); err != nil {
				b.Fatalf("create tables up to t%03d: %v", i, err)
			}
			batch = batch[:0]
		}
	}
	return db, d
}

// benchTable is table i: an id, a reference to table i-1 (to itself for
// the first), 18 columns of assorted types, two plain indexes and a unique
// one.
func benchTable(i int) string {
	var c strings.Builder
	fmt.Fprintf(&c, "CREATE TABLE t%03d (\n  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,\n  ref BIGINT UNSIGNED NULL", i)
	types := []string{"INT NOT NULL DEFAULT 0", "VARCHAR(100) NULL", "DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6)", "DECIMAL(10,2) NULL", "TEXT NULL", "TINYINT(1) NOT NULL DEFAULT 1"}
	for j := range 18 {
		fmt.Fprintf(&c, ",\n  c%02d %s", j, types[j%len(types)])
	}
	ref := i - 1
	if i == 0 {
		ref = 0
	}
	fmt.Fprintf(&c, ",\n  INDEX ix_ref_c00 (ref, c00),\n  INDEX ix_c01 (c01),\n  UNIQUE INDEX uq_c06_c02 (c06, c02)")
	fmt.Fprintf(&c, ",\n  CONSTRAINT fk_t%03d FOREIGN KEY (ref) REFERENCES t%03d (id) ON DELETE SET NULL\n)", i, ref)
	return c.String()
}

// BenchmarkPredictLosses500 times the data-loss guard's prediction for a
// downgrade that drops 500 tables of 20 columns (the schema of
// BenchmarkInspect500, every tenth table holding a row) after narrowing a
// column of each: one catalog query, then counts a hundred to a query.
//
//	go test -run XXX -bench PredictLosses500 -benchtime 5x ./dialect/mysql/
func BenchmarkPredictLosses500(b *testing.B) {
	const tables = 500
	ctx := context.Background()
	db, d := benchSchema(ctx, b, tables, 10)
	var stmts []string
	for i := tables - 1; i >= 0; i-- {
		stmts = append(stmts, fmt.Sprintf("ALTER TABLE t%03d MODIFY c01 VARCHAR(5) NULL", i))
	}
	for i := tables - 1; i >= 0; i-- {
		stmts = append(stmts, fmt.Sprintf("DROP TABLE t%03d", i))
	}
	b.ResetTimer()
	for b.Loop() {
		lost, err := d.PredictLosses(ctx, db, stmts)
		if err != nil {
			b.Fatal(err)
		}
		if len(lost) != 2*tables/10 {
			b.Fatalf("predicted %d losses, want %d", len(lost), 2*tables/10)
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/predict")
}
