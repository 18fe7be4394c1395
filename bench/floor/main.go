// Command floor is the floor of the runner benchmark: it applies or
// undoes the benchmark's n trivial revisions with nothing but a
// transaction and a version row per revision (see bench.Floor), so that
// runner.sh can tell how much a migration tool adds on top.
//
//	floor -driver sqlite -dsn file:/tmp/b.db -n 1000 up
//	floor -driver pgx -dsn postgres://postgres@127.0.0.1:5432/b -n 1000 down
package main

import (
	"context"
	"database/sql"
	"flag"
	"fmt"
	"os"

	_ "github.com/go-sql-driver/mysql" // registers "mysql"
	_ "github.com/jackc/pgx/v5/stdlib" // registers "pgx"
	_ "modernc.org/sqlite"             // registers "sqlite"

	"github.com/strata-go/strata/bench"
)

func main() {
	driver := flag.String("driver", "sqlite", "database/sql driver: sqlite, pgx or mysql")
	dsn := flag.String("dsn", "", "data source name")
	n := flag.Int("n", 1000, "number of revisions")
	flag.Parse()
	if flag.NArg() != 1 || (flag.Arg(0) != "up" && flag.Arg(0) != "down") || *dsn == "" {
		fmt.Fprintln(os.Stderr, "usage: floor -driver sqlite|pgx|mysql -dsn DSN [-n N] up|down")
		os.Exit(2)
	}
	if err := run(context.Background(), *driver, *dsn, *n, flag.Arg(0) == "up"); err != nil {
		fmt.Fprintln(os.Stderr, "floor:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, driver, dsn string, n int, up bool) error {
	db, err := sql.Open(driver, dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	conn, err := db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	return bench.Floor(ctx, conn, n, up)
}
