package main

import (
	"strings"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/strata-go/strata"
)

// execSQL runs each argument as a statement on $DB, as a tool other than
// strata would (a job queue making its own tables, say).
func execSQL(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) == 0 {
		ts.Fatalf("usage: sql STATEMENT...")
	}
	url := ts.Getenv("DB")
	if file, ok := strings.CutPrefix(url, "sqlite:"); ok {
		url = "sqlite:" + ts.MkAbs(file)
	}
	db, err := strata.OpenDB(url)
	ts.Check(err)
	defer db.Close()
	for _, s := range args {
		_, err := db.Exec(s)
		if neg {
			if err == nil {
				ts.Fatalf("sql %q: want an error", s)
			}
			continue
		}
		ts.Check(err)
	}
}
