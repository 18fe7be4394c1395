package schema

import (
	"fmt"
	"github.com/strata-go/strata/internal/sqlx"
	"slices"
	"strings"
)

// Extension is an installed extension (PostgreSQL's CREATE EXTENSION).
// Only its name is kept: an extension is created at the version the
// server offers by default, so two databases on one server agree on it,
// and comparing versions across servers would report a change that no
// migration of the schema should make.
type Extension struct {
	Name string `json:"name"`
}

// The kinds of Function.
const (
	FunctionKind  = "function"
	ProcedureKind = "procedure"
	// EventKind is a scheduled event (MySQL's CREATE EVENT): a stored
	// program the server runs on a schedule, kept whole as its definition
	// like the others.
	EventKind = "event"
)

// Function is a stored function or procedure, or a scheduled event, kept
// whole as the database prints its definition: strata never parses the
// body.
//
// Kind, Name and Args identify it (Key): PostgreSQL overloads a name by
// argument types. Params and Returns are what an in-place replacement
// (CREATE OR REPLACE) cannot change: when they differ, the function is
// dropped and created again rather than replaced.
type Function struct {
	// Kind is FunctionKind, ProcedureKind or EventKind.
	Kind string `json:"kind"`
	Name string `json:"name"`
	// Args lists the argument types that tell overloads apart, as the
	// database prints them (PostgreSQL's
	// pg_get_function_identity_arguments: "integer, text"); empty for
	// none.
	Args string `json:"args,omitempty"`
	// Params is the whole parameter list, with names, modes and defaults
	// (pg_get_function_arguments).
	Params string `json:"params,omitempty"`
	// Returns is the result type (pg_get_function_result), empty for a
	// procedure.
	Returns string `json:"returns,omitempty"`
	// Def is the complete statement that creates the function, as the
	// database prints it (pg_get_functiondef, without the schema name).
	Def string `json:"def"`
	// Comment is the function's comment (PostgreSQL); CREATE OR REPLACE
	// keeps it.
	Comment string `json:"comment,omitempty"`
}

// SameFunction reports whether a and b are the same function with the
// same definition, comments aside.
func SameFunction(a, b *Function) bool {
	ca, cb := *a, *b
	ca.Comment, cb.Comment = "", ""
	return ca == cb
}

// Key identifies f among a schema's functions: kind, name and argument
// types, as in "function canon(text)".
func (f *Function) Key() string { return f.Kind + " " + f.Signature() }

// Signature is f's name and argument types, as in "canon(text)".
func (f *Function) Signature() string { return f.Name + "(" + f.Args + ")" }

// Replaceable reports whether the database can turn a into b in place:
// same identity, same parameters and result.
func Replaceable(a, b *Function) bool { return NotReplaceable(a, b) == "" }

// NotReplaceable says why a cannot become b in place (another identity,
// parameters or result), or "" when it can.
func NotReplaceable(a, b *Function) string {
	switch {
	case a.Key() != b.Key():
		return fmt.Sprintf("%s is another function than %s", b.Key(), a.Key())
	case a.Params != b.Params:
		return fmt.Sprintf("the parameters of %s change from (%s) to (%s)", a.Key(), a.Params, b.Params)
	case a.Returns != b.Returns:
		return fmt.Sprintf("the result of %s changes from %s to %s", a.Key(), a.Returns, b.Returns)
	}
	return ""
}

// Trigger is a trigger of the table or view that holds it, kept whole as
// the database prints its definition (PostgreSQL's pg_get_triggerdef,
// SQLite's CREATE TRIGGER text). The table the definition names after ON
// is written as the dialect's quoted name of the table, without a schema,
// so that renaming the table can rewrite it (RenameTriggerTable). A
// trigger goes with its table or view when that is dropped.
type Trigger struct {
	Name string `json:"name"`
	Def  string `json:"def"`
}

// Function returns the function whose Key is key.
func (s *Schema) Function(key string) (*Function, bool) {
	for _, f := range s.Functions {
		if f.Key() == key {
			return f, true
		}
	}
	return nil, false
}

// Extension returns the extension called name.
func (s *Schema) Extension(name string) (*Extension, bool) {
	for _, e := range s.Extensions {
		if e.Name == name {
			return e, true
		}
	}
	return nil, false
}

