package models

import (
	"reflect"
	"strings"
	"testing"
)

func TestParseTag(t *testing.T) {
	t.Parallel()
	opt := func(key, value string) tagOption { return tagOption{Key: key, Value: value, HasValue: true} }
	flag := func(key string) tagOption { return tagOption{Key: key} }
	tests := []struct {
		name string
		tag  string
		want []tagOption
	}{
		{"empty", "", nil},
		{"blank", "  ", nil},
		{"flag", "pk", []tagOption{flag("pk")}},
		{"flags", "pk,unique", []tagOption{flag("pk"), flag("unique")}},
		{"key value", "size:200", []tagOption{opt("size", "200")}},
		{"empty value", "default:", []tagOption{opt("default", "")}},
		{"spaces trimmed", " pk , size : 20 ", []tagOption{flag("pk"), opt("size", "20")}},
		{"key lower-cased, value kept", "Type:CITEXT", []tagOption{opt("type", "CITEXT")}},
		{"empty options skipped", "pk,,unique,", []tagOption{flag("pk"), flag("unique")}},
		{"colon in value", "default:'12:30'", []tagOption{opt("default", "'12:30'")}},
		{"comma in quotes", "default:'a,b',null", []tagOption{opt("default", "'a,b'"), flag("null")}},
		{"doubled quote", "default:'it''s, ok'", []tagOption{opt("default", "'it''s, ok'")}},
		{"parens in quotes", "default:'(',null", []tagOption{opt("default", "'('"), flag("null")}},
		{"comma in parens", "type:numeric(10,2),default:(1, 2)", []tagOption{opt("type", "numeric(10,2)"), opt("default", "(1, 2)")}},
		{"nested parens", "default:(coalesce(f(1, 2), 3)),pk", []tagOption{opt("default", "(coalesce(f(1, 2), 3))"), flag("pk")}},
		{"quote in parens", "default:(lower(',')),null", []tagOption{opt("default", "(lower(','))"), flag("null")}},
		{"fk with actions", "fk:lists.id,ondelete:cascade,onupdate:set null", []tagOption{opt("fk", "lists.id"), opt("ondelete", "cascade"), opt("onupdate", "set null")}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := parseTag(tt.tag)
			if err != nil {
				t.Fatalf("parseTag(%q): %v", tt.tag, err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("parseTag(%q):\n got %+v\nwant %+v", tt.tag, got, tt.want)
			}
		})
	}
}

func TestParseTagErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		tag  string
		want string
	}{
		{"unterminated quote", "default:'abc", "unterminated quote"},
		{"unterminated quote after others", "pk,default:'a,b", "unterminated quote"},
		{"unclosed paren", "default:(1, 2", "unbalanced '('"},
		{"stray close paren", "default:1),pk", "unbalanced ')' at offset 9"},
		{"no name", ":200", `option ":200" has no name`},
		{"no name after others", "pk, :x", `option ":x" has no name`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := parseTag(tt.tag)
			if err == nil {
				t.Fatalf("parseTag(%q) = %+v, want an error", tt.tag, got)
			}
			if err.Error() != tt.want {
				t.Errorf("parseTag(%q) error %q, want %q", tt.tag, err, tt.want)
			}
		})
	}
}

func FuzzParseTag(f *testing.F) {
	for _, seed := range []string{
		"", "pk", "pk,autoincrement:false", "size:200,unique:uq_name", "default:'a,b'",
		"type:numeric(10,2),default:(1, 2)", "fk:lists.id,ondelete:set_null", "default:'it''s'",
		"default:(", "default:)", ":x", "default:'", "comment:a:b:c",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, tag string) {
		opts, err := parseTag(tag)
		if err != nil {
			if opts != nil {
				t.Errorf("parseTag(%q) returned options with error %v", tag, err)
			}
			return
		}
		for _, o := range opts {
			if o.Key == "" || o.Key != strings.ToLower(strings.TrimSpace(o.Key)) {
				t.Errorf("parseTag(%q): bad key %q", tag, o.Key)
			}
			if o.Value != strings.TrimSpace(o.Value) {
				t.Errorf("parseTag(%q): value %q not trimmed", tag, o.Value)
			}
			if !o.HasValue && o.Value != "" {
				t.Errorf("parseTag(%q): value %q without a colon", tag, o.Value)
			}
			if !strings.Contains(strings.ToLower(tag), o.Key) || !strings.Contains(tag, o.Value) {
				t.Errorf("parseTag(%q): option %+v not from the tag", tag, o)
			}
		}
		// Options joined back with commas parse to the same options.
		var parts []string
		for _, o := range opts {
			p := o.Key
			if o.HasValue {
				p += ":" + o.Value
			}
			parts = append(parts, p)
		}
		again, err := parseTag(strings.Join(parts, ","))
		if err != nil {
			t.Fatalf("parseTag(%q) = %+v, joined back: %v", tag, opts, err)
		}
		if !reflect.DeepEqual(again, opts) {
			t.Errorf("parseTag(%q) = %+v, joined back %+v", tag, opts, again)
		}
	})
}
