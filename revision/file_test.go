package revision_test

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/strata-go/strata/revision"
)

const todoFile = `-- strata:revision 20261125093000
-- strata:parents 20261124170512
-- strata:message add completed to todos

-- migrate:up
ALTER TABLE todos ADD COLUMN completed boolean NOT NULL DEFAULT false;
CREATE INDEX idx_todos_completed
  ON todos (completed);

-- migrate:down
DROP INDEX idx_todos_completed;
ALTER TABLE todos DROP COLUMN completed;
`

func TestParse(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		file string
		want *revision.Revision
	}{
		{
			name: "full",
			file: todoFile,
			want: &revision.Revision{
				ID:      "20261125093000",
				Parents: []string{"20261124170512"},
				Message: "add completed to todos",
				Up: []revision.Statement{
					{SQL: "ALTER TABLE todos ADD COLUMN completed boolean NOT NULL DEFAULT false", Line: 6},
					{SQL: "CREATE INDEX idx_todos_completed\n  ON todos (completed)", Line: 7},
				},
				Down: []revision.Statement{
					{SQL: "DROP INDEX idx_todos_completed", Line: 11},
					{SQL: "ALTER TABLE todos DROP COLUMN completed", Line: 12},
				},
			},
		},
		{
			name: "base without down",
			file: "-- strata:revision 1\n-- migrate:up\nCREATE TABLE a (id int)\n",
			want: &revision.Revision{ID: "1", Up: []revision.Statement{{SQL: "CREATE TABLE a (id int)", Line: 3}}},
		},
		{
			name: "merge with comma and space separated parents",
			file: "-- strata:revision m\n-- strata:parents a, b c\n-- migrate:up\n-- migrate:down\n",
			want: &revision.Revision{ID: "m", Parents: []string{"a", "b", "c"}},
		},
		{
			name: "no transaction, CRLF, indented markers, comments around",
			file: "-- a note about this file\r\n  -- strata:revision r_1  \r\n-- strata:no-transaction\r\n\r\n -- migrate:up \r\nCREATE INDEX CONCURRENTLY ix ON t (a);\r\n-- migrate:down\r\nDROP INDEX CONCURRENTLY ix;\r\n",
			want: &revision.Revision{
				ID:            "r_1",
				NoTransaction: true,
				Up:            []revision.Statement{{SQL: "CREATE INDEX CONCURRENTLY ix ON t (a)", Line: 6}},
				Down:          []revision.Statement{{SQL: "DROP INDEX CONCURRENTLY ix", Line: 8}},
			},
		},
		{
			name: "empty sections",
			file: "-- strata:revision 2\n-- strata:message   spaced   out  \n-- migrate:up\n-- nothing yet\n-- migrate:down\n",
			want: &revision.Revision{ID: "2", Message: "spaced   out"},
		},
		{
			name: "dialect, spelled as the database's other name",
			file: "-- strata:revision 4\n-- strata:dialect MariaDB\n-- migrate:up\nSELECT 1;\n",
			want: &revision.Revision{ID: "4", Dialect: "mysql", Up: []revision.Statement{{SQL: "SELECT 1", Line: 4}}},
		},
		{
			name: "statement lines in down follow the file",
			file: "-- strata:revision 3\n-- migrate:up\nSELECT 1;\n\n\n-- migrate:down\n\n\nSELECT\n2;",
			want: &revision.Revision{
				ID:   "3",
				Up:   []revision.Statement{{SQL: "SELECT 1", Line: 3}},
				Down: []revision.Statement{{SQL: "SELECT\n2", Line: 9}},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := revision.Parse("f.sql", []byte(tt.file))
			if err != nil {
				t.Fatal(err)
			}
			tt.want.Path = "f.sql"
			tt.want.Checksum = revision.Checksum([]byte(tt.file))
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Parse:\n got %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		file string
		want string
	}{
		{"no revision line", "-- strata:message x\n-- migrate:up\nSELECT 1;\n", "f.sql:1: no -- strata:revision line"},
		{"empty file", "", "f.sql:1: no -- strata:revision line"},
		{"no up section", "-- strata:revision 1\n\nSELECT 1;\n", "f.sql:4: no -- migrate:up section"},
		{"unknown directive", "-- strata:revision 1\n-- strata:parent 0\n-- migrate:up\n", `f.sql:2: unknown directive "strata:parent" (known: revision, parents, branch-labels, depends-on, message, dialect, no-transaction, lint-ignore)`},
		{"bad dialect", "-- strata:revision 1\n-- strata:dialect sql server\n-- migrate:up\n", `f.sql:2: dialect "sql server": want sqlite, postgres or mysql`},
		{"directive after up", "-- strata:revision 1\n-- migrate:up\nSELECT 1;\n-- strata:message late\n", `f.sql:4: directive "-- strata:message late" must be in the header, before -- migrate:up`},
		{"directive after down", "-- strata:revision 1\n-- migrate:up\n-- migrate:down\n-- strata:no-transaction\n", `f.sql:4: directive "-- strata:no-transaction" must be in the header`},
		{"down before up", "-- strata:revision 1\n-- migrate:down\nSELECT 1;\n-- migrate:up\n", "f.sql:2: -- migrate:down must follow -- migrate:up, once"},
		{"up twice", "-- strata:revision 1\n-- migrate:up\n-- migrate:up\n", "f.sql:3: -- migrate:up must come before -- migrate:down, once"},
		{"up after down", "-- strata:revision 1\n-- migrate:up\n-- migrate:down\n-- migrate:up\n", "f.sql:4: -- migrate:up must come before -- migrate:down, once"},
		{"down twice", "-- strata:revision 1\n-- migrate:up\n-- migrate:down\n-- migrate:down\n", "f.sql:4: -- migrate:down must follow -- migrate:up, once"},
		{"unknown section", "-- strata:revision 1\n-- migrate:sideways\n", `f.sql:2: unknown section "-- migrate:sideways"`},
		{"bad id", "-- strata:revision 2026-11-25\n-- migrate:up\n", `f.sql:1: revision id "2026-11-25": use letters, digits and _ only`},
		{"empty id", "-- strata:revision\n-- migrate:up\n", `f.sql:1: revision id "": use letters, digits and _ only`},
		{"bad parent id", "\n-- strata:revision 2\n-- strata:parents 1 ../x\n-- migrate:up\n", `f.sql:3: parent id "../x": use letters, digits and _ only`},
		{"unterminated quote in up", "-- strata:revision 1\n-- migrate:up\nSELECT 1;\nSELECT 'x;\n", "f.sql:4: unterminated ' quote"},
		{"unterminated comment in down", "-- strata:revision 1\n-- migrate:up\n-- migrate:down\n\n/* x\n", "f.sql:5: unterminated /* comment"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r, err := revision.Parse("f.sql", []byte(tt.file))
			if err == nil {
				t.Fatalf("Parse = %+v, want an error", r)
			}
			if !strings.HasPrefix(err.Error(), tt.want) {
				t.Errorf("error %q, want %q…", err, tt.want)
			}
		})
	}
}