// Triggers returns the triggers of the table or view called name, and
// whether either exists. The slice is the object's own.
func (s *Schema) Triggers(name string) (*[]*Trigger, bool) {
	if t, ok := s.Table(name); ok {
		return &t.Triggers, true
	}
	if v, ok := s.View(name); ok {
		return &v.Triggers, true
	}
	return nil, false
}

// Trigger returns the trigger called name.
func (t *Table) Trigger(name string) (*Trigger, bool) { return FindTrigger(t.Triggers, name) }

// FindTrigger returns the trigger of ts called name.
func FindTrigger(ts []*Trigger, name string) (*Trigger, bool) {
	for _, tr := range ts {
		if tr.Name == name {
			return tr, true
		}
	}
	return nil, false
}

// Clone returns a copy of v.
func (v *View) Clone() *View {
	if v == nil {
		return nil
	}
	cp := *v
	cp.Triggers = cloneTriggers(v.Triggers)
	cp.Indexes = cloneEach(v.Indexes, func(ix *ViewIndex) *ViewIndex { x := *ix; return &x })
	return &cp
}

func cloneTriggers(ts []*Trigger) []*Trigger {
	return cloneEach(ts, func(tr *Trigger) *Trigger { cp := *tr; return &cp })
}

func sortTriggers(ts []*Trigger) {
	slices.SortFunc(ts, func(a, b *Trigger) int { return strings.Compare(a.Name, b.Name) })
}

// TriggerTable finds the table a trigger definition names after ON: the
// first ON outside quotes, comments and parentheses, after CREATE …
// TRIGGER and the trigger's name. It returns the name's byte range in
// def (a schema prefix included), or ok false when there is none.
func TriggerTable(def string) (start, end int, ok bool) {
	toks := sqlTokens(def)
	sawTrigger, named := false, false
	for i, t := range toks {
		switch {
		case !sawTrigger:
			sawTrigger = t.word && strings.EqualFold(t.text(def), "TRIGGER")
		case !named:
			// IF NOT EXISTS comes before the name.
			if t.word && (strings.EqualFold(t.text(def), "IF") || strings.EqualFold(t.text(def), "NOT") || strings.EqualFold(t.text(def), "EXISTS")) {
				continue
			}
			named = true
		case t.word && t.depth == 0 && strings.EqualFold(t.text(def), "ON"):
			if i+1 >= len(toks) || !toks[i+1].ident() {
				return 0, 0, false
			}
			start, end = toks[i+1].start, toks[i+1].end
			// A qualified name: schema.table.
			for j := i + 2; j+1 < len(toks) && toks[j].punct(def, ".") && toks[j+1].ident(); j += 2 {
				end = toks[j+1].end
			}
			return start, end, true
		}
	}
	return 0, 0, false
}

// RenameTriggerTable rewrites the table a trigger definition names after
// ON from old to new, quoted as old was: a rename of the table carries its
// triggers. A definition naming another table is left as it is.
func RenameTriggerTable(def, old, new string) string {
	start, end, ok := TriggerTable(def)
	if !ok || !sameIdent(def[start:end], old) {
		return def
	}
	return def[:start] + requote(def[start:end], new) + def[end:]
}

// RenameTriggerColumn rewrites the column old of a trigger's table to
// new in the trigger's definition (UPDATE OF, WHEN, the body on SQLite),
// as the databases do when the column is renamed; the trigger's own name
// and the table after ON are left as they are.
func RenameTriggerColumn(def, old, new string) string {
	toks := sqlTokens(def)
	from := 0
	for i, t := range toks {
		if t.word && strings.EqualFold(t.text(def), "TRIGGER") {
			// Skip IF NOT EXISTS and the name.
			j := i + 1
			for j < len(toks) && toks[j].word && slices.Contains([]string{"IF", "NOT", "EXISTS"}, strings.ToUpper(toks[j].text(def))) {
				j++
			}
			if j < len(toks) {
				from = toks[j].end
			}
			break
		}
	}
	start, end, ok := TriggerTable(def)
	if !ok || start < from {
		return def[:from] + RenameIdent(def[from:], old, new)
	}
	return def[:from] + RenameIdent(def[from:start], old, new) + def[start:end] + RenameIdent(def[end:], old, new)
}

