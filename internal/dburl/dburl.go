// Package dburl reads strata's database URLs without ever letting their
// password out: Parse splits a URL into its parts with errors that name no
// part of the password, Redact shows a URL with the password replaced,
// Scrub removes the password from any text (a driver's error message),
// and Expand fills in ${VAR} and $VAR from the environment, so that a
// configuration file can name the password instead of holding it.
//
// A password is the one in the user information (user:password@host) or
// the value of a password query parameter (?password=…, and the other
// names in PasswordParams); both are found by reading the text, never by
// url.Parse, whose errors quote the text they could not read.
package dburl

import (
	"errors"
	"fmt"
	"net/url"
	"os"
	"strings"
)

// Mask replaces a password wherever this package hides one.
const Mask = "xxxxx"

// PasswordParams are the query parameters that hold a password or a
// secret of the same kind (PostgreSQL's sslpassword).
var PasswordParams = []string{"password", "passwd", "pass", "sslpassword"}

func isPasswordParam(key string) bool {
	if k, err := url.QueryUnescape(key); err == nil {
		key = k
	}
	for _, p := range PasswordParams {
		if strings.EqualFold(key, p) {
			return true
		}
	}
	return false
}

// URL is a parsed database URL.
type URL struct {
	// Scheme is the part before "://" (or ":" for sqlite:path).
	Scheme string
	// User and Password are %-decoded. Password comes from the user
	// information, else from a password query parameter.
	User, Password string
	// HasPassword reports whether the URL gives a password at all (an
	// empty one included).
	HasPassword bool
	// Host is host[:port] as written, for a URL with "//".
	Host string
	// Path is the %-decoded path after the host, without its leading "/"
	// (the database name).
	Path string
	// Query holds the query parameters, %-decoded, password parameters
	// left out.
	Query url.Values
}

// ErrBadEscape is returned, wrapped, for a bad %-escape in the user
// information or a password parameter; the error names the part (user,
// password) but never quotes it.
var ErrBadEscape = errors.New("invalid %-escape (write a literal % as %25)")

// split cuts raw into scheme, user information (without the "@"), the rest
// after it (host, path, query), and whether the URL has a "//" authority.
// A password may hold characters that a URL should have escaped ('/', '?',
// '#', '@'), so the user information ends at the last '@' before the
// query, or, when there is none, at the last '@' of all: too much is taken
// for a password rather than too little.
func split(raw string) (scheme, userinfo, rest string, hasUser, authority bool) {
	scheme, after, ok := strings.Cut(raw, "://")
	if !ok {
		scheme, after, _ = strings.Cut(raw, ":")
		return scheme, "", after, false, false
	}
	head := after
	if i := strings.IndexAny(after, "?#"); i >= 0 {
		head = after[:i]
	}
	at := strings.LastIndex(head, "@")
	if at < 0 {
		at = strings.LastIndex(after, "@")
	}
	if at < 0 {
		return scheme, "", after, false, true
	}
	return scheme, after[:at], after[at+1:], true, true
}

// Parse reads a database URL. Its errors never quote the user
// information or a password parameter.
func Parse(raw string) (*URL, error) {
	scheme, userinfo, rest, hasUser, authority := split(raw)
	if scheme == "" {
		return nil, errors.New("database URL has no scheme")
	}
	u := &URL{Scheme: scheme, Query: url.Values{}}
	if hasUser {
		user, pass, hasPass := strings.Cut(userinfo, ":")
		var err error
		if u.User, err = url.PathUnescape(user); err != nil {
			return nil, fmt.Errorf("database URL: user name: %w", ErrBadEscape)
		}
		if hasPass {
			if u.Password, err = url.PathUnescape(pass); err != nil {
				return nil, fmt.Errorf("database URL: password: %w", ErrBadEscape)
			}
			u.HasPassword = true
		}
	}
	rest, _, _ = strings.Cut(rest, "#")
	rest, query, _ := strings.Cut(rest, "?")
	if authority {
		host, path, _ := strings.Cut(rest, "/")
		u.Host = host
		rest = path
	}
	path, err := url.PathUnescape(rest)
	if err != nil {
		return nil, fmt.Errorf("database URL: path %q: %w", rest, ErrBadEscape)
	}
	u.Path = path
	for _, kv := range strings.Split(query, "&") {
		if kv == "" {
			continue
		}
		k, v, _ := strings.Cut(kv, "=")
		key, err := url.QueryUnescape(k)
		if err != nil {
			return nil, fmt.Errorf("database URL: a query parameter's name: %w", ErrBadEscape)
		}
		val, err := url.QueryUnescape(v)
		if isPasswordParam(key) {
			if err != nil {
				return nil, fmt.Errorf("database URL: parameter %s: %w", key, ErrBadEscape)
			}
			if !u.HasPassword || strings.EqualFold(key, "password") {
				u.Password, u.HasPassword = val, true
			}
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("database URL: parameter %s: %w", key, ErrBadEscape)
		}
		u.Query.Add(key, val)
	}
	return u, nil
}

