package revision_test

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/strata-go/strata/revision"
)

func TestNewID(t *testing.T) {
	t.Parallel()
	at := time.Date(2026, 11, 25, 9, 30, 0, 0, time.UTC)
	tests := []struct {
		name  string
		t     time.Time
		taken []string
		want  string
	}{
		{"nothing taken", at, nil, "20261125093000"},
		{"UTC", at.In(time.FixedZone("CET", 3600)), nil, "20261125093000"},
		{"fraction of a second dropped", at.Add(999 * time.Millisecond), nil, "20261125093000"},
		{"older ids", at, []string{"20261124170512", "20261125092959"}, "20261125093000"},
		{"same second twice", at, []string{"20261125093000"}, "20261125093001"},
		{"same second, three times", at, []string{"20261125093001", "20261125093000"}, "20261125093002"},
		{"later id taken (clock behind)", at, []string{"20261125100000"}, "20261125100001"},
		{"much later id taken", at, []string{"20270101000000", "20261125093000"}, "20270101000001"},
		{"hand-named ids are not timestamps", at, []string{"add_users", "zzzzzzzzzzzzzz", "99999999999999"}, "20261125093000"},
		{"hand-named and timestamp ids", at, []string{"zzzzzzzzzzzzzz", "20261125093000"}, "20261125093001"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			done := make(chan string, 1)
			go func() { done <- revision.NewID(tt.t, tt.taken) }()
			select {
			case got := <-done:
				if got != tt.want {
					t.Errorf("NewID(%s, %q) = %s, want %s", tt.t, tt.taken, got, tt.want)
				}
			case <-time.After(5 * time.Second):
				t.Fatalf("NewID(%s, %q) did not return", tt.t, tt.taken)
			}
		})
	}
}

// TestNewIDSequence creates revisions in the same second, one after the
// other: ids are unique and increasing.
func TestNewIDSequence(t *testing.T) {
	t.Parallel()
	at := time.Date(2026, 11, 25, 9, 30, 0, 0, time.UTC)
	var taken []string
	for i := range 100 {
		id := revision.NewID(at.Add(time.Duration(i)*time.Millisecond), taken)
		if len(taken) > 0 && id <= taken[len(taken)-1] {
			t.Fatalf("id %d: %s is not after %s", i, id, taken[len(taken)-1])
		}
		if _, err := time.Parse("20060102150405", id); err != nil {
			t.Fatalf("id %d: %s is not a timestamp", i, id)
		}
		taken = append(taken, id)
	}
	if last := taken[len(taken)-1]; last != "20261125093139" {
		t.Errorf("100th id %s, want 20261125093139", last)
	}
}

func TestSlug(t *testing.T) {
	t.Parallel()
	tests := []struct{ message, want string }{
		{"", ""},
		{"add completed to todos", "add_completed_to_todos"},
		{"Add Completed!", "add_completed"},
		{"  --drop   the\tOLD table--  ", "drop_the_old_table"},
		{"v2: users.email → unique", "v2_users_email_unique"},
		{"café crème", "caf_cr_me"},
		{"!!!", ""},
		{"a very long message that goes on and on past forty characters", "a_very_long_message_that_goes_on_and_on"},
		{"exactly forty characters of slug is fine yes", "exactly_forty_characters_of_slug_is_fine"},
	}
	for _, tt := range tests {
		t.Run(tt.message, func(t *testing.T) {
			t.Parallel()
			got := revision.Slug(tt.message)
			if got != tt.want {
				t.Errorf("Slug(%q) = %q, want %q", tt.message, got, tt.want)
			}
			if len(got) > 40 {
				t.Errorf("Slug(%q) = %q, longer than 40", tt.message, got)
			}
		})
	}
}