func TestFormatRoundTrip(t *testing.T) {
	t.Parallel()
	files, err := filepath.Glob(filepath.Join("testdata", "split", "*.sql"))
	if err != nil {
		t.Fatal(err)
	}
	tests := map[string]string{
		"todo":      todoFile,
		"minimal":   "-- strata:revision 1\n-- migrate:up\n",
		"merge":     "-- strata:revision m\n-- strata:parents a,b\n-- strata:no-transaction\n-- migrate:up\nSELECT 1\n-- migrate:down\nSELECT 2 -- trailing; comment\n",
		"comments":  "-- strata:revision 5\n-- migrate:up\nSELECT 1 -- one\n;\nSELECT 2 /* two */;\nSELECT 3 -- three\n-- migrate:down\n",
		"dialect":   "-- strata:revision 8\n-- strata:dialect postgres\n-- migrate:up\nSELECT 1;\n",
		"multiline": "-- strata:revision 6\n-- strata:message a\tmessage\n-- migrate:up\nCREATE TABLE t (\n  a int -- the a\n);\n",
	}
	// Every split case that splits makes an up section.
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := revision.Split(string(data), 1); err == nil {
			tests["split "+filepath.Base(f)] = "-- strata:revision 7\n-- migrate:up\n" + string(data) + "\n-- migrate:down\n" + string(data)
		}
	}
	for name, file := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			checkRoundTrip(t, []byte(file))
		})
	}
}

// checkRoundTrip checks that Format(Parse(file)) parses to the same
// revision, and that formatting that again changes nothing.
func checkRoundTrip(t *testing.T, file []byte) {
	t.Helper()
	r, err := revision.Parse("f.sql", file)
	if err != nil {
		t.Fatal(err)
	}
	formatted := revision.Format(r)
	again, err := revision.Parse("f.sql", formatted)
	if err != nil {
		t.Fatalf("Parse(Format(r)): %v\n%s", err, formatted)
	}
	if got, want := comparable(again), comparable(r); !reflect.DeepEqual(got, want) {
		t.Errorf("Parse(Format(Parse(file))) differs from Parse(file):\n got %+v\nwant %+v\nformatted:\n%s", got, want, formatted)
	}
	if f2 := revision.Format(again); string(f2) != string(formatted) {
		t.Errorf("Format is not stable:\n%s\n---\n%s", formatted, f2)
	}
}