// Redact returns raw with every password replaced by Mask: the one in the
// user information and the values of password query parameters. It works
// on text Parse rejects too.
func Redact(raw string) string { return ReplacePassword(raw, Mask) }

// ReplacePassword returns raw with every password (see Redact) replaced
// by with, written as it is.
func ReplacePassword(raw, with string) string {
	scheme, userinfo, rest, hasUser, authority := split(raw)
	if !authority {
		return replaceQuery(raw, with)
	}
	var b strings.Builder
	b.WriteString(scheme)
	b.WriteString("://")
	if hasUser {
		if user, _, ok := strings.Cut(userinfo, ":"); ok {
			b.WriteString(user)
			b.WriteString(":" + with)
		} else {
			b.WriteString(userinfo)
		}
		b.WriteString("@")
	}
	b.WriteString(replaceQuery(rest, with))
	return b.String()
}

// replaceQuery replaces the values of password parameters in the query of
// s by with.
func replaceQuery(s, with string) string {
	before, query, ok := strings.Cut(s, "?")
	if !ok {
		return s
	}
	query, frag, hasFrag := strings.Cut(query, "#")
	parts := strings.Split(query, "&")
	for i, kv := range parts {
		if k, _, ok := strings.Cut(kv, "="); ok && isPasswordParam(k) {
			parts[i] = k + "=" + with
		}
	}
	out := before + "?" + strings.Join(parts, "&")
	if hasFrag {
		out += "#" + frag
	}
	return out
}

// Secrets returns the texts a message could show a password as: each
// password of raw as written and %-decoded, shortest last. Empty strings
// are left out.
func Secrets(raw string) []string {
	var out []string
	add := func(s string) {
		if s == "" {
			return
		}
		for _, o := range out {
			if o == s {
				return
			}
		}
		out = append(out, s)
	}
	addDecoded := func(s string, query bool) {
		add(s)
		if d, err := url.PathUnescape(s); err == nil {
			add(d)
		}
		if query {
			if d, err := url.QueryUnescape(s); err == nil {
				add(d)
			}
		}
	}
	_, userinfo, _, hasUser, _ := split(raw)
	if hasUser {
		if _, pass, ok := strings.Cut(userinfo, ":"); ok {
			addDecoded(pass, false)
		}
	}
	if _, query, ok := strings.Cut(raw, "?"); ok {
		query, _, _ = strings.Cut(query, "#")
		for _, kv := range strings.Split(query, "&") {
			if k, v, ok := strings.Cut(kv, "="); ok && isPasswordParam(k) {
				addDecoded(v, true)
			}
		}
	}
	// Longest first, so that a password holding another is masked whole.
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && len(out[j]) > len(out[j-1]); j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}

// minSecret is the shortest password Scrub removes from text: a shorter
// one would match inside ordinary words and mangle every message.
const minSecret = 3

// Scrub returns text with every password of raw (as written and
// %-decoded) replaced by Mask, and raw itself by its Redact form.
// Passwords shorter than three characters are left, as they would match
// inside ordinary words.
func Scrub(text, raw string) string {
	if raw == "" {
		return text
	}
	text = strings.ReplaceAll(text, raw, Redact(raw))
	for _, s := range Secrets(raw) {
		if len(s) >= minSecret {
			text = strings.ReplaceAll(text, s, Mask)
		}
	}
	return text
}