func TestFileName(t *testing.T) {
	t.Parallel()
	tests := []struct {
		r    *revision.Revision
		want string
	}{
		{&revision.Revision{ID: "20261125093000", Message: "Add completed to todos"}, "20261125093000_add_completed_to_todos.sql"},
		{&revision.Revision{ID: "20261125093000"}, "20261125093000.sql"},
		{&revision.Revision{ID: "20261125093000", Message: "?!"}, "20261125093000.sql"},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			t.Parallel()
			if got := revision.FileName(tt.r); got != tt.want {
				t.Errorf("FileName = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestWhere(t *testing.T) {
	t.Parallel()
	s := revision.Statement{SQL: "SELECT 1", Line: 12}
	if got := (&revision.Revision{ID: "1", Path: "1_x.sql"}).Where(s); got != "1_x.sql:12" {
		t.Errorf("Where = %q", got)
	}
	if got := (&revision.Revision{ID: "1"}).Where(s); got != "revision 1" {
		t.Errorf("Where without path = %q", got)
	}
}

func TestChecksum(t *testing.T) {
	t.Parallel()
	if got, want := revision.Checksum(nil), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"; got != want {
		t.Errorf("Checksum(nil) = %s, want %s", got, want)
	}
	if revision.Checksum([]byte("a")) == revision.Checksum([]byte("b")) {
		t.Error("Checksum(a) == Checksum(b)")
	}
}

// TestLoadStamped: the stamps Load takes while reading match a fresh
// listing until a revision file is added or edited; other files do not
// count.
func TestLoadStamped(t *testing.T) {
	dir := t.TempDir()
	rev := func(id, parent string) string {
		s := "-- strata:revision " + id + "\n"
		if parent != "" {
			s += "-- strata:parents " + parent + "\n"
		}
		return s + "-- migrate:up\nCREATE TABLE t" + id + " (id INTEGER);\n-- migrate:down\nDROP TABLE t" + id + ";\n"
	}
	put := func(name, content string) {
		t.Helper()
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	put("001.sql", rev("001", ""))
	put("002.sql", rev("002", "001"))
	put("README.md", "not a revision")
	fsys := os.DirFS(dir)
	revs, stamps, err := revision.LoadStamped(fsys)
	if err != nil || len(revs) != 2 || len(stamps) != 2 || stamps[1].Name != "002.sql" || stamps[1].Size != int64(len(rev("002", "001"))) {
		t.Fatalf("LoadStamped: %d revisions, stamps %+v, %v", len(revs), stamps, err)
	}
	same := func() bool {
		t.Helper()
		now, err := revision.Stamps(fsys)
		if err != nil {
			t.Fatal(err)
		}
		return slices.Equal(now, stamps)
	}
	if !same() {
		t.Fatal("a fresh listing differs from the stamps of an unchanged directory")
	}
	put("README.md", "still not a revision, but longer")
	if !same() {
		t.Fatal("a file that is not a revision changed the stamps")
	}
	put("002.sql", rev("002", "001")+"-- a comment\n")
	if same() {
		t.Fatal("an edited revision file kept its stamp")
	}
	if _, stamps, err = revision.LoadStamped(fsys); err != nil {
		t.Fatal(err)
	}
	put("003.sql", rev("003", "002"))
	if same() {
		t.Fatal("an added revision file kept the stamps")
	}
	// A revision file that is a symbolic link is stamped as what it
	// points at, when read and when listed alike.
	if err := os.Remove(filepath.Join(dir, "003.sql")); err != nil {
		t.Fatal(err)
	}
	target := filepath.Join(t.TempDir(), "003.sql")
	if err := os.WriteFile(target, []byte(rev("003", "002")), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(target, filepath.Join(dir, "003.sql")); err != nil {
		t.Fatal(err)
	}
	if _, stamps, err = revision.LoadStamped(fsys); err != nil {
		t.Fatal(err)
	}
	if !same() {
		t.Fatal("a symbolic link's stamp differs between reading and listing")
	}
	put("004.sql", rev("004", "003"))
	if same() {
		t.Fatal("an added revision file kept the stamps")
	}
}

// BenchmarkLoad1000 loads a directory of 1000 small revisions, as every
// command does (go test -run '^$' -bench Load1000 ./revision/).
func BenchmarkLoad1000(b *testing.B) {
	dir := b.TempDir()
	for i := 1; i <= 1000; i++ {
		text := fmt.Sprintf("-- strata:revision %04d\n", i)
		if i > 1 {
			text += fmt.Sprintf("-- strata:parents %04d\n", i-1)
		}
		text += fmt.Sprintf("-- migrate:up\nCREATE TABLE t_%04d (id integer primary key);\n\n-- migrate:down\nDROP TABLE t_%04d;\n", i, i)
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("%04d_t.sql", i)), []byte(text), 0o644); err != nil {
			b.Fatal(err)
		}
	}
	fsys := os.DirFS(dir)
	for b.Loop() {
		if revs, err := revision.Load(fsys); err != nil || len(revs) != 1000 {
			b.Fatalf("loaded %d revisions: %v", len(revs), err)
		}
	}
}

// TestLoadByteOrderMarkAndUpperCase: a UTF-8 byte-order mark before the
// header is read past; a revision named X.SQL is refused by name rather
// than never run.
func TestLoadByteOrderMarkAndUpperCase(t *testing.T) {
	bom := fstest.MapFS{"001_a.sql": &fstest.MapFile{Data: []byte("\ufeff-- strata:revision 001\n-- migrate:up\nSELECT 1;\n-- migrate:down\nSELECT 2;\n")}}
	revs, err := revision.Load(bom)
	if err != nil {
		t.Fatalf("a file with a byte-order mark: %v", err)
	}
	if len(revs) != 1 || revs[0].ID != "001" {
		t.Fatalf("got %+v, want revision 001", revs)
	}
	upper := fstest.MapFS{
		"001_a.sql": bom["001_a.sql"],
		"002_b.SQL": &fstest.MapFile{Data: []byte("-- strata:revision 002\n-- strata:parents 001\n-- migrate:up\n-- migrate:down\n")},
	}
	_, err = revision.Load(upper)
	if err == nil || !strings.Contains(err.Error(), "002_b.SQL") || !strings.Contains(err.Error(), "rename it to 002_b.sql") {
		t.Fatalf("a .SQL file: got %v, want an error naming it", err)
	}
	before, err := revision.Stamps(fstest.MapFS{"001_a.sql": bom["001_a.sql"]})
	if err != nil {
		t.Fatal(err)
	}
	after, err := revision.Stamps(upper)
	if err != nil {
		t.Fatal(err)
	}
	if len(after) != len(before)+1 {
		t.Errorf("a .SQL file appearing does not change the stamps: %v, then %v", before, after)
	}
}
