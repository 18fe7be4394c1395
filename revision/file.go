package revision

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// Parse reads a revision in the SQL form: a header of "-- strata:"
// directives, then "-- migrate:up" and "-- migrate:down" sections.
//
//	-- strata:revision 20261125093000
//	-- strata:parents 20261124170512
//	-- strata:message add completed to todos
//	-- strata:branch-labels name        (optional)
//	-- strata:depends-on 20261120080000 (optional)
//	-- strata:dialect postgres          (optional: the database the SQL is for)
//	-- strata:no-transaction            (optional)
//
// The section lines may carry dbmate's option transaction:false
// ("-- migrate:up transaction:false"), which means what
// -- strata:no-transaction does.
//
// name is used in errors, which give the line. opts tell Split how to read
// the statements (ForDialect); a file that names its dialect is read as
// that database reads it, whatever opts say.
func Parse(name string, data []byte, opts ...SplitOption) (*Revision, error) {
	r := &Revision{Path: name, Checksum: Checksum(data)}
	fail := func(line int, format string, args ...any) error {
		return fmt.Errorf("%s:%d: %s", name, line, fmt.Sprintf(format, args...))
	}
	// A byte-order mark, as some Windows editors write, is not part of
	// the first line.
	lines := strings.Split(strings.TrimPrefix(string(data), "\ufeff"), "\n")
	section := ""
	upStart, downStart := -1, -1
	upNoTx := optUnset // transaction:... on the -- migrate:up line
	for i, raw := range lines {
		line := strings.TrimSpace(strings.TrimSuffix(raw, "\r"))
		n := i + 1
		if rest, ok := strings.CutPrefix(line, "-- migrate:"); ok {
			fields := strings.Fields(rest)
			name := ""
			if len(fields) > 0 {
				name = fields[0]
			}
			switch name {
			case "up":
				if section != "" {
					return nil, fail(n, "-- migrate:up must come before -- migrate:down, once")
				}
				section, upStart = "up", n
			case "down":
				if section != "up" {
					return nil, fail(n, "-- migrate:down must follow -- migrate:up, once")
				}
				section, downStart = "down", n
			default:
				return nil, fail(n, "unknown section %q: want -- migrate:up or -- migrate:down", line)
			}
			noTx, err := sectionOptions(fields[1:])
			if err != nil {
				return nil, fail(n, "%v", err)
			}
			switch {
			case name == "up":
				upNoTx = noTx
			case noTx == optFalse && upNoTx != optFalse && !r.NoTransaction:
				// strata runs both directions of a revision alike.
				return nil, fail(n, "transaction:false on -- migrate:down only: strata runs a revision's up and down the same way; put transaction:false on -- migrate:up too (or -- strata:no-transaction in the header)")
			}
			continue
		}
		rest, ok := strings.CutPrefix(line, "-- strata:")
		if !ok {
			continue
		}
		if section != "" {
			return nil, fail(n, "directive %q must be in the header, before -- migrate:up", line)
		}
		key, value, _ := strings.Cut(rest, " ")
		value = strings.TrimSpace(value)
		switch key {
		case "revision":
			if !idRE.MatchString(value) {
				return nil, fail(n, "revision id %q: use letters, digits and _ only", value)
			}
			r.ID = value
		case "parents":
			for _, p := range strings.FieldsFunc(value, func(r rune) bool { return r == ',' || r == ' ' }) {
				if !idRE.MatchString(p) {
					return nil, fail(n, "parent id %q: use letters, digits and _ only", p)
				}
				r.Parents = append(r.Parents, p)
			}
		case "branch-labels":
			for _, l := range strings.FieldsFunc(value, func(r rune) bool { return r == ',' || r == ' ' }) {
				if !idRE.MatchString(l) {
					return nil, fail(n, "branch label %q: use letters, digits and _ only", l)
				}
				r.BranchLabels = append(r.BranchLabels, l)
			}
		case "depends-on":
			for _, d := range strings.FieldsFunc(value, func(r rune) bool { return r == ',' || r == ' ' }) {
				if !idRE.MatchString(d) {
					return nil, fail(n, "depends-on id %q: use letters, digits and _ only", d)
				}
				r.DependsOn = append(r.DependsOn, d)
			}
		case "lint-ignore":
			rule, reason, _ := strings.Cut(value, " ")
			if rule == "" || strings.TrimSpace(reason) == "" {
				return nil, fail(n, "lint-ignore needs a rule and a reason: -- strata:lint-ignore SL001 why this is safe")
			}
			if r.LintIgnore == nil {
				r.LintIgnore = map[string]string{}
			}
			r.LintIgnore[rule] = strings.TrimSpace(reason)
		case "message":
			r.Message = value
		case "dialect":
			if !idRE.MatchString(value) {
				return nil, fail(n, "dialect %q: want sqlite, postgres or mysql", value)
			}
			r.Dialect = CanonicalDialect(value)
		case "no-transaction":
			r.NoTransaction = true
		default:
			return nil, fail(n, "unknown directive %q (known: revision, parents, branch-labels, depends-on, message, dialect, no-transaction, lint-ignore)", "strata:"+key)
		}
	}
	switch {
	case upNoTx == optFalse:
		r.NoTransaction = true
	case upNoTx == optTrue && r.NoTransaction:
		return nil, fail(upStart, "-- migrate:up transaction:true contradicts -- strata:no-transaction in the header; keep one")
	}
	if r.ID == "" {
		return nil, fail(1, "no -- strata:revision line; every revision file starts with one")
	}
	if upStart < 0 {
		return nil, fail(len(lines), "no -- migrate:up section")
	}
	if knownDialect(r.Dialect) {
		opts = append(slices.Clip(opts), ForDialect(r.Dialect))
	}
	end := len(lines)
	if downStart > 0 {
		end = downStart - 1
	}
	// Split's errors carry their line: say it as file:line, like the
	// header's errors.
	splitFailed := func(err error) error {
		var se *splitError
		if errors.As(err, &se) {
			return fail(se.line, "%s", se.msg)
		}
		return fmt.Errorf("%s: %w", name, err)
	}
	var err error
	if r.Up, err = Split(strings.Join(lines[upStart:end], "\n"), upStart+1, opts...); err != nil {
		return nil, splitFailed(err)
	}
	if downStart > 0 {
		if r.Down, err = Split(strings.Join(lines[downStart:], "\n"), downStart+1, opts...); err != nil {
			return nil, splitFailed(err)
		}
	}
	return r, nil
}