// ScrubError returns err with its message scrubbed of raw's passwords
// (see Scrub); errors.Is and errors.As still reach what err wraps. A nil
// err stays nil.
func ScrubError(err error, raw string) error {
	if err == nil {
		return nil
	}
	msg := Scrub(err.Error(), raw)
	if msg == err.Error() {
		return err
	}
	return &scrubbed{msg: msg, err: err}
}

type scrubbed struct {
	msg string
	err error
}

func (e *scrubbed) Error() string { return e.msg }
func (e *scrubbed) Unwrap() error { return e.err }

// Expand replaces ${VAR} and $VAR in a database URL by the value of the
// environment variable VAR, and $$ by a single $. A value that lands in
// the user information or a query parameter's value is %-escaped, so a
// password holding '@', '/' or '%' stays one password; elsewhere (a whole
// URL in one variable, a host) it goes in as it is. A variable that is not
// set is an error naming it, so a missing password is not silently empty.
// strata expands configuration text (strata.toml), never a URL given on
// the command line or in DATABASE_URL, which the shell has expanded.
func Expand(s string) (string, error) {
	if !strings.Contains(s, "$") {
		return s, nil
	}
	scheme, userinfo, rest, hasUser, authority := split(s)
	if !authority {
		return expand(s, nil)
	}
	var b strings.Builder
	b.WriteString(scheme + "://")
	if hasUser {
		user, pass, hasPass := strings.Cut(userinfo, ":")
		e, err := expand(user, escape)
		if err != nil {
			return "", err
		}
		b.WriteString(e)
		if hasPass {
			if pass, err = expand(pass, escape); err != nil {
				return "", err
			}
			b.WriteString(":" + pass)
		}
		b.WriteString("@")
	}
	before, query, hasQuery := strings.Cut(rest, "?")
	e, err := expand(before, nil)
	if err != nil {
		return "", err
	}
	b.WriteString(e)
	if hasQuery {
		query, frag, hasFrag := strings.Cut(query, "#")
		parts := strings.Split(query, "&")
		for i, kv := range parts {
			k, v, ok := strings.Cut(kv, "=")
			if k, err = expand(k, nil); err != nil {
				return "", err
			}
			if v, err = expand(v, escape); err != nil {
				return "", err
			}
			parts[i] = k
			if ok {
				parts[i] += "=" + v
			}
		}
		b.WriteString("?" + strings.Join(parts, "&"))
		if hasFrag {
			b.WriteString("#" + frag)
		}
	}
	return b.String(), nil
}

// escape %-escapes everything but unreserved characters, which is right in
// the user information and in a query value.
func escape(s string) string { return strings.ReplaceAll(url.QueryEscape(s), "+", "%20") }

func expand(s string, esc func(string) string) (string, error) {
	if !strings.Contains(s, "$") {
		return s, nil
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != '$' {
			b.WriteByte(c)
			continue
		}
		if i+1 < len(s) && s[i+1] == '$' {
			b.WriteByte('$')
			i++
			continue
		}
		var name string
		switch {
		case i+1 < len(s) && s[i+1] == '{':
			end := strings.IndexByte(s[i+2:], '}')
			if end < 0 {
				return "", errors.New("expand: ${ without a closing }")
			}
			name = s[i+2 : i+2+end]
			i += 2 + end
		default:
			j := i + 1
			for j < len(s) && (s[j] == '_' || s[j] >= 'a' && s[j] <= 'z' || s[j] >= 'A' && s[j] <= 'Z' || j > i+1 && s[j] >= '0' && s[j] <= '9') {
				j++
			}
			name = s[i+1 : j]
			i = j - 1
		}
		if name == "" {
			return "", errors.New("expand: $ without a variable name (write $$ for a literal $)")
		}
		v, ok := os.LookupEnv(name)
		if !ok {
			return "", fmt.Errorf("expand: environment variable %s is not set", name)
		}
		if esc != nil {
			v = esc(v)
		}
		b.WriteString(v)
	}
	return b.String(), nil
}
