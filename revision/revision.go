package revision

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"io"
	"io/fs"
	"path"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/strata-go/strata/op"
	"github.com/strata-go/strata/schema"
)

// Revision is one migration: its place in the graph and its statements in
// each direction.
type Revision struct {
	// ID identifies the revision: a UTC timestamp YYYYMMDDHHMMSS for the
	// revisions strata writes.
	ID string `json:"id"`
	// Parents are the revisions this one follows: none for a base, two or
	// more for a merge.
	Parents []string `json:"parents"`
	Message string   `json:"message"`
	// Path is the file the revision was read from, relative to its
	// directory; empty for revisions defined in Go.
	Path string `json:"path"`
	// Up and Down are the statements of each direction, in order.
	Up   []Statement `json:"up"`
	Down []Statement `json:"down"`
	// BranchLabels name the branch this revision starts or belongs to, so
	// that targets can say label@head.
	BranchLabels []string `json:"branch_labels"`
	// DependsOn names revisions that must be applied before this one
	// without being its parents (Alembic's depends_on): upgrade applies
	// them first, downgrade undoes this one before them. They do not make
	// this revision a child: heads and branches follow Parents only.
	DependsOn []string `json:"depends_on"`
	// Dir is the directory the file was read from, as the Migrator was
	// given it (the migrations directory or a version path); empty for
	// revisions defined in Go or read from a file system that is not a
	// directory on disk.
	Dir string `json:"dir,omitempty"`
	// LintIgnore maps lint rule ids to the reason given for silencing them
	// in this revision (-- strata:lint-ignore RULE reason).
	LintIgnore map[string]string `json:"lint_ignore"`
	// NoTransaction runs the revision outside a transaction, for statements
	// that forbid one (CREATE INDEX CONCURRENTLY).
	NoTransaction bool `json:"no_transaction"`
	// Dialect names the database a SQL revision's statements were written
	// for (-- strata:dialect), as CanonicalDialect spells it: "sqlite",
	// "postgres" or "mysql" (MariaDB too). Empty means unknown, as in
	// files written before strata recorded it, merges and Go revisions:
	// those run on any database.
	Dialect string `json:"dialect,omitempty"`
	// UpFunc and DownFunc are set for revisions written in Go: they return
	// each direction's ops at run time, given the schema as it stands
	// (current) and a Querier to read data with. Up and Down stay empty.
	UpFunc, DownFunc Program `json:"-"`
	// GoSource is set on a Go revision read from its source rather than
	// built into the binary (ReadGoHeaders): the file and line that
	// declare it. Such a revision has its place in the graph, but only
	// the application's binary can run it.
	GoSource string `json:"go_source,omitempty"`
	// Checksum is the SHA-256 of the file, in hex, to notice edits to a
	// revision after it was applied.
	Checksum string `json:"checksum"`
	// UpNotes maps an index of Up to comment text Format writes above that
	// statement, one "-- " line for each of its lines: migrate's review
	// warnings and lint findings, for the reviewer of the file to see.
	// Every reader of the file (strata's splitter, dbmate, sqlc, the
	// database) skips such comments; Parse does not read them back.
	UpNotes map[int]string `json:"-"`
}

// Program produces the ops of one direction of a Go revision. current is
// the schema before the revision runs; q reads the database (in offline
// mode reads fail with a clear error).
type Program func(ctx context.Context, q Querier, current *schema.Schema) ([]op.Op, error)

// Querier is how a Go revision reads the database: *sql.DB, *sql.Tx and
// *sql.Conn satisfy it.
type Querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// IsGo reports whether the revision is written in Go.
func (r *Revision) IsGo() bool { return r.UpFunc != nil || r.DownFunc != nil }

// Statement is one SQL statement of a revision file.
type Statement struct {
	SQL string `json:"sql"`
	// Line is the line of the file the statement starts on.
	Line int `json:"line"`
}

// Where names the statement's place for messages: "file.sql:12".
func (r *Revision) Where(s Statement) string {
	if r.Path == "" {
		return "revision " + r.ID
	}
	return fmt.Sprintf("%s:%d", r.Path, s.Line)
}

// Checksum returns the hex SHA-256 of a revision file's bytes.
func Checksum(data []byte) string {
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:])
}

var idRE = regexp.MustCompile(`^[A-Za-z0-9_]+$`)

// Load reads every *.sql revision file at the top of fsys. Files that are
// not revisions (no "-- strata:revision" line) are an error, since a stray
// file in the migrations directory is more likely a mistake than intended.
// opts tell Split how to read the statements (ForDialect).
func Load(fsys fs.FS, opts ...SplitOption) ([]*Revision, error) {
	revs, _, err := LoadStamped(fsys, opts...)
	return revs, err
}

// Stamp describes a revision file by name, size and modification time.
// Two lists of stamps of a directory that differ mean its revision files
// changed.
type Stamp struct {
	Name    string
	Size    int64
	ModTime int64 // Unix nanoseconds
}

