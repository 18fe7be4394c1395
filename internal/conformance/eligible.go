package conformance

import (
	"fmt"
	"strconv"
	"strings"
)

// Server describes the database the cases run on, for eligibility.
type Server struct {
	// Dialect is "sqlite", "postgres" or "mysql".
	Dialect string
	// Version is the server's own version: "15.14", "10.11.6", "3.50.4".
	Version string
	// MariaDB is set for a MariaDB server behind the mysql dialect.
	MariaDB bool
	// MySQLEquivalent is the MySQL version, or range of versions
	// "low-high", a MariaDB server is taken to match when a case gives
	// MySQL versions (see Eligible); "5.7-8.0" unless set.
	MySQLEquivalent string
	// Extensions lists optional server features present, such as
	// "pgvector".
	Extensions map[string]bool
}

// flavor is the server's flavor in sqldef's terms.
func (s Server) flavor() string {
	switch {
	case s.Dialect == "mysql" && s.MariaDB:
		return "mariadb"
	case s.Dialect == "mysql":
		return "mysql"
	}
	return ""
}

// Eligible reports whether a case is meant for srv in mode, and if not,
// why. The rules:
//
//   - offline cases are never eligible: sqldef checks only its output for
//     them, and their SQL (Aurora DSQL) runs on no server of ours.
//   - error cases (sqldef must refuse the change) are not eligible for
//     ModeConverge, which has no expected refusal to check; their desired
//     DDL is an ordinary schema, so they are eligible for ModeRoundTrip.
//   - flavor: "x" needs flavor x, "!x" excludes it. Our flavors: mariadb or
//     mysql for the mysql dialect, pgvector on PostgreSQL only where the
//     extension is available.
//   - min_version and max_version compare with the server's version on
//     PostgreSQL and SQLite. For mysqldef they are MySQL versions unless
//     the case's flavor is mariadb, when they compare with the MariaDB
//     version. A MariaDB server stands between MySQL 5.7 and 8.0
//     (MySQLEquivalent, "5.7-8.0" by default): min_version compares with
//     8.0 and max_version with 5.7, so min_version '8.0' and max_version
//     '5.7' cases run and min_version '8.0.16' ones do not. MariaDB 10.11
//     has 8.0's CHECK constraints, expression defaults and JSON, and
//     keeps 5.7's integer display widths; where the corpus needs a MySQL
//     feature MariaDB lacks (functional and multi-valued indexes) it says
//     flavor '!mariadb'. A case the server still refuses is reported not
//     applicable, with the server's message.
func Eligible(c *Case, srv Server, mode Mode) (ok bool, reason string) {
	if c.Offline {
		return false, "offline only (sqldef output check; no server runs it)"
	}
	if c.Error != "" && mode == ModeConverge {
		return false, "sqldef must refuse the change (error case)"
	}
	if c.Flavor != "" {
		name, want := flavorWants(c.Flavor)
		have := name == srv.flavor() || srv.Extensions[name]
		if want && !have {
			return false, fmt.Sprintf("flavor %s only", name)
		}
		if !want && have {
			return false, fmt.Sprintf("not for flavor %s", name)
		}
	}
	low, high, label := srv.Version, srv.Version, srv.Dialect
	if srv.Dialect == "mysql" && srv.MariaDB {
		if name, want := flavorWants(c.Flavor); !(want && name == "mariadb") {
			label = "MySQL"
			low, high = MySQLRange(srv.MySQLEquivalent)
		} else {
			label = "MariaDB"
		}
	}
	if c.MinVersion != "" && compareVersions(high, c.MinVersion) < 0 {
		return false, fmt.Sprintf("needs %s >= %s", label, c.MinVersion)
	}
	if c.MaxVersion != "" && compareVersions(low, c.MaxVersion) > 0 {
		// max_version '5.7' means 5.7.x too: compare only as many parts
		// as the bound gives.
		n := len(strings.Split(c.MaxVersion, "."))
		if compareVersions(truncVersion(low, n), c.MaxVersion) > 0 {
			return false, fmt.Sprintf("needs %s <= %s", label, c.MaxVersion)
		}
	}
	return true, ""
}

// MySQLRange parses a MySQLEquivalent: "5.7-8.0", or one version for
// both ends; empty means "5.7-8.0".
func MySQLRange(s string) (low, high string) {
	if s == "" {
		s = "5.7-8.0"
	}
	low, high, ok := strings.Cut(s, "-")
	if !ok {
		high = low
	}
	return strings.TrimSpace(low), strings.TrimSpace(high)
}

// compareVersions compares dotted versions numerically; missing parts
// count as 0 and anything after the leading digits of a part is ignored.
func compareVersions(a, b string) int {
	pa, pb := versionParts(a), versionParts(b)
	for i := 0; i < max(len(pa), len(pb)); i++ {
		var x, y int
		if i < len(pa) {
			x = pa[i]
		}
		if i < len(pb) {
			y = pb[i]
		}
		if x != y {
			if x < y {
				return -1
			}
			return 1
		}
	}
	return 0
}

func versionParts(v string) []int {
	var out []int
	for _, p := range strings.Split(strings.TrimSpace(v), ".") {
		end := 0
		for end < len(p) && p[end] >= '0' && p[end] <= '9' {
			end++
		}
		n, err := strconv.Atoi(p[:end])
		if err != nil {
			break
		}
		out = append(out, n)
		if end < len(p) {
			break // "6-MariaDB-log": the version ends here
		}
	}
	return out
}

func truncVersion(v string, n int) string {
	parts := versionParts(v)
	if len(parts) > n {
		parts = parts[:n]
	}
	s := make([]string, len(parts))
	for i, p := range parts {
		s[i] = strconv.Itoa(p)
	}
	return strings.Join(s, ".")
}