// shape is what Format keeps of a revision: not the path, checksum or
// lines, nor runs of white space in the message.
type shape struct {
	ID, Message   string
	Parents       []string
	NoTransaction bool
	Dialect       string
	Up, Down      []string
}

func comparable(r *revision.Revision) shape {
	sqls := func(stmts []revision.Statement) []string {
		var out []string
		for _, s := range stmts {
			out = append(out, s.SQL)
		}
		return out
	}
	return shape{
		ID: r.ID, Message: strings.Join(strings.Fields(r.Message), " "), Parents: r.Parents,
		NoTransaction: r.NoTransaction, Dialect: r.Dialect, Up: sqls(r.Up), Down: sqls(r.Down),
	}
}

func TestFormat(t *testing.T) {
	t.Parallel()
	r := &revision.Revision{
		ID:            "20261125093000",
		Parents:       []string{"a", "b"},
		Message:       "merge\nthe two\tbranches",
		NoTransaction: true,
		Dialect:       "sqlite",
		Up:            []revision.Statement{{SQL: "CREATE TABLE t (id int);  \n"}, {SQL: "SELECT 1"}},
	}
	want := `-- strata:revision 20261125093000
-- strata:parents a b
-- strata:message merge the two branches
-- strata:dialect sqlite
-- strata:no-transaction

-- migrate:up transaction:false
CREATE TABLE t (id int);
SELECT 1;

-- migrate:down transaction:false
`
	if got := string(revision.Format(r)); got != want {
		t.Errorf("Format:\n%s\nwant:\n%s", got, want)
	}
}

// TestParseDialectSplits reads a file that names its dialect as that
// database reads it, whatever dialect the caller passes: MySQL's
// backslash escapes hold in a file for mysql read on behalf of a
// PostgreSQL database, which then refuses it by its header, not by a
// parse error.
func TestParseDialectSplits(t *testing.T) {
	t.Parallel()
	file := "-- strata:revision 1\n-- strata:dialect mysql\n-- migrate:up\nINSERT INTO t VALUES ('it\\'s; fine');\nSELECT 2;\n"
	r, err := revision.Parse("f.sql", []byte(file), revision.ForDialect("postgres"))
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Up) != 2 || r.Dialect != "mysql" {
		t.Fatalf("Parse: dialect %q, %d statements %+v; want mysql and 2", r.Dialect, len(r.Up), r.Up)
	}
}

func TestPortable(t *testing.T) {
	t.Parallel()
	stmt := []revision.Statement{{SQL: "SELECT 1"}}
	tests := []struct {
		name     string
		rev      revision.Revision
		up, down bool
	}{
		{"no header", revision.Revision{Up: stmt, Down: stmt}, true, true},
		{"header with statements", revision.Revision{Dialect: "sqlite", Up: stmt, Down: stmt}, false, false},
		{"merge", revision.Revision{Dialect: "sqlite", Parents: []string{"a", "b"}}, true, true},
		{"up only", revision.Revision{Dialect: "sqlite", Up: stmt}, false, true},
	}
	for _, tt := range tests {
		if got := tt.rev.Portable(true); got != tt.up {
			t.Errorf("%s: Portable(up) = %v, want %v", tt.name, got, tt.up)
		}
		if got := tt.rev.Portable(false); got != tt.down {
			t.Errorf("%s: Portable(down) = %v, want %v", tt.name, got, tt.down)
		}
	}
}

func FuzzParse(f *testing.F) {
	f.Add([]byte(todoFile))
	f.Add([]byte("-- strata:revision 1\n-- migrate:up\n"))
	f.Add([]byte("-- strata:revision m\n-- strata:parents a b\n-- strata:no-transaction\n-- migrate:up\nSELECT 1 -- c\n;\n-- migrate:down\nSELECT $$;$$;"))
	f.Add([]byte("-- strata:revision 1\n-- migrate:down\n"))
	f.Add([]byte("-- strata:revision 1\n-- migrate:up\nCREATE TRIGGER t BEGIN SELECT 1; END;\n-- migrate:down\n"))
	f.Fuzz(func(t *testing.T, file []byte) {
		r, err := revision.Parse("f.sql", file)
		if err != nil {
			if r != nil {
				t.Errorf("revision with error %v", err)
			}
			if !strings.HasPrefix(err.Error(), "f.sql:") {
				t.Errorf("error %q does not name the file", err)
			}
			return
		}
		if r.ID == "" || r.Path != "f.sql" || r.Checksum != revision.Checksum(file) {
			t.Errorf("Parse = %+v", r)
		}
		for _, s := range append(r.Up, r.Down...) {
			if !strings.Contains(string(file), s.SQL) {
				t.Errorf("statement %q is not in the file", s.SQL)
			}
		}
		checkRoundTrip(t, file)
	})
}