// Stamps describes the revision files of fsys as they are now.
func Stamps(fsys fs.FS) ([]Stamp, error) {
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return nil, fmt.Errorf("revision: read directory: %w", err)
	}
	var out []Stamp
	for _, e := range entries {
		// Names such as X.SQL too, which LoadStamped refuses: one appearing
		// changes the stamps, so the next load reports it.
		if e.IsDir() || !strings.EqualFold(path.Ext(e.Name()), ".sql") {
			continue
		}
		// fs.Stat follows a symbolic link, as reading the file does.
		info, err := fs.Stat(fsys, e.Name())
		if err != nil {
			return nil, fmt.Errorf("revision: %w", err)
		}
		out = append(out, Stamp{e.Name(), info.Size(), info.ModTime().UnixNano()})
	}
	return out, nil
}

// LoadStamped is Load that also returns the stamps of the files it read,
// each taken from the open file before reading it: a file changed after
// its stamp shows as changed the next time Stamps is compared, so a
// cached graph is never kept over an edit.
//
// Every command loads the whole directory, so the files are read and
// parsed by a few goroutines at once: with a thousand revisions the time
// goes mostly to opening files, which overlaps well.
func LoadStamped(fsys fs.FS, opts ...SplitOption) ([]*Revision, []Stamp, error) {
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return nil, nil, fmt.Errorf("revision: read directory: %w", err)
	}
	var names []string
	for _, e := range entries {
		if e.IsDir() {
			continue
		}
		switch ext := path.Ext(e.Name()); {
		case ext == ".sql":
			names = append(names, e.Name())
		case strings.EqualFold(ext, ".sql"):
			// Refused rather than ignored: a revision that silently never
			// runs is worse than an error.
			return nil, nil, fmt.Errorf("revision: %s: a revision file's name ends in .sql, in lower case; rename it to %s",
				e.Name(), strings.TrimSuffix(e.Name(), ext)+".sql")
		}
	}
	revs := make([]*Revision, len(names))
	stamps := make([]Stamp, len(names))
	errs := make([]error, len(names))
	var readErr atomic.Pointer[error]
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(len(names), max(runtime.GOMAXPROCS(0), 4)) {
		wg.Go(func() {
			for {
				i := int(next.Add(1)) - 1
				if i >= len(names) || readErr.Load() != nil {
					return
				}
				data, stamp, err := readStamped(fsys, names[i])
				if err != nil {
					err = fmt.Errorf("revision: %w", err)
					readErr.CompareAndSwap(nil, &err)
					return
				}
				stamps[i] = stamp
				revs[i], errs[i] = Parse(names[i], data, opts...)
			}
		})
	}
	wg.Wait()
	if p := readErr.Load(); p != nil {
		return nil, nil, *p
	}
	if err := joinErrors(slices.DeleteFunc(errs, func(e error) bool { return e == nil })); err != nil {
		return nil, nil, err
	}
	slices.SortFunc(revs, func(a, b *Revision) int { return strings.Compare(a.ID, b.ID) })
	return revs, stamps, nil
}

// readStamped reads a file and describes it as it was when opened.
func readStamped(fsys fs.FS, name string) ([]byte, Stamp, error) {
	f, err := fsys.Open(name)
	if err != nil {
		return nil, Stamp{}, err
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return nil, Stamp{}, err
	}
	data, err := io.ReadAll(f)
	if err != nil {
		return nil, Stamp{}, err
	}
	return data, Stamp{name, info.Size(), info.ModTime().UnixNano()}, nil
}

func joinErrors(errs []error) error {
	switch len(errs) {
	case 0:
		return nil
	case 1:
		return errs[0]
	}
	msgs := make([]string, len(errs))
	for i, e := range errs {
		msgs[i] = e.Error()
	}
	return fmt.Errorf("%d revision files are invalid:\n  %s", len(errs), strings.Join(msgs, "\n  "))
}

// idLayout is the time layout of the ids strata writes.
const idLayout = "20060102150405"

// NewID returns the id for a revision created at t, later than every
// timestamp id in taken: the UTC timestamp, or a second after the latest
// taken one when that is not earlier, so ids stay unique and sortable.
// Ids that are not timestamps (named by hand) are not compared.
func NewID(t time.Time, taken []string) string {
	t = t.UTC().Truncate(time.Second)
	for _, id := range taken {
		if ts, err := time.Parse(idLayout, id); err == nil && !t.After(ts) {
			t = ts.Add(time.Second)
		}
	}
	return t.Format(idLayout)
}

// Slug turns a message into the part of a file name after the id.
func Slug(message string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(message) {
		switch {
		case r >= 'a' && r <= 'z' || r >= '0' && r <= '9':
			b.WriteRune(r)
			dash = false
		case !dash && b.Len() > 0:
			b.WriteByte('_')
			dash = true
		}
		if b.Len() >= 40 {
			break
		}
	}
	return strings.TrimRight(b.String(), "_")
}

// FileName returns the file name strata writes a revision under.
func FileName(r *Revision) string {
	if s := Slug(r.Message); s != "" {
		return r.ID + "_" + s + ".sql"
	}
	return r.ID + ".sql"
}

// Created returns when a revision was created, read from its id when the
// id is a timestamp strata wrote (YYYYMMDDHHMMSS, UTC); false for ids
// named by hand.
func Created(r *Revision) (time.Time, bool) {
	t, err := time.Parse(idLayout, r.ID)
	return t, err == nil
}
