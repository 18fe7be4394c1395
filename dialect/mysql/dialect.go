// Package mysql is strata's dialect for MySQL and MariaDB, through
// go-sql-driver/mysql. MariaDB's differences are handled in mariadb.go.
package mysql

import (
	"database/sql"
	"fmt"
	"net/url"
	"strings"

	"github.com/go-sql-driver/mysql"
)

// DSN turns a strata URL, mysql://user:pass@host:port/db?param=value,
// into go-sql-driver's data source name. Query parameters pass through to
// the driver.
func DSN(rawURL string) (string, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return "", fmt.Errorf("mysql: parse URL: %w", redactErr(err))
	}
	if u.Scheme != "mysql" && u.Scheme != "mariadb" {
		return "", fmt.Errorf("mysql: URL must start with mysql:// or mariadb://")
	}
	cfg := mysql.NewConfig()
	cfg.Net = "tcp"
	cfg.Addr = u.Host
	if u.Port() == "" && u.Host != "" {
		cfg.Addr = u.Host + ":3306"
	}
	if u.User != nil {
		cfg.User = u.User.Username()
		cfg.Passwd, _ = u.User.Password()
	}
	cfg.DBName = strings.TrimPrefix(u.Path, "/")
	cfg.ParseTime = true
	for k, vs := range u.Query() {
		if len(vs) > 0 {
			cfg.Params = setParam(cfg.Params, k, vs[len(vs)-1])
		}
	}
	return cfg.FormatDSN(), nil
}

func setParam(m map[string]string, k, v string) map[string]string {
	if m == nil {
		m = map[string]string{}
	}
	m[k] = v
	return m
}

// redactErr drops the URL from url.Parse errors, which may hold a password.
func redactErr(err error) error {
	if ue, ok := err.(*url.Error); ok {
		return ue.Err
	}
	return err
}

// Open opens the database a mysql:// URL names.
func Open(rawURL string) (*sql.DB, error) {
	dsn, err := DSN(rawURL)
	if err != nil {
		return nil, err
	}
	db, err := sql.Open("mysql", dsn)
	if err != nil {
		return nil, fmt.Errorf("mysql: open: %w", err)
	}
	return db, nil
}
