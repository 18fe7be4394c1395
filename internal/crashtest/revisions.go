package crashtest

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// A revision is one SQL revision file the program writes: its statements
// are kept apart so that the state after any prefix of them can be built
// by hand, without strata, as the expectation for a revision reported
// half-done.
type revision struct {
	ID      string
	Parent  string
	Message string
	NoTx    bool
	Up      []string
	Down    []string
}

// file renders the revision in strata's SQL form, one statement a line.
func (r revision) file() string {
	var b strings.Builder
	fmt.Fprintf(&b, "-- strata:revision %s\n", r.ID)
	if r.Parent != "" {
		fmt.Fprintf(&b, "-- strata:parents %s\n", r.Parent)
	}
	fmt.Fprintf(&b, "-- strata:message %s\n", r.Message)
	if r.NoTx {
		b.WriteString("-- strata:no-transaction\n")
	}
	b.WriteString("\n-- migrate:up\n")
	for _, s := range r.Up {
		b.WriteString(s + ";\n")
	}
	b.WriteString("\n-- migrate:down\n")
	for _, s := range r.Down {
		b.WriteString(s + ";\n")
	}
	return b.String()
}

// writeRevisions writes revs as files into dir.
func writeRevisions(dir string, revs []revision) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("crashtest: %w", err)
	}
	for i, r := range revs {
		name := fmt.Sprintf("%03d_%s.sql", i+1, strings.ReplaceAll(r.Message, " ", "_"))
		if err := os.WriteFile(filepath.Join(dir, name), []byte(r.file()), 0o644); err != nil {
			return fmt.Errorf("crashtest: write revision: %w", err)
		}
	}
	return nil
}

// revID is the id of the i-th revision (1-based) of a set.
func revID(set string, i int) string { return fmt.Sprintf("2026%s%08d", set, i) }

// chain links revisions by parent in the order given and gives them ids.
func chain(set string, revs []revision) []revision {
	for i := range revs {
		revs[i].ID = revID(set, i+1)
		if i > 0 {
			revs[i].Parent = revs[i-1].ID
		}
	}
	return revs
}

// logRow records in ct_log that revision name ran; ct_log has no key, so
// a revision applied twice leaves two rows.
func logRow(name string) string   { return fmt.Sprintf("INSERT INTO ct_log (rev) VALUES ('%s')", name) }
func unlogRow(name string) string { return fmt.Sprintf("DELETE FROM ct_log WHERE rev = '%s'", name) }