// RenameIdent rewrites every identifier in sql that names old (quoted
// exactly, or bare in any letter case) to new, quoted as it was; string
// literals and comments are left alone. It is how a trigger follows a
// renamed column, as the databases rewrite it themselves.
func RenameIdent(sql, old, new string) string {
	var b strings.Builder
	last := 0
	for _, t := range sqlTokens(sql) {
		if !t.ident() || !sameIdent(sql[t.start:t.end], old) {
			continue
		}
		b.WriteString(sql[last:t.start])
		b.WriteString(requote(sql[t.start:t.end], new))
		last = t.end
	}
	if last == 0 {
		return sql
	}
	b.WriteString(sql[last:])
	return b.String()
}

// sameIdent reports whether the identifier token tok names name.
func sameIdent(tok, name string) bool {
	switch tok[0] {
	case '"':
		return strings.ReplaceAll(tok[1:len(tok)-1], `""`, `"`) == name
	case '`':
		return strings.ReplaceAll(tok[1:len(tok)-1], "``", "`") == name
	case '[':
		return tok[1:len(tok)-1] == name
	}
	return strings.EqualFold(tok, name)
}

// requote writes name quoted as tok is; a bare tok gives a bare name when
// the name needs no quotes (lower case letters, digits and underscores),
// else a double-quoted one.
func requote(tok, name string) string {
	switch tok[0] {
	case '"':
		return `"` + strings.ReplaceAll(name, `"`, `""`) + `"`
	case '`':
		return "`" + strings.ReplaceAll(name, "`", "``") + "`"
	case '[':
		return "[" + name + "]"
	}
	plain := name != "" && (name[0] < '0' || name[0] > '9')
	for _, c := range []byte(name) {
		plain = plain && (c == '_' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9')
	}
	if plain {
		return name
	}
	return `"` + strings.ReplaceAll(name, `"`, `""`) + `"`
}

// sqlToken is a word, a quoted identifier or a punctuation byte of SQL
// text; literals and comments make none.
type sqlToken struct {
	start, end int
	word       bool // a bare word
	quoted     bool // "x", `x` or [x]
	depth      int  // parentheses open before it
}

func (t sqlToken) text(s string) string { return s[t.start:t.end] }
func (t sqlToken) ident() bool          { return t.word || t.quoted }
func (t sqlToken) punct(s, p string) bool {
	return !t.word && !t.quoted && s[t.start:t.end] == p
}

// sqlTokens splits SQL text into tokens, skipping '…' literals (with
// doubled quotes or backslash escapes), $tag$…$tag$ bodies, -- and /* */
// comments and spaces.
func sqlTokens(s string) []sqlToken {
	var out []sqlToken
	depth := 0
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
		case strings.HasPrefix(s[i:], "--"):
			j := strings.IndexByte(s[i:], '\n')
			if j < 0 {
				return out
			}
			i += j
		case strings.HasPrefix(s[i:], "/*"):
			j := strings.Index(s[i+2:], "*/")
			if j < 0 {
				return out
			}
			i += j + 4
		case c == '\'':
			i = sqlx.StringEnd(s, i)
		case c == '"' || c == '`' || c == '[':
			closer := c
			if c == '[' {
				closer = ']'
			}
			j := i + 1
			for j < len(s) {
				if s[j] == closer {
					if closer != ']' && j+1 < len(s) && s[j+1] == closer {
						j += 2
						continue
					}
					break
				}
				j++
			}
			if j >= len(s) {
				return out
			}
			out = append(out, sqlToken{start: i, end: j + 1, quoted: true, depth: depth})
			i = j + 1
		case c == '$' && dollarTag(s[i:]) != "":
			tag := dollarTag(s[i:])
			j := strings.Index(s[i+len(tag):], tag)
			if j < 0 {
				return out
			}
			i += 2*len(tag) + j
		case identByte(lower(c)) && c != '$':
			j := i + 1
			for j < len(s) && identByte(lower(s[j])) {
				j++
			}
			out = append(out, sqlToken{start: i, end: j, word: true, depth: depth})
			i = j
		default:
			if c == ')' && depth > 0 {
				depth--
			}
			out = append(out, sqlToken{start: i, end: i + 1, depth: depth})
			if c == '(' {
				depth++
			}
			i++
		}
	}
	return out
}

func lower(c byte) byte {
	if c >= 'A' && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// dollarTag returns the $tag$ that s starts with, or "".
func dollarTag(s string) string {
	for j := 1; j < len(s); j++ {
		switch c := s[j]; {
		case c == '$':
			return s[:j+1]
		case c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || j > 1 && c >= '0' && c <= '9':
		default:
			return ""
		}
	}
	return ""
}