// A section option's setting, as read from the -- migrate: line.
const (
	optUnset = iota
	optTrue
	optFalse
)

// sectionOptions reads the options dbmate allows after -- migrate:up and
// -- migrate:down (key:value words). transaction:false is strata's
// -- strata:no-transaction; dbmate's env:NAME templates are refused, as
// strata runs the SQL as written and would send the {{ }} to the
// database.
func sectionOptions(words []string) (transaction int, err error) {
	transaction = optUnset
	for _, w := range words {
		key, value, ok := strings.Cut(w, ":")
		switch {
		case ok && key == "transaction" && value == "false":
			transaction = optFalse
		case ok && key == "transaction" && value == "true":
			transaction = optTrue
		case ok && key == "transaction":
			return 0, fmt.Errorf("option %q: want transaction:false or transaction:true", w)
		case ok && key == "env":
			return 0, fmt.Errorf("option %q: strata does not fill in dbmate's env: templates; write the value into the SQL, or run this revision with dbmate", w)
		default:
			return 0, fmt.Errorf("unknown option %q after -- migrate: (known: transaction:false, as dbmate writes it)", w)
		}
	}
	return transaction, nil
}

// Format renders r in the SQL form that Parse reads. A revision without
// a transaction says so twice: -- strata:no-transaction in the header,
// and dbmate's transaction:false on both section lines, so that dbmate
// runs the file the same way.
func Format(r *Revision) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "-- strata:revision %s\n", r.ID)
	if len(r.Parents) > 0 {
		fmt.Fprintf(&b, "-- strata:parents %s\n", strings.Join(r.Parents, " "))
	}
	if len(r.BranchLabels) > 0 {
		fmt.Fprintf(&b, "-- strata:branch-labels %s\n", strings.Join(r.BranchLabels, " "))
	}
	if len(r.DependsOn) > 0 {
		fmt.Fprintf(&b, "-- strata:depends-on %s\n", strings.Join(r.DependsOn, " "))
	}
	if r.Message != "" {
		fmt.Fprintf(&b, "-- strata:message %s\n", strings.Join(strings.Fields(r.Message), " "))
	}
	if r.Dialect != "" {
		fmt.Fprintf(&b, "-- strata:dialect %s\n", r.Dialect)
	}
	if r.NoTransaction {
		b.WriteString("-- strata:no-transaction\n")
	}
	rules := make([]string, 0, len(r.LintIgnore))
	for rule := range r.LintIgnore {
		rules = append(rules, rule)
	}
	slices.Sort(rules)
	for _, rule := range rules {
		fmt.Fprintf(&b, "-- strata:lint-ignore %s %s\n", rule, strings.Join(strings.Fields(r.LintIgnore[rule]), " "))
	}
	option := ""
	if r.NoTransaction {
		option = " transaction:false"
	}
	b.WriteString("\n-- migrate:up" + option + "\n")
	writeStatements(&b, r.Up, r.UpNotes)
	b.WriteString("\n-- migrate:down" + option + "\n")
	writeStatements(&b, r.Down, nil)
	return b.Bytes()
}