// trialRevisions is the revision set the kill trials run: real DDL and
// DML on every dialect (tables with foreign keys, columns added and
// dropped with their data, indexes, a rename, inserts and non-idempotent
// updates whose double application shows in the data), one of them
// outside a transaction.
func trialRevisions(dialect string) []revision {
	dropIndex := func(name, table string) string {
		if dialect == "mysql" {
			return fmt.Sprintf("DROP INDEX %s ON %s", name, table)
		}
		return "DROP INDEX " + name
	}
	concurrently := ""
	if dialect == "postgres" {
		concurrently = " CONCURRENTLY"
	}
	// rebuild remakes ct_log with the columns cols by strata's SQLite
	// procedure (the old table renamed aside, the new one created under
	// its name, the rows copied, the old one dropped); only SQLite needs
	// legacy_alter_table around it, a setting of the connection that a
	// kill must not leave behind.
	rebuild := func(cols string) []string {
		stmts := []string{
			"ALTER TABLE ct_log RENAME TO ct_log_old",
			"CREATE TABLE ct_log (" + cols + ")",
			"INSERT INTO ct_log (rev) SELECT rev FROM ct_log_old",
			"DROP TABLE ct_log_old",
		}
		if dialect == "sqlite" {
			stmts = append(append([]string{"PRAGMA legacy_alter_table = ON"}, stmts...), "PRAGMA legacy_alter_table = OFF")
		}
		return stmts
	}
	return chain("01", []revision{
		{Message: "authors", Up: []string{
			"CREATE TABLE ct_log (rev VARCHAR(20) NOT NULL)",
			"CREATE TABLE ct_author (id INT NOT NULL PRIMARY KEY, name VARCHAR(100) NOT NULL)",
			"INSERT INTO ct_author (id, name) VALUES (1, 'ann'), (2, 'bob'), (3, 'cyd')",
			logRow("r01"),
		}, Down: []string{
			"DROP TABLE ct_author",
			"DROP TABLE ct_log",
		}},
		{Message: "books", Up: []string{
			"CREATE TABLE ct_book (id INT NOT NULL PRIMARY KEY, author_id INT NOT NULL, title VARCHAR(200) NOT NULL, " +
				"CONSTRAINT ct_book_author FOREIGN KEY (author_id) REFERENCES ct_author (id))",
			"INSERT INTO ct_book (id, author_id, title) VALUES (1, 1, 'alpha'), (2, 1, 'beta'), (3, 2, 'gamma')",
			logRow("r02"),
		}, Down: []string{
			unlogRow("r02"),
			"DROP TABLE ct_book",
		}},
		{Message: "book pages", Up: []string{
			"ALTER TABLE ct_book ADD COLUMN pages INT",
			"UPDATE ct_book SET pages = id * 100",
			logRow("r03"),
		}, Down: []string{
			unlogRow("r03"),
			"ALTER TABLE ct_book DROP COLUMN pages",
		}},
		{Message: "book title index", Up: []string{
			"CREATE INDEX ct_book_title ON ct_book (title)",
			logRow("r04"),
		}, Down: []string{
			unlogRow("r04"),
			dropIndex("ct_book_title", "ct_book"),
		}},
		{Message: "author score", Up: []string{
			"ALTER TABLE ct_author ADD COLUMN score INT NOT NULL DEFAULT 0",
			logRow("r05"),
			"UPDATE ct_author SET score = score + 10",
		}, Down: []string{
			"UPDATE ct_author SET score = score - 10",
			unlogRow("r05"),
			"ALTER TABLE ct_author DROP COLUMN score",
		}},
		{Message: "rename books to volumes", Up: []string{
			"ALTER TABLE ct_book RENAME TO ct_volume",
			logRow("r06"),
		}, Down: []string{
			unlogRow("r06"),
			"ALTER TABLE ct_volume RENAME TO ct_book",
		}},
		{Message: "volume pages index", NoTx: true, Up: []string{
			"CREATE INDEX" + concurrently + " ct_volume_pages ON ct_volume (pages)",
			logRow("r07"),
			"UPDATE ct_author SET score = score + 1",
		}, Down: []string{
			"UPDATE ct_author SET score = score - 1",
			unlogRow("r07"),
			strings.Replace(dropIndex("ct_volume_pages", "ct_volume"), "DROP INDEX", "DROP INDEX"+concurrently, 1),
		}},
		{Message: "tags", Up: []string{
			"CREATE TABLE ct_tag (id INT NOT NULL PRIMARY KEY, label VARCHAR(50) NOT NULL, CONSTRAINT ct_tag_label UNIQUE (label))",
			"INSERT INTO ct_tag (id, label) VALUES (1, 'new'), (2, 'old')",
			"CREATE TABLE ct_volume_tag (volume_id INT NOT NULL, tag_id INT NOT NULL, PRIMARY KEY (volume_id, tag_id), " +
				"CONSTRAINT ct_volume_tag_volume FOREIGN KEY (volume_id) REFERENCES ct_volume (id), " +
				"CONSTRAINT ct_volume_tag_tag FOREIGN KEY (tag_id) REFERENCES ct_tag (id))",
			"INSERT INTO ct_volume_tag (volume_id, tag_id) VALUES (1, 2), (2, 2), (3, 1)",
			logRow("r08"),
		}, Down: []string{
			unlogRow("r08"),
			"DROP TABLE ct_volume_tag",
			"DROP TABLE ct_tag",
		}},
		{Message: "author email replaces score", Up: []string{
			"ALTER TABLE ct_author ADD COLUMN email VARCHAR(200)",
			"UPDATE ct_author SET email = CASE id WHEN 1 THEN 'ann@example.com' WHEN 2 THEN 'bob@example.com' ELSE 'cyd@example.com' END",
			"ALTER TABLE ct_author DROP COLUMN score",
			logRow("r09"),
		}, Down: []string{
			unlogRow("r09"),
			"ALTER TABLE ct_author ADD COLUMN score INT NOT NULL DEFAULT 0",
			"UPDATE ct_author SET score = 11",
			"ALTER TABLE ct_author DROP COLUMN email",
		}},
		{Message: "more volumes", Up: []string{
			"INSERT INTO ct_volume (id, author_id, title, pages) VALUES (4, 3, 'delta', 400), (5, 2, 'epsilon', 500)",
			"UPDATE ct_volume SET pages = pages + 1 WHERE id <= 2",
			logRow("r10"),
		}, Down: []string{
			unlogRow("r10"),
			"UPDATE ct_volume SET pages = pages - 1 WHERE id <= 2",
			"DELETE FROM ct_volume WHERE id IN (4, 5)",
		}},
		{Message: "volume isbn", Up: []string{
			"ALTER TABLE ct_volume ADD COLUMN isbn VARCHAR(20)",
			"UPDATE ct_volume SET isbn = CASE id WHEN 1 THEN 'i-1' WHEN 2 THEN 'i-2' WHEN 3 THEN 'i-3' WHEN 4 THEN 'i-4' ELSE 'i-5' END",
			"CREATE UNIQUE INDEX ct_volume_isbn ON ct_volume (isbn)",
			logRow("r11"),
		}, Down: []string{
			unlogRow("r11"),
			dropIndex("ct_volume_isbn", "ct_volume"),
			"ALTER TABLE ct_volume DROP COLUMN isbn",
		}},
		{Message: "log rebuilt", Up: append(rebuild("rev VARCHAR(20) NOT NULL, note VARCHAR(20)"),
			logRow("r12"),
		), Down: append([]string{unlogRow("r12")},
			rebuild("rev VARCHAR(20) NOT NULL")...,
		)},
	})
}

// counterRevisions is the revision set of the concurrency rounds: n
// revisions, each creating a table and inserting its counter row into
// ct_counter (no key, so a revision applied twice shows twice); every
// fourth runs outside a transaction.
func counterRevisions(n int) []revision {
	revs := make([]revision, n)
	revs[0] = revision{Message: "counter", Up: []string{
		"CREATE TABLE ct_counter (rev VARCHAR(20) NOT NULL)",
		"INSERT INTO ct_counter (rev) VALUES ('c01')",
	}, Down: []string{"DROP TABLE ct_counter"}}
	for i := 1; i < n; i++ {
		name := fmt.Sprintf("c%02d", i+1)
		revs[i] = revision{Message: "counter " + name, NoTx: (i+1)%4 == 0, Up: []string{
			fmt.Sprintf("CREATE TABLE ct_%s (id INT NOT NULL PRIMARY KEY)", name),
			fmt.Sprintf("INSERT INTO ct_counter (rev) VALUES ('%s')", name),
		}, Down: []string{
			fmt.Sprintf("DELETE FROM ct_counter WHERE rev = '%s'", name),
			fmt.Sprintf("DROP TABLE ct_%s", name),
		}}
	}
	return chain("02", revs)
}