func TestLoad(t *testing.T) {
	t.Parallel()
	fsys := fstest.MapFS{
		"20261124170512_create_todos.sql":  {Data: []byte("-- strata:revision 20261124170512\n-- migrate:up\nCREATE TABLE todos (id int);\n")},
		"20261125093000_add_completed.sql": {Data: []byte(todoFile)},
		"README.md":                        {Data: []byte("not a revision")},
		"old/ignored.sql":                  {Data: []byte("not read: in a directory")},
		"a_zzz.sql":                        {Data: []byte("-- strata:revision 0\n-- migrate:up\n")},
	}
	revs, err := revision.Load(fsys)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range revs {
		got = append(got, r.ID+" "+r.Path)
	}
	want := []string{"0 a_zzz.sql", "20261124170512 20261124170512_create_todos.sql", "20261125093000 20261125093000_add_completed.sql"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Load, by id:\n got %q\nwant %q", got, want)
	}
}

func TestLoadErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		fsys fs.FS
		want []string
	}{
		{
			name: "one bad file",
			fsys: fstest.MapFS{
				"good.sql": {Data: []byte("-- strata:revision 1\n-- migrate:up\n")},
				"bad.sql":  {Data: []byte("SELECT 1;\n")},
			},
			want: []string{"bad.sql:1: no -- strata:revision line"},
		},
		{
			name: "every bad file",
			fsys: fstest.MapFS{
				"a.sql": {Data: []byte("SELECT 1;\n")},
				"b.sql": {Data: []byte("-- strata:revision 2\n-- strata:bogus\n")},
			},
			want: []string{"2 revision files are invalid", "a.sql:1: no -- strata:revision line", `b.sql:2: unknown directive "strata:bogus"`},
		},
		{
			name: "no directory",
			fsys: brokenFS{},
			want: []string{"revision: read directory"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			revs, err := revision.Load(tt.fsys)
			if err == nil {
				t.Fatalf("Load = %v, want an error", revs)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not contain %q", err, w)
				}
			}
		})
	}
}

func TestWrite(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	r := &revision.Revision{
		ID: "20261125093000", Parents: []string{"20261124170512"}, Message: "Add completed!",
		Up:   []revision.Statement{{SQL: "ALTER TABLE todos ADD COLUMN completed boolean"}},
		Down: []revision.Statement{{SQL: "ALTER TABLE todos DROP COLUMN completed"}},
	}
	p, err := revision.Write(dir, r)
	if err != nil {
		t.Fatal(err)
	}
	if want := filepath.Join(dir, "20261125093000_add_completed.sql"); p != want {
		t.Errorf("path %q, want %q", p, want)
	}
	data, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	if r.Path != "20261125093000_add_completed.sql" || r.Checksum != revision.Checksum(data) {
		t.Errorf("after Write: path %q, checksum %q", r.Path, r.Checksum)
	}
	back, err := revision.Load(os.DirFS(dir))
	if err != nil {
		t.Fatal(err)
	}
	if len(back) != 1 || !reflect.DeepEqual(comparable(back[0]), comparable(r)) {
		t.Errorf("Load after Write = %+v, want %+v", back, r)
	}
	if _, err := revision.Write(dir, r); !errors.Is(err, fs.ErrExist) {
		t.Errorf("second Write: %v, want an error wrapping fs.ErrExist", err)
	}
}

// brokenFS fails to open anything.
type brokenFS struct{}

func (brokenFS) Open(name string) (fs.File, error) {
	return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrPermission}
}

// TestWriteNumbersLines: after Write each statement knows the line it
// starts on in the written file, the same line Load reads, so that
// messages about a revision just written (lint findings) name a real place.
func TestWriteNumbersLines(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	r := &revision.Revision{
		ID: "20261125093000", Message: "posts",
		Up: []revision.Statement{
			{SQL: "CREATE TABLE posts (\n  id integer,\n  title text\n)"},
			{SQL: "CREATE INDEX ix_posts_title ON posts (title)"},
		},
		Down: []revision.Statement{{SQL: "DROP INDEX ix_posts_title"}, {SQL: "DROP TABLE posts"}},
	}
	if _, err := revision.Write(dir, r); err != nil {
		t.Fatal(err)
	}
	back, err := revision.Load(os.DirFS(dir))
	if err != nil {
		t.Fatal(err)
	}
	lines := func(ss []revision.Statement) (out []int) {
		for _, s := range ss {
			out = append(out, s.Line)
		}
		return out
	}
	for _, c := range []struct {
		name       string
		got, wantd []revision.Statement
	}{{"up", r.Up, back[0].Up}, {"down", r.Down, back[0].Down}} {
		if g, w := lines(c.got), lines(c.wantd); !reflect.DeepEqual(g, w) || g[0] == 0 {
			t.Errorf("%s: Write numbers lines %v, the file has them at %v", c.name, g, w)
		}
	}
}