func writeStatements(b *bytes.Buffer, stmts []Statement, notes map[int]string) {
	for i, s := range stmts {
		for _, n := range noteLines(notes[i]) {
			b.WriteString("-- " + n + "\n")
		}
		sql := strings.TrimRight(s.SQL, "; \n\t")
		b.WriteString(sql)
		b.WriteString(";\n")
	}
}

// noteLines returns the comment lines of a statement's note, blank ones
// left out. None starts "strata:" or "migrate:", which would read as a
// directive or a section.
func noteLines(note string) []string {
	var out []string
	for _, l := range strings.Split(note, "\n") {
		l = strings.Join(strings.Fields(l), " ")
		if l == "" {
			continue
		}
		if strings.HasPrefix(l, "strata:") || strings.HasPrefix(l, "migrate:") {
			l = "note: " + l
		}
		out = append(out, l)
	}
	return out
}

// numberLines sets the Line of each statement of stmts, which data, as
// Format wrote it (with notes above them), holds in order from the line
// after marker on: the line each starts on, as Parse would read it.
func numberLines(data []byte, marker string, stmts []Statement, notes map[int]string) {
	// The marker may carry options after it (dbmate's transaction:false).
	start := bytes.Index(data, []byte("\n"+marker))
	if start < 0 {
		return
	}
	line := bytes.Count(data[:start+1], []byte("\n")) + 2 // the line after the marker
	for i := range stmts {
		line += len(noteLines(notes[i]))
		sql := strings.TrimRight(stmts[i].SQL, "; \n\t")
		stmts[i].Line = line
		line += strings.Count(sql, "\n") + 1
	}
}

// Write saves r in the SQL form in dir and returns the file's path. It
// never overwrites a file. It sets r's Path, Dir and Checksum, and the
// Line of each of its statements.
func Write(dir string, r *Revision) (string, error) {
	p := filepath.Join(dir, FileName(r))
	f, err := os.OpenFile(p, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return "", fmt.Errorf("revision: write %s: %w", p, err)
	}
	data := Format(r)
	if _, err := f.Write(data); err != nil {
		f.Close()
		return "", fmt.Errorf("revision: write %s: %w", p, err)
	}
	if err := f.Close(); err != nil {
		return "", fmt.Errorf("revision: write %s: %w", p, err)
	}
	r.Path, r.Dir = filepath.Base(p), dir
	r.Checksum = Checksum(data)
	// The statements now have a place in the file, which messages about
	// them (lint findings) name.
	numberLines(data, "-- migrate:up", r.Up, r.UpNotes)
	numberLines(data, "-- migrate:down", r.Down, nil)
	return p, nil
}

// goTemplate is an empty revision in the Go form, for the migrations
// package that strata init makes.
const goTemplate = `package %s

import (
	"context"

	"github.com/strata-go/strata"
)

func init() {
	strata.Register(strata.Migration{
		Revision: %q,
		Parents:  %#v,
		Message:  %q,
%s		Upgrade: func(ctx context.Context, op *strata.Op) error {
			return nil
		},
		Downgrade: func(ctx context.Context, op *strata.Op) error {
			return nil
		},
	})
}
`

// WriteGo saves an empty revision r in the Go form in dir, the source of
// package pkg, and returns the file's path. It never overwrites a file.
func WriteGo(dir, pkg string, r *Revision) (string, error) {
	name := strings.TrimSuffix(FileName(r), ".sql") + ".go"
	p := filepath.Join(dir, name)
	f, err := os.OpenFile(p, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return "", fmt.Errorf("revision: write %s: %w", p, err)
	}
	parents := r.Parents
	if parents == nil {
		parents = []string{}
	}
	var extra strings.Builder
	if len(r.BranchLabels) > 0 {
		fmt.Fprintf(&extra, "\t\tBranchLabels: %#v,\n", r.BranchLabels)
	}
	if len(r.DependsOn) > 0 {
		fmt.Fprintf(&extra, "\t\tDependsOn: %#v,\n", r.DependsOn)
	}
	if _, err := fmt.Fprintf(f, goTemplate, pkg, r.ID, parents, r.Message, extra.String()); err != nil {
		f.Close()
		return "", fmt.Errorf("revision: write %s: %w", p, err)
	}
	if err := f.Close(); err != nil {
		return "", fmt.Errorf("revision: write %s: %w", p, err)
	}
	r.Path, r.Dir = name, dir
	return p, nil
}
